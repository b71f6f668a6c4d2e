package io.hawser.agent.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Encodes the spec file hawser-shim reads (format described at the top of spec.c): records
 * {@code key=value}, each ended by a NUL byte, list keys repeated in order, {@code version=1} first.
 * A value holding a NUL cannot be encoded (and could not reach execve either): refused here.
 */
public final class SpecFile {

    public static final String FILE_NAME = "spec";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private SpecFile() {
        add("version", "1");
    }

    public static byte[] encode(ContainerSpec s) {
        SpecFile f = new SpecFile();
        f.add("rootfs", s.rootfs().toString());
        f.add("log", s.logPath().toString());
        f.add("log_max_size", Long.toString(s.logMaxSize()));
        f.add("log_max_file", Integer.toString(s.logMaxFile()));
        f.add("tty", s.tty());
        f.add("stdin", s.stdinOpen());
        if (s.hostname() != null) {
            f.add("hostname", s.hostname());
        }
        f.all("masked", s.maskedPaths());
        f.all("readonly", s.readonlyPaths());
        s.mounts().forEach(m -> f.add("mount", m.encode())); // mounts.c; absent when none, as before
        if (s.readonlyRootfs()) {
            f.add("readonly_rootfs", true);
        }
        f.process(s.args(), s.env(), s.cwd(), s.uid(), s.gid(), s.additionalGids(), s.namespaces(),
                s.capabilities(), s.noNewPrivs());
        return f.out.toByteArray();
    }

    public static byte[] encode(ExecSpec s) {
        SpecFile f = new SpecFile();
        f.process(s.args(), s.env(), s.cwd(), s.uid(), s.gid(), s.additionalGids(), s.namespaces(),
                s.capabilities(), s.noNewPrivs());
        s.cgroupProcs().forEach(p -> f.add("cgroup", p.toString()));
        if (s.tty()) { // exec's own keys (spec.c): a pty from the container's devpts, resized through this file
            f.add("tty", true);
            f.add("winsize", s.winsizeFile().toString());
        }
        return f.out.toByteArray();
    }

    private void process(List<String> args, List<String> env, String cwd, int uid, int gid, List<Integer> gids,
            Set<Namespace> namespaces, Set<Capability> caps, boolean noNewPrivs) {
        all("arg", args);
        all("env", env);
        add("cwd", cwd);
        add("uid", Integer.toUnsignedString(uid));
        add("gid", Integer.toUnsignedString(gid));
        gids.forEach(g -> add("gids", Integer.toUnsignedString(g)));
        namespaces.stream().sorted().forEach(n -> add("ns", n.specName()));
        caps.stream().sorted(Comparator.comparingInt(Capability::number))
                .forEach(c -> add("cap", Integer.toString(c.number())));
        add("no_new_privs", noNewPrivs);
    }

    private void all(String key, List<String> values) {
        values.forEach(v -> add(key, v));
    }

    private void add(String key, boolean value) {
        add(key, value ? "1" : "0");
    }

    private void add(String key, String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(key + " must not contain a NUL byte: " + value.replace('\0', '?'));
        }
        out.writeBytes((key + "=" + value).getBytes(StandardCharsets.UTF_8));
        out.write(0);
    }
}
