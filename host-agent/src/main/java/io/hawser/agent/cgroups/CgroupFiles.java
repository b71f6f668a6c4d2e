package io.hawser.agent.cgroups;

import io.hawser.agent.common.AgentException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Reading and writing cgroupfs control files, shared by the v1 and v2 drivers. Every failure becomes an
 * {@code AgentException} that names the file, the value and the kernel's reason (EINVAL, EBUSY, ...).
 */
public final class CgroupFiles {

    /** What v2 files (and v1 pids.max) say for "no limit". */
    public static final String MAX = "max";

    private CgroupFiles() {}

    /**
     * Writes {@code value} with one write(2): the kernel parses each write of a control file on its own.
     * CREATE only matters in the unit tests' plain directories; cgroupfs files exist once the directory does.
     */
    public static void write(Path file, String value) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(value.getBytes(StandardCharsets.US_ASCII));
            ch.write(buf);
            if (buf.hasRemaining()) {
                throw AgentException.system("write '" + value + "' to " + file + " failed: short write");
            }
        } catch (IOException e) {
            throw AgentException.system("write '" + value + "' to " + file, new IOException(reason(e), e));
        }
    }

    /** The file's content without the trailing newline. */
    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw AgentException.system("read " + file, new IOException(reason(e), e));
        }
    }

    /** A file holding one number, or "max" (read as {@link Long#MAX_VALUE}). */
    public static long readLong(Path file) {
        return parseLong(read(file), file);
    }

    /** {@link #readLong}, or {@code fallback} when the file does not exist (an optional kernel feature). */
    public static long readLongIfExists(Path file, long fallback) {
        return Files.exists(file) ? readLong(file) : fallback;
    }

    /** "key value" lines (memory.stat, cpu.stat, memory.events, memory.oom_control) in file order. */
    public static Map<String, Long> readKeyValues(Path file) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : read(file).split("\n")) {
            String[] kv = line.strip().split("\\s+");
            if (kv.length == 2) {
                values.put(kv[0], parseLong(kv[1], file));
            }
        }
        return values;
    }

    /** {@link #readKeyValues}, or an empty map when the file does not exist. */
    public static Map<String, Long> readKeyValuesIfExists(Path file) {
        return Files.exists(file) ? readKeyValues(file) : Map.of();
    }

    /** The pids in a {@code cgroup.procs} file; none when the cgroup is gone. */
    public static List<Long> readPids(Path procs) {
        if (!Files.exists(procs)) {
            return List.of();
        }
        List<Long> pids = new ArrayList<>();
        for (String line : read(procs).split("\n")) {
            if (!line.isBlank()) {
                pids.add(parseLong(line.strip(), procs));
            }
        }
        return pids;
    }

    /** {@code dir} and its descendant cgroup directories, children before parents (the order rmdir needs). */
    public static List<Path> subtreeBottomUp(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> dirs = new ArrayList<>(walk.filter(Files::isDirectory).toList());
            java.util.Collections.reverse(dirs);
            return dirs;
        } catch (IOException e) {
            throw AgentException.system("list cgroups below " + dir, e);
        }
    }

    public static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw AgentException.system("create cgroup " + dir, new IOException(reason(e), e));
        }
    }

    /**
     * rmdir(2) of one cgroup directory; true when it is gone (or was never there), false while the kernel
     * still refuses with EBUSY (processes or child cgroups remain).
     *
     * <p>On cgroupfs rmdir removes a directory together with its control files. A plain directory (the
     * unit tests' tree) refuses with ENOTEMPTY, which cgroupfs never returns, so there the files go first.
     */
    public static boolean tryRmdir(Path dir) {
        try {
            Files.deleteIfExists(dir);
            return true;
        } catch (DirectoryNotEmptyException e) {
            deletePlainFiles(dir);
            return tryRmdir(dir);
        } catch (NoSuchFileException e) {
            return true;
        } catch (FileSystemException e) {
            if ("Device or resource busy".equals(e.getReason())) {
                return false;
            }
            throw AgentException.system("remove cgroup " + dir, new IOException(reason(e), e));
        } catch (IOException e) {
            throw AgentException.system("remove cgroup " + dir, e);
        }
    }

    private static void deletePlainFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                if (Files.isDirectory(f)) {
                    throw AgentException.system("remove cgroup " + dir + " failed: it has a child cgroup " + f.getFileName());
                }
                Files.delete(f);
            }
        } catch (IOException e) {
            throw AgentException.system("remove cgroup " + dir, e);
        }
    }

    /** Polls {@code done} every 10 ms until true or {@code timeout}; false on timeout. */
    public static boolean await(BooleanSupplier done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw AgentException.system("interrupted while waiting on a cgroup");
            }
        }
        return true;
    }

    static long parseLong(String value, Path file) {
        if (MAX.equals(value)) {
            return Long.MAX_VALUE;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            try {
                // v1 counters are unsigned 64-bit: 18446744073709551615 and friends clamp to Long.MAX_VALUE.
                return new java.math.BigInteger(value).min(java.math.BigInteger.valueOf(Long.MAX_VALUE)).longValueExact();
            } catch (NumberFormatException | ArithmeticException e2) {
                throw AgentException.system("unexpected value '" + value + "' in " + file);
            }
        }
    }

    /** The errno text alone ("Invalid argument"), without the path Java puts before it. */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
