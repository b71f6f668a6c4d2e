package io.hawser.agent.runtime;

import io.hawser.agent.common.AgentException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Starts containers through hawser-shim (see run.c for the protocol) and commands inside them.
 *
 * <p>{@link #launch}: writes {@code <state-dir>/spec}, listens on {@code <state-dir>/sync.sock}, starts
 * {@code hawser-shim run <state-dir>} (the started process exits as soon as the shim has detached),
 * accepts the shim's connection, reads {@code pid N}, calls {@link BeforeStart} with N, answers
 * {@code go} and reads {@code started} or {@code error <stage> <errno> <message>}. The connection then stays
 * open as the container's exit notice ({@link ShimProcess#exitNotice()}).
 */
public final class ShimLauncher {

    public static final String SYNC_SOCKET = "sync.sock";
    /** The init's start time (/proc/pid/stat field 22), written by the shim; exec checks the pid against it. */
    public static final String INIT_START = "init.start";
    /** sun_path holds 108 bytes with its NUL (unix(7)); the attach socket's path must fit too. */
    static final int MAX_SOCKET_PATH = 107;
    private static final long DETACH_TIMEOUT_SECONDS = 30;

    private final Path shim;

    public ShimLauncher(Path shimBinary) {
        this.shim = shimBinary;
    }

    /**
     * Runs {@code spec} supervised by a new shim whose state lives in {@code stateDir} (created if
     * needed; files of a previous run of the same container are replaced).
     *
     * @throws ShimStartException the command could not be started (not found: exit code 127...); the
     *     shim still records an exit file
     */
    public ShimProcess launch(Path stateDir, ContainerSpec spec, BeforeStart beforeStart) {
        Path dir = stateDir.toAbsolutePath();
        for (String name : List.of(SYNC_SOCKET, ShimProcess.ATTACH_SOCKET)) {
            if (dir.resolve(name).toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
                throw AgentException.invalidArgument("state directory path too long for a unix socket (max "
                        + MAX_SOCKET_PATH + " bytes with /" + name + "): " + dir);
            }
        }
        try {
            privateDir(dir);
            for (String stale : List.of(SYNC_SOCKET, ExitStatus.FILE_NAME, ShimProcess.INIT_PID, INIT_START, ShimProcess.SHIM_PID)) {
                Files.deleteIfExists(dir.resolve(stale));
            }
            writeAtomically(dir.resolve(SpecFile.FILE_NAME), SpecFile.encode(spec));
        } catch (IOException e) {
            throw AgentException.system("prepare state directory " + dir, e);
        }
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(dir.resolve(SYNC_SOCKET)));
            SocketChannel sync = startAndAccept(dir, server);
            try {
                return handshake(dir, sync, beforeStart); // keeps sync open: the shim's exit notice
            } catch (IOException | RuntimeException e) {
                sync.close();
                throw e;
            }
        } catch (IOException e) {
            throw AgentException.system("start the shim for " + dir, e);
        } finally {
            try {
                Files.deleteIfExists(dir.resolve(SYNC_SOCKET));
            } catch (IOException ignored) {
                // only a leftover file; the next launch deletes it
            }
        }
    }

    /**
     * Starts {@code hawser-shim run dir} and accepts its connection. The shim connects before it detaches,
     * so the connection is accepted at once, without waiting for the started process to exit (a fork and
     * an exit later: 1 to 3 ms of every start measured here); a failure before connecting (an unusable
     * spec) shows as that process exiting non-zero, which closes {@code server} and so ends accept().
     */
    private SocketChannel startAndAccept(Path dir, ServerSocketChannel server) throws IOException {
        Process p = new ProcessBuilder(shim.toString(), "run", dir.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        CompletableFuture<Process> exited = p.onExit().orTimeout(DETACH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        exited.whenComplete((done, timeout) -> {
            if (timeout != null || done.exitValue() != 0) {
                closeQuietly(server);
            }
        });
        try {
            SocketChannel sync = server.accept();
            exited.whenComplete((done, timeout) -> closeQuietly(p.getErrorStream()));
            return sync;
        } catch (ClosedChannelException e) {
            try {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException(); // ClosedByInterruptException: not the shim's doing
                }
                exited.get();
            } catch (ExecutionException | InterruptedException timeoutOrInterrupt) {
                p.destroyForcibly();
                if (timeoutOrInterrupt instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    throw AgentException.system("interrupted while starting hawser-shim for " + dir);
                }
                throw AgentException.system("hawser-shim run " + dir + " did not detach within "
                        + DETACH_TIMEOUT_SECONDS + "s");
            }
            try (InputStream err = p.getErrorStream()) {
                String stderr = new String(err.readAllBytes(), StandardCharsets.UTF_8).strip();
                throw AgentException.system("hawser-shim run " + dir + " failed (exit " + p.exitValue() + "): " + stderr);
            }
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing to release any more
        }
    }

    private static ShimProcess handshake(Path dir, SocketChannel sync, BeforeStart beforeStart) throws IOException {
        InputStream in = Channels.newInputStream(sync);
        OutputStream out = Channels.newOutputStream(sync);
        String first = readLine(in);
        if (first.startsWith("error ")) {
            throw ShimStartException.parse(first.substring(6));
        }
        if (!first.startsWith("pid ")) {
            throw AgentException.system("hawser-shim for " + dir + " said '" + first + "', expected 'pid N'");
        }
        int initPid = Integer.parseInt(first.substring(4));
        beforeStart.beforeStart(initPid); // throwing closes the socket without "go": the shim kills the init
        out.write("go\n".getBytes(StandardCharsets.US_ASCII));
        String result = readLine(in);
        if (result.startsWith("error ")) {
            throw ShimStartException.parse(result.substring(6));
        }
        if (!result.equals("started")) {
            throw AgentException.system("hawser-shim for " + dir + " said '" + result + "', expected 'started'");
        }
        int shimPid = ShimProcess.readPid(dir.resolve(ShimProcess.SHIM_PID))
                .orElseThrow(() -> AgentException.system("hawser-shim for " + dir + " wrote no " + ShimProcess.SHIM_PID));
        return new ShimProcess(dir, shimPid, initPid, sync);
    }

    /** One line without its newline; EOF before a newline is an error (the shim died). */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n';) {
            if (b < 0) {
                throw new IOException("hawser-shim closed the sync socket (see its shim.log)");
            }
            if (line.size() > 4096) {
                throw new IOException("hawser-shim sent an overlong line on the sync socket");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /**
     * Starts {@code hawser-shim exec <initPid> <specFile>} with {@code spec} written to {@code specFile};
     * the command's stdio are the returned process's pipes, its exit status the process's (128+N for
     * signal N; 126/127 and an {@code error exec ...} line on stderr when it could not be executed).
     */
    public Process exec(ShimProcess container, ExecSpec spec, Path specFile) {
        return exec(container, spec, specFile, false);
    }

    /**
     * As {@link #exec(ShimProcess, ExecSpec, Path)}; {@code detached} ({@code docker exec -d}) gives the shim
     * /dev/null as stdin and discards its output, so nothing ties it to this JVM but the wait for its exit
     * code: it calls setsid(2) (exec.c), holds no pipe to us, and outlives the agent (re-parented to init).
     */
    public Process exec(ShimProcess container, ExecSpec spec, Path specFile, boolean detached) {
        Path start = container.stateDir().resolve(INIT_START);
        String target;
        try {
            target = container.initPid() + ":" + Long.parseLong(Files.readString(start, StandardCharsets.US_ASCII).strip());
        } catch (IOException | NumberFormatException e) {
            throw AgentException.system("read the start time of the init of " + container.stateDir() + " from " + start, e);
        }
        return exec(target, spec, specFile, detached);
    }

    /**
     * @deprecated trusts a pid that may have been reused once the init exited (by a host process, whose
     *     namespaces the command would then join); use {@link #exec(ShimProcess, ExecSpec, Path)}
     */
    @Deprecated
    public Process exec(int initPid, ExecSpec spec, Path specFile) {
        return exec(Integer.toString(initPid), spec, specFile, false);
    }

    private Process exec(String target, ExecSpec spec, Path specFile, boolean detached) {
        try {
            writeNew(specFile, SpecFile.encode(spec));
            ProcessBuilder pb = new ProcessBuilder(shim.toString(), "exec", target, specFile.toString());
            if (detached) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
            }
            return pb.start();
        } catch (IOException e) {
            throw AgentException.system("exec in container with init " + target, e);
        }
    }

    /** The state directory: 0700 set explicitly (not via the umask); its spec holds the container's env. */
    private static void privateDir(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    /**
     * An exec's spec: one open (created 0600, as any spec), one write. No temp file and rename: its name is the
     * exec's own and nothing reads it before the shim this call starts next.
     */
    private static void writeNew(Path file, byte[] content) throws IOException {
        Files.deleteIfExists(file); // left by an agent that died mid-exec
        try (var ch = Files.newByteChannel(file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }

    /** Spec files are 0600 from their creation: they carry env values (passwords, tokens). */
    private static void writeAtomically(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.write(Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), content);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------")); // whatever the umask
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
