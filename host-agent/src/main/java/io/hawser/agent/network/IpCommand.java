package io.hawser.agent.network;

import io.hawser.agent.common.AgentException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * iproute2's {@code ip} (ip(8)), run as a child process: the agent's netlink client for now (README,
 * "Networking through ip(8)"). {@link #batch} sends several commands through one process ({@code ip -batch -}),
 * optionally inside a container's network namespace via nsenter(1).
 */
final class IpCommand {

    private static final long TIMEOUT_SECONDS = 30;

    private IpCommand() {}

    /** {@code ip ARGS...}; its standard output. */
    static String run(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.addAll(List.of(args));
        return exec(cmd, null);
    }

    /**
     * {@code ip -batch -} with one command per line; with {@code netnsPid} > 0 inside that process's network
     * namespace ({@code nsenter --net=/proc/PID/ns/net}). ip stops at the first failing line.
     */
    static void batch(int netnsPid, List<String> lines) {
        List<String> cmd = new ArrayList<>();
        if (netnsPid > 0) {
            cmd.addAll(List.of("nsenter", "--net=/proc/" + netnsPid + "/ns/net", "--"));
        }
        cmd.addAll(List.of("ip", "-batch", "-"));
        exec(cmd, String.join("\n", lines) + "\n");
    }

    private static String exec(List<String> cmd, String stdin) {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw AgentException.system("run " + String.join(" ", cmd) + " (is iproute2 installed?)", e);
        }
        try {
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            // small outputs: read stderr after stdout (ip writes little to either)
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw AgentException.system(String.join(" ", cmd) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw AgentException.system(String.join(" ", cmd) + (stdin == null ? "" : " <<< " + stdin.strip().replace('\n', ';'))
                        + ": exit status " + p.exitValue() + ": " + err.strip());
            }
            return out;
        } catch (IOException e) {
            throw AgentException.system("run " + String.join(" ", cmd), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw AgentException.system("interrupted while running " + String.join(" ", cmd));
        }
    }
}
