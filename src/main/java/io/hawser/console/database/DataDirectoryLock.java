package io.hawser.console.database;

import io.hawser.console.common.StartupException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns a console data directory for the life of the process. The lock is released by the kernel when the process
 * dies, however it dies; so once it is held, a PostgreSQL still running on this data directory is an orphan of a
 * console that was killed (kill -9, OOM), and is shut down before the embedded server starts again.
 */
final class DataDirectoryLock implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DataDirectoryLock.class);

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirectoryLock acquire(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve("console.lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
            channel.close();
            throw new StartupException("Another Hawser console is using the data directory " + dataDir + ".",
                    "Stop the other console first, or give this one its own directory with --hawser.data-dir=DIR.");
        }
        return new DataDirectoryLock(channel, lock);
    }

    /** Stops a postmaster left running on {@code pgData} by a console that died without stopping it. */
    static void stopOrphanedPostgres(Path pgData, Duration patience) throws IOException {
        Optional<ProcessHandle> orphan = postmaster(pgData);
        if (orphan.isEmpty()) {
            return;
        }
        ProcessHandle postmaster = orphan.get();
        log.warn("PostgreSQL (pid {}) is still running on {} from an earlier console that did not stop it; stopping it",
                postmaster.pid(), pgData);
        postmaster.destroy(); // SIGTERM: PostgreSQL's "smart" shutdown; its clients died with that console
        Instant deadline = Instant.now().plus(patience);
        while (postmaster.isAlive() && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stopping the orphaned PostgreSQL", e);
            }
        }
        if (postmaster.isAlive()) {
            throw new StartupException("PostgreSQL (pid " + postmaster.pid() + ") left running on " + pgData
                    + " by an earlier console did not stop within " + patience.toSeconds() + " s.",
                    "Stop that process (kill " + postmaster.pid() + "), then start the console again.");
        }
    }

    /** The live postmaster that {@code postmaster.pid} names, if it is one (a recycled pid is not). */
    private static Optional<ProcessHandle> postmaster(Path pgData) throws IOException {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty() || !lines.get(0).strip().matches("\\d{1,10}")) {
            return Optional.empty();
        }
        long pid = Long.parseLong(lines.get(0).strip());
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
