package io.hawser.agent.logs;

import static io.hawser.agent.logs.LogFixtures.T0;
import static io.hawser.agent.logs.LogFixtures.read;
import static io.hawser.agent.logs.LogFixtures.utf8;
import static io.hawser.agent.logs.LogFixtures.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonFileLogReaderTest {

    @TempDir
    Path dir;

    private Path log() {
        return dir.resolve("c0ffee-json.log");
    }

    private JsonFileLogReader reader() {
        return new JsonFileLogReader(log(), Duration.ofMillis(10), Clock.systemUTC());
    }

    private static List<String> expected(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> (i % 2 == 0 ? "stdout" : "stderr") + ":line " + i + "\n").toList();
    }

    @Test
    void all_readsRotatedFilesOldestFirst() throws Exception {
        try (JsonFileLogWriter w = new JsonFileLogWriter(log(), 300, 50)) {
            writeLines(w, 0, 60);
        }
        assertThat(Files.exists(dir.resolve("c0ffee-json.log.5"))).isTrue();
        assertThat(read(reader(), LogReadOptions.all())).containsExactlyElementsOf(expected(0, 60));
    }

    @Test
    void tail_spansRotatedFiles() throws Exception {
        try (JsonFileLogWriter w = new JsonFileLogWriter(log(), 300, 50)) {
            writeLines(w, 0, 60);
        }
        for (int n : new int[] {0, 1, 3, 7, 25, 59, 60, 1000}) {
            assertThat(read(reader(), new LogReadOptions(true, true, null, null, n, false)))
                    .as("tail " + n).containsExactlyElementsOf(expected(Math.max(0, 60 - n), 60));
        }
    }

    @Test
    void tail_ignoresALineStillBeingWritten() throws Exception {
        try (JsonFileLogWriter w = new JsonFileLogWriter(log(), 0, 1)) {
            writeLines(w, 0, 5);
        }
        Files.writeString(log(), "{\"log\":\"half", java.nio.file.StandardOpenOption.APPEND);
        assertThat(read(reader(), new LogReadOptions(true, true, null, null, 2, false))).containsExactlyElementsOf(expected(3, 5));
    }

    @Test
    void sinceAndUntil_areInclusiveBounds_andStreamsAreSelectable() throws Exception {
        try (JsonFileLogWriter w = new JsonFileLogWriter(log(), 300, 50)) {
            writeLines(w, 0, 60);
        }
        assertThat(read(reader(), new LogReadOptions(true, true, T0.plusSeconds(10), T0.plusSeconds(13), -1, false)))
                .containsExactlyElementsOf(expected(10, 14));
        assertThat(read(reader(), new LogReadOptions(false, true, T0.plusSeconds(10), T0.plusSeconds(13), -1, false)))
                .containsExactly("stderr:line 11\n", "stderr:line 13\n");
        assertThat(read(reader(), new LogReadOptions(true, false, null, null, 4, false)))
                .as("tail counts both streams, as dockerd").containsExactly("stdout:line 56\n", "stdout:line 58\n");
    }

    @Test
    void partialLines_arePassedOnVerbatim() throws Exception {
        try (JsonFileLogWriter w = new JsonFileLogWriter(log(), 0, 1)) {
            w.write(LogStream.STDOUT, T0, utf8("no newline"));
            w.write(LogStream.STDOUT, T0, utf8(" continued\n"));
            w.write(LogStream.STDERR, T0, utf8("last words"));
        }
        assertThat(read(reader(), LogReadOptions.all())).containsExactly("stdout:no newline", "stdout: continued\n", "stderr:last words");
    }

    @Test
    void missingLog_readsNothing() throws Exception {
        assertThat(read(reader(), LogReadOptions.all().withFollow(true))).isEmpty();
    }

    /**
     * A writer thread logs in batches smaller than max-size (so at most one rotation happens while the
     * reader catches up) and rotates many times; the follower sees every line once, in order, and ends
     * after the "container" stops, including the lines of the last batch written right before the stop.
     */
    @Test
    void follow_acrossRotations_untilTheContainerStops() throws Exception {
        int batches = 40;
        int perBatch = 5;
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        JsonFileLogWriter w = new JsonFileLogWriter(log(), 1000, 3);
        writeLines(w, 0, perBatch);
        Thread writer = new Thread(() -> {
            try (w) {
                for (int b = 1; b < batches; b++) {
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (seen.size() < b * perBatch && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    writeLines(w, b * perBatch, (b + 1) * perBatch);
                }
                running.set(false); // exits right after its last output, before the reader saw it
            } catch (Exception e) {
                writerFailure.set(e);
                running.set(false);
            }
        });
        writer.start();
        reader().read(new LogReadOptions(true, true, null, null, -1, true),
                e -> seen.add(e.stream().wire() + ":" + new String(e.text(), java.nio.charset.StandardCharsets.UTF_8)),
                running::get, () -> false);
        writer.join();
        assertThat(writerFailure.get()).isNull();
        assertThat(Files.exists(dir.resolve("c0ffee-json.log.2"))).as("rotated").isTrue();
        assertThat(seen).containsExactlyElementsOf(expected(0, batches * perBatch));
    }

    @Test
    void follow_withTruncationRotation_readsTheNewContent() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread t = new Thread(() -> {
            try {
                reader().read(new LogReadOptions(true, true, null, null, -1, true),
                        e -> seen.add(new String(e.text(), java.nio.charset.StandardCharsets.UTF_8)), running::get, () -> false);
            } catch (Exception e) {
                seen.add("failed: " + e);
            }
        });
        try (JsonFileLogWriter w = new JsonFileLogWriter(log(), 100, 1)) {
            w.write(LogStream.STDOUT, T0, utf8("first line that is long enough to fill a hundred bytes with its json\n"));
            t.start();
            awaitSize(seen, 1);
            w.write(LogStream.STDOUT, T0, utf8("second\n")); // truncates first: the file was full
        }
        awaitSize(seen, 2);
        running.set(false);
        t.join();
        assertThat(seen).containsExactly("first line that is long enough to fill a hundred bytes with its json\n", "second\n");
    }

    @Test
    void follow_endsWhenCancelled() throws Exception {
        try (JsonFileLogWriter w = new JsonFileLogWriter(log(), 0, 1)) {
            writeLines(w, 0, 3);
        }
        AtomicLong entries = new AtomicLong();
        reader().read(new LogReadOptions(true, true, null, null, -1, true), e -> entries.incrementAndGet(),
                () -> true, () -> entries.get() >= 3);
        assertThat(entries.get()).isEqualTo(3);
    }

    @Test
    void follow_withUntilInThePast_endsAtOnce() throws Exception {
        try (JsonFileLogWriter w = new JsonFileLogWriter(log(), 0, 1)) {
            writeLines(w, 0, 3);
        }
        assertThat(read(reader(), new LogReadOptions(true, true, null, Instant.now().minusSeconds(1), -1, true), () -> true))
                .containsExactlyElementsOf(expected(0, 3));
    }

    private static void awaitSize(List<String> list, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (list.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(list).hasSizeGreaterThanOrEqualTo(n);
    }
}
