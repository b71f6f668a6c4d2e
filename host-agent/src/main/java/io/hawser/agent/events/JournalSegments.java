package io.hawser.agent.events;

import io.hawser.agent.common.AgentException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The segment files of an {@link EventJournal}; not thread-safe, the journal holds its lock around every call. */
final class JournalSegments {

    private static final Pattern NAME = Pattern.compile("events-([0-9]{12})\\.jsonl");

    private static final class Segment {
        final long number;
        final Path path;
        long size;
        Instant firstTime;

        Segment(long number, Path path, long size, Instant firstTime) {
            this.number = number;
            this.path = path;
            this.size = size;
            this.firstTime = firstTime;
        }
    }

    /** A segment as far as it was written when a subscription started; the channel is the reader's to close. */
    record Slice(Path path, FileChannel channel, long limit) {}

    private final Path dir;
    private final List<Segment> segments;
    private FileChannel current;

    private JournalSegments(Path dir, List<Segment> segments, FileChannel current) {
        this.dir = dir;
        this.segments = segments;
        this.current = current;
    }

    static JournalSegments open(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            List<Segment> found = new ArrayList<>();
            for (Path p : EventJournal.list(dir)) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    found.add(new Segment(Long.parseLong(m.group(1)), p, 0, null));
                }
            }
            found.sort(Comparator.comparingLong(s -> s.number));
            if (found.isEmpty()) {
                found.add(new Segment(1, dir.resolve(name(1)), 0, null));
            }
            for (Segment s : found) {
                s.firstTime = SegmentReader.firstTime(s.path);
                s.size = Files.exists(s.path) ? Files.size(s.path) : 0;
            }
            Segment last = found.get(found.size() - 1);
            last.size = cutTornLine(last.path, last.size);
            return new JournalSegments(dir, found, EventJournal.openAppend(last.path));
        } catch (IOException e) {
            throw AgentException.system("open event journal " + dir, e);
        }
    }

    Path dir() {
        return dir;
    }

    long currentSize() {
        return last().size;
    }

    void append(ByteBuffer line, Instant time) throws IOException {
        int n = line.remaining();
        while (line.hasRemaining()) {
            current.write(line);
        }
        Segment s = last();
        s.size += n;
        if (s.firstTime == null) {
            s.firstTime = time;
        }
    }

    /** Closes the current segment (fsynced) and starts the next. */
    void startNext() throws IOException {
        current.force(true);
        current.close();
        long next = last().number + 1;
        Segment s = new Segment(next, dir.resolve(name(next)), 0, null);
        current = EventJournal.openAppend(s.path);
        segments.add(s);
    }

    /** Deletes whole segments, oldest first, while over {@code maxBytes} or last written before {@code cutoff}. */
    void deleteOldest(long maxBytes, Instant cutoff) {
        long total = segments.stream().mapToLong(s -> s.size).sum();
        while (segments.size() > 1) {
            Segment oldest = segments.get(0);
            if (total <= maxBytes && !lastWrittenBefore(oldest.path, cutoff)) {
                return;
            }
            EventJournal.deleteQuietly(oldest.path);
            total -= oldest.size;
            segments.remove(0);
        }
    }

    /** The segments that may hold events at or after {@code since} (all when null), opened for reading. */
    List<Slice> slices(Instant since) {
        List<Slice> slices = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            Instant nextFirst = i + 1 < segments.size() ? segments.get(i + 1).firstTime : null;
            if (s.size == 0 || (since != null && nextFirst != null && nextFirst.isBefore(since))) {
                continue; // every event of s is older than the next segment's first, hence than since
            }
            try {
                slices.add(new Slice(s.path, FileChannel.open(s.path, StandardOpenOption.READ), s.size));
            } catch (NoSuchFileException gone) {
                // deleted behind our back: its events are lost to retention either way
            } catch (IOException e) {
                slices.forEach(sl -> SegmentReader.closeQuietly(sl.channel()));
                throw AgentException.system("open event journal segment " + s.path, e);
            }
        }
        return slices;
    }

    void close() {
        try {
            current.force(true);
        } catch (IOException e) {
            // closing anyway; what was written is in the page cache
        }
        SegmentReader.closeQuietly(current);
    }

    private Segment last() {
        return segments.get(segments.size() - 1);
    }

    private static boolean lastWrittenBefore(Path p, Instant cutoff) {
        try {
            return Files.getLastModifiedTime(p).toInstant().isBefore(cutoff);
        } catch (IOException e) {
            return false;
        }
    }

    private static String name(long number) {
        return String.format("events-%012d.jsonl", number);
    }

    /** A power loss can leave half a line at the end; cut it so the next event starts on a line of its own. */
    private static long cutTornLine(Path p, long size) throws IOException {
        if (size == 0) {
            return 0;
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long keep = SegmentReader.endOfLastLine(ch, size);
            if (keep < size) {
                ch.truncate(keep);
            }
            return keep;
        }
    }
}
