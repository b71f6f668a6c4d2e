package io.hawser.agent.runtime;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The shim's {@code exit} file: {@code code=<n>\nsignal=<n>\ntime=<RFC 3339>\n}. {@code code} is what
 * dockerd reports as ExitCode: the exit status, or 128+N when the init was killed by signal N.
 */
public record ExitStatus(int code, int signal, Instant time) {

    public static final String FILE_NAME = "exit";

    public static ExitStatus parse(String content) {
        Map<String, String> fields = new HashMap<>();
        for (String line : content.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        try {
            return new ExitStatus(Integer.parseInt(fields.get("code")), Integer.parseInt(fields.get("signal")),
                    Instant.parse(fields.get("time")));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed exit file: " + content.replace("\n", "\\n"), e);
        }
    }
}
