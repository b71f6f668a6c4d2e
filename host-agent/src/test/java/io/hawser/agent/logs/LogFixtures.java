package io.hawser.agent.logs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Helpers shared by the log tests. */
final class LogFixtures {

    static final Instant T0 = Instant.parse("2026-11-27T22:00:00Z");

    private LogFixtures() {}

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Reads with {@code options} and returns "stream:text" per entry. */
    static List<String> read(JsonFileLogReader reader, LogReadOptions options, BooleanSupplier running) throws Exception {
        List<String> out = new ArrayList<>();
        reader.read(options, e -> out.add(e.stream().wire() + ":" + new String(e.text(), StandardCharsets.UTF_8)),
                running, () -> false);
        return out;
    }

    static List<String> read(JsonFileLogReader reader, LogReadOptions options) throws Exception {
        return read(reader, options, () -> false);
    }

    /** Writes lines "line i\n" on stdout (even i) and stderr (odd i), one second apart from T0. */
    static void writeLines(JsonFileLogWriter w, int from, int to) throws IOException {
        for (int i = from; i < to; i++) {
            w.write(i % 2 == 0 ? LogStream.STDOUT : LogStream.STDERR, T0.plusSeconds(i), utf8("line " + i + "\n"));
        }
    }
}
