package io.hawser.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JsonLogLineTest {

    private static String encode(byte[] text, Instant t) {
        return new String(JsonLogLine.encode(LogStream.STDOUT, t, text, 0, text.length), StandardCharsets.UTF_8);
    }

    @Test
    void encode_isDockerdsLine() {
        assertThat(encode("hello\n".getBytes(StandardCharsets.UTF_8), Instant.parse("2026-11-27T22:12:19.394166628Z")))
                .isEqualTo("{\"log\":\"hello\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-27T22:12:19.394166628Z\"}\n");
    }

    @Test
    void encode_dropsTrailingZerosOfTheFraction_asGoRfc3339Nano() {
        assertThat(JsonLogLine.formatTime(Instant.parse("2026-11-27T22:12:19.394100000Z"))).isEqualTo("2026-11-27T22:12:19.3941Z");
        assertThat(JsonLogLine.formatTime(Instant.parse("2026-11-27T22:12:19Z"))).isEqualTo("2026-11-27T22:12:19Z");
        assertThat(JsonLogLine.formatFixed(Instant.parse("2026-11-27T22:12:19.3941Z"))).isEqualTo("2026-11-27T22:12:19.394100000Z");
    }

    @Test
    void encode_escapesLikeDockerd() {
        byte[] text = {'"', '\\', '\t', '\r', 1, 0x1f, '<', '>', '&', (byte) 0xc3, (byte) 0xa9, (byte) 0xff, (byte) 0xe2, (byte) 0x80, (byte) 0xa8, 'x'};
        String line = encode(text, Instant.EPOCH);
        assertThat(line).startsWith("{\"log\":\"\\\"\\\\\\t\\r\\u0001\\u001f\\u003c\\u003e\\u0026é\\ufffd\\u2028x\",");
    }

    @Test
    void decode_roundTripsTextStreamAndTime_includingPartialLines() {
        Instant t = Instant.parse("2026-11-27T22:12:19.000000001Z");
        byte[] text = "no newline, ünïcode \"quoted\"".getBytes(StandardCharsets.UTF_8);
        byte[] line = JsonLogLine.encode(LogStream.STDERR, t, text, 0, text.length);
        LogEntry e = JsonLogLine.decode(line, 0, line.length - 1);
        assertThat(e.stream()).isEqualTo(LogStream.STDERR);
        assertThat(e.time()).isEqualTo(t);
        assertThat(e.text()).isEqualTo(text);
        assertThat(e.partial()).isTrue();
    }

    @Test
    void parseTime_acceptsAnyRfc3339Form() {
        assertThat(JsonLogLine.parseTime("2026-11-27T22:12:19.5Z")).isEqualTo(Instant.parse("2026-11-27T22:12:19.500Z"));
        assertThat(JsonLogLine.parseTime("2026-11-27T23:12:19.5+01:00")).isEqualTo(Instant.parse("2026-11-27T22:12:19.500Z"));
        assertThat(JsonLogLine.parseTime("2026-11-27T22:12:19Z")).isEqualTo(Instant.parse("2026-11-27T22:12:19Z"));
    }

    @Test
    void decode_skipsExtraFields() {
        byte[] line = "{\"log\":\"a\\n\",\"stream\":\"stdout\",\"attrs\":{\"k\":\"v\"},\"time\":\"2026-11-27T22:12:19Z\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(new String(JsonLogLine.decode(line, 0, line.length).text(), StandardCharsets.UTF_8)).isEqualTo("a\n");
    }
}
