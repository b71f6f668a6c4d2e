package io.hawser.agent.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One json-file record as the tests read it back (the real reader lives with the logs package). */
record LogRecord(String log, String stream, String time, String rawLine) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static List<LogRecord> readAll(Path... files) throws IOException {
        List<LogRecord> records = new ArrayList<>();
        for (Path file : files) {
            for (String line : Files.readAllLines(file)) {
                JsonNode n = JSON.readTree(line);
                records.add(new LogRecord(n.get("log").asText(), n.get("stream").asText(), n.get("time").asText(), line));
            }
        }
        return records;
    }
}
