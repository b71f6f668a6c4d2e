package io.hawser.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonFileLogWriterTest {

    @TempDir
    Path dir;

    @Test
    void rotation_keepsMaxFileFiles_newestRotatedAsDot1() throws Exception {
        Path log = dir.resolve("abc-json.log");
        try (JsonFileLogWriter w = new JsonFileLogWriter(log, 200, 3)) {
            LogFixtures.writeLines(w, 0, 40);
        }
        assertThat(log.resolveSibling("abc-json.log.1")).exists();
        assertThat(log.resolveSibling("abc-json.log.2")).exists();
        assertThat(log.resolveSibling("abc-json.log.3")).doesNotExist();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-r-----");
        // rotation happens before a write once the file holds max-size: so at most one entry beyond it
        long entry = JsonLogLine.encode(LogStream.STDOUT, LogFixtures.T0.plusSeconds(10), LogFixtures.utf8("line 10\n"), 0, 8).length;
        assertThat(Files.size(log.resolveSibling("abc-json.log.1"))).isBetween(200L, 200L + entry);
        assertThat(Files.readAllLines(log)).last().asString().contains("line 39");
        assertThat(Files.readAllLines(log.resolveSibling("abc-json.log.2")).get(0))
                .as("oldest kept file").doesNotContain("\"line 0\\n\"");
    }

    @Test
    void maxFile1_truncatesInPlace() throws Exception {
        Path log = dir.resolve("abc-json.log");
        try (JsonFileLogWriter w = new JsonFileLogWriter(log, 200, 1)) {
            LogFixtures.writeLines(w, 0, 40);
        }
        assertThat(log.resolveSibling("abc-json.log.1")).doesNotExist();
        assertThat(Files.size(log)).isLessThan(400);
        assertThat(Files.readAllLines(log)).last().asString().contains("line 39");
    }

    @Test
    void reopen_appends() throws Exception {
        Path log = dir.resolve("abc-json.log");
        try (JsonFileLogWriter w = new JsonFileLogWriter(log, 0, 1)) {
            LogFixtures.writeLines(w, 0, 2);
        }
        try (JsonFileLogWriter w = new JsonFileLogWriter(log, 0, 1)) {
            LogFixtures.writeLines(w, 2, 3);
        }
        assertThat(Files.readAllLines(log)).hasSize(3);
    }
}
