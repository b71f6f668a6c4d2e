package io.hawser.console.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** External commands for console tests (docker, ip, tar, umount, ...): output and exit status, with a deadline. */
public final class Commands {

    public static final Duration TIMEOUT = Duration.ofSeconds(120);

    private Commands() {}

    /** Runs {@code cmd}; its output (stdout and stderr), or an exception naming the exit status and the output. */
    public static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(cmd + " still running after " + TIMEOUT);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(cmd + " exited " + p.exitValue() + ": " + text);
        }
        return text;
    }

    public static String run(String... cmd) throws IOException, InterruptedException {
        return run(List.of(cmd));
    }

    /** Runs {@code cmd} for clean-up: its output, or "" when it could not run; never fails. */
    public static String quietly(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    public static String quietly(String... cmd) {
        return quietly(List.of(cmd));
    }
}
