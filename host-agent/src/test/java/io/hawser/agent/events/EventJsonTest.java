package io.hawser.agent.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    /** Every line dockerd 20.10 sent, parsed and written again, comes out byte for byte. */
    @Test
    void dockerdFixture_roundTripsExactly() throws IOException {
        List<String> lines;
        try (var in = EventJsonTest.class.getResourceAsStream("/dockerd-20.10/events.jsonl")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        assertThat(lines).hasSizeGreaterThan(5);
        for (String line : lines) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            assertThat(new String(EventJson.bytes(EventJson.parse(b, 0, b.length)), StandardCharsets.UTF_8)).isEqualTo(line);
        }
    }
}
