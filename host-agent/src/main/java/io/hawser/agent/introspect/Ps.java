package io.hawser.agent.introspect;

import io.hawser.agent.common.AgentException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the host's {@code ps} for {@code docker top} as dockerd does (moby daemon/top_unix.go, ContainerTop):
 * the client's arguments, split on white space and passed as separate argv entries (never through a
 * shell), first with {@code -q<pid>,<pid>...} so ps reads only the container's processes, and when that
 * fails (some options, such as {@code f}, refuse {@code -q}) again without it; if that fails too the error
 * is "ps: " and the first line of ps's stderr.
 */
public final class Ps {

    private static final long TIMEOUT_SECONDS = 30;

    private final String command;

    /** @param command the ps to run, "ps" from PATH on a real host */
    public Ps(String command) {
        this.command = command;
    }

    public ProcessTable top(String psArgs, List<Long> containerPids) {
        String args = psArgs == null || psArgs.isEmpty() ? "-ef" : psArgs;
        PsOutput.validateArgs(args);
        List<String> argv = new ArrayList<>();
        argv.add(command);
        for (String a : args.trim().split("\\s+")) {
            if (!a.isEmpty()) {
                argv.add(a);
            }
        }
        Result quick = null;
        if (!containerPids.isEmpty()) {
            List<String> withPids = new ArrayList<>(argv);
            withPids.add("-q" + String.join(",", containerPids.stream().map(String::valueOf).toList()));
            quick = run(withPids);
        }
        Result r = quick != null && quick.exit() == 0 ? quick : run(argv);
        if (r.exit() != 0) {
            String first = r.stderr().lines().findFirst().orElse("").strip();
            throw AgentException.system("ps: " + (first.isEmpty() ? "exit status " + r.exit() : first));
        }
        return PsOutput.parse(r.stdout(), containerPids);
    }

    private record Result(int exit, String stdout, String stderr) {}

    private static Result run(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw AgentException.system("ps: did not finish within " + TIMEOUT_SECONDS + "s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw AgentException.system("ps: run " + argv.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AgentException.system("ps: interrupted");
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in; ByteArrayOutputStream buf = new ByteArrayOutputStream()) {
            in.transferTo(buf);
            return buf.toByteArray();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
