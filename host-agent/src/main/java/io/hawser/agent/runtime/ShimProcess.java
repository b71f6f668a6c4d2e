package io.hawser.agent.runtime;

import io.hawser.agent.common.AgentException;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A container's shim, found through the state files it keeps in the container's state directory (see
 * run.c): {@code shim.pid}, {@code init.pid}, {@code exit}, {@code attach.sock}. The same type serves a
 * container just launched and one re-adopted after an agent restart ({@link #find(Path)}).
 *
 * <p>Reconciling after a restart: {@link #exitStatus()} present means exited (whatever the pids say);
 * otherwise {@link #isShimAlive()} means running; a dead shim without an exit file means the shim was
 * killed, and the container's status is unknown to it.
 */
public final class ShimProcess {

    public static final String SHIM_PID = "shim.pid";
    public static final String INIT_PID = "init.pid";
    public static final String ATTACH_SOCKET = "attach.sock";
    public static final String SHIM_LOG = "shim.log";

    private static final Duration POLL = Duration.ofMillis(10);

    private final Path stateDir;
    private final int shimPid;
    private final int initPid;
    private final SocketChannel exitNotice;

    ShimProcess(Path stateDir, int shimPid, int initPid) {
        this(stateDir, shimPid, initPid, null);
    }

    ShimProcess(Path stateDir, int shimPid, int initPid, SocketChannel exitNotice) {
        this.stateDir = stateDir.toAbsolutePath().normalize(); // as the shim was started: see isShimAlive
        this.shimPid = shimPid;
        this.initPid = initPid;
        this.exitNotice = exitNotice;
    }

    /** The shim of {@code stateDir}, or empty when it never got as far as starting an init. */
    public static Optional<ShimProcess> find(Path stateDir) {
        Optional<Integer> shim = readPid(stateDir.resolve(SHIM_PID));
        Optional<Integer> init = readPid(stateDir.resolve(INIT_PID));
        if (shim.isEmpty() || init.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ShimProcess(stateDir, shim.get(), init.get()));
    }

    public Path stateDir() {
        return stateDir;
    }

    public int shimPid() {
        return shimPid;
    }

    /** The container's init in the host's pid namespace: the target of kill(2) for docker stop/kill. */
    public int initPid() {
        return initPid;
    }

    /**
     * The sync connection of a shim this agent launched (empty for one found again after a restart): the
     * shim sends nothing more on it and closes it right after writing the exit file (or dies), so reading
     * EOF from it is the exit event. The caller owns it and closes it.
     */
    public Optional<SocketChannel> exitNotice() {
        return Optional.ofNullable(exitNotice);
    }

    public Path attachSocket() {
        return stateDir.resolve(ATTACH_SOCKET);
    }

    public Optional<ExitStatus> exitStatus() {
        try {
            return Optional.of(ExitStatus.parse(Files.readString(stateDir.resolve(ExitStatus.FILE_NAME))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw AgentException.system("read " + stateDir.resolve(ExitStatus.FILE_NAME), e);
        }
    }

    /**
     * Whether the shim process still runs. Checks its command line ({@code hawser-shim run <this dir>}),
     * not only the pid, since after a reboot or a long time the pid may belong to something else.
     */
    public boolean isShimAlive() {
        try {
            String[] argv = new String(Files.readAllBytes(Path.of("/proc", Integer.toString(shimPid), "cmdline")),
                    StandardCharsets.UTF_8).split("\0");
            return argv.length >= 3 && argv[0].endsWith("hawser-shim") && argv[1].equals("run")
                    && Path.of(argv[2]).equals(stateDir);
        } catch (IOException e) {
            return false; // no such process
        }
    }

    /** Running: no exit recorded and the shim still supervises the init. */
    public boolean isRunning() {
        return exitStatus().isEmpty() && isShimAlive();
    }

    /** Polls for the exit file; the agent's waiters use this, or watch the directory themselves. */
    public ExitStatus awaitExit(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<ExitStatus> exit = exitStatus();
            if (exit.isPresent()) {
                return exit.get();
            }
            if (!isShimAlive() && exitStatus().isEmpty()) {
                throw AgentException.system("the shim of " + stateDir + " (pid " + shimPid + ") is gone without an exit file");
            }
            if (System.nanoTime() > deadline) {
                throw AgentException.system("container in " + stateDir + " did not exit within " + timeout);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    static Optional<Integer> readPid(Path file) {
        try {
            return Optional.of(Integer.parseInt(Files.readString(file).trim()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            throw AgentException.system("read pid file " + file, e);
        }
    }

    @Override
    public String toString() {
        return "ShimProcess[" + stateDir + ", shim " + shimPid + ", init " + initPid + "]";
    }
}
