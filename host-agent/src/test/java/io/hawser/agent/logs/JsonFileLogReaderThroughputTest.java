package io.hawser.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sanity check that 60 MB of logs across rotated files stream through the reader (every byte, in
 * order) and that a tail only reads the end. No timing assertions: this machine is shared.
 */
class JsonFileLogReaderThroughputTest {

    @TempDir
    Path dir;

    @Test
    void sixtyMegabytes_streamThroughCompletely_andTailReadsOnlyTheEnd() throws Exception {
        Path log = dir.resolve("big-json.log");
        byte[] filler = new byte[90];
        Arrays.fill(filler, (byte) 'x');
        int lines = 0;
        long textBytes = 0;
        Instant t = Instant.parse("2026-11-27T22:00:00Z");
        try (JsonFileLogWriter w = new JsonFileLogWriter(log, 20L << 20, 4)) {
            while (totalSize(log) < (60L << 20)) {
                byte[] text = (lines + " " + new String(filler, StandardCharsets.US_ASCII) + "\n").getBytes(StandardCharsets.US_ASCII);
                w.write(lines % 2 == 0 ? LogStream.STDOUT : LogStream.STDERR, t.plusNanos(lines), text);
                textBytes += text.length;
                lines++;
            }
        }
        AtomicLong count = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong outOfOrder = new AtomicLong();
        new JsonFileLogReader(log).read(LogReadOptions.all(), e -> {
            long n = count.getAndIncrement();
            if (!new String(e.text(), 0, Math.min(12, e.text().length), StandardCharsets.US_ASCII).startsWith(n + " ")) {
                outOfOrder.incrementAndGet();
            }
            bytes.addAndGet(e.text().length);
        }, () -> false, () -> false);
        assertThat(count.get()).isEqualTo(lines);
        assertThat(bytes.get()).isEqualTo(textBytes);
        assertThat(outOfOrder.get()).isZero();

        List<String> tail = new ArrayList<>();
        new JsonFileLogReader(log).read(new LogReadOptions(true, true, null, null, 3, false),
                e -> tail.add(new String(e.text(), StandardCharsets.US_ASCII).split(" ")[0]), () -> false, () -> false);
        assertThat(tail).containsExactly(String.valueOf(lines - 3), String.valueOf(lines - 2), String.valueOf(lines - 1));
    }

    /** Checked every 10,000 lines: stat per line would dominate the test. */
    private long checked;

    private long totalSize(Path log) throws java.io.IOException {
        if (++checked % 10_000 != 1) {
            return 0;
        }
        long total = 0;
        for (Path p : JsonFileLogReader.files(log)) {
            if (Files.exists(p)) {
                total += Files.size(p);
            }
        }
        return total;
    }
}
