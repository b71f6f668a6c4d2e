package io.hawser.agent.exec;

import io.hawser.agent.container.ContainerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An exec's environment as dockerd builds it (daemon/exec.go: CreateDaemonEnvironment with the exec's Tty,
 * then ReplaceOrAppendEnvValues with the exec's Env): PATH, HOSTNAME, TERM=xterm for a TTY, the container's
 * env, the exec's {@code -e} entries; a bare NAME unsets; HOME from /etc/passwd when unset, as runc adds it.
 */
final class ExecEnv {

    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private ExecEnv() {}

    static List<String> of(ContainerConfig container, ExecConfig exec, String home) {
        Map<String, String> byKey = new LinkedHashMap<>();
        byKey.put("PATH", "PATH=" + DEFAULT_PATH);
        byKey.put("HOSTNAME", "HOSTNAME=" + container.hostname());
        if (exec.tty()) {
            byKey.put("TERM", "TERM=xterm");
        }
        apply(byKey, container.env() == null ? List.of() : container.env());
        apply(byKey, exec.env());
        byKey.putIfAbsent("HOME", "HOME=" + home);
        return new ArrayList<>(byKey.values());
    }

    private static void apply(Map<String, String> byKey, List<String> entries) {
        for (String e : entries) {
            int eq = e.indexOf('=');
            if (eq < 0) {
                byKey.remove(e);
            } else {
                byKey.put(e.substring(0, eq), e);
            }
        }
    }
}
