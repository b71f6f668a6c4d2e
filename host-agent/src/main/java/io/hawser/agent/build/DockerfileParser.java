package io.hawser.agent.build;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.agent.common.AgentException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Dockerfile into instructions, as moby's parser (buildkit frontend/dockerfile/parser/parser.go):
 * {@code #} lines are comments (also inside a continuation), a line ending in the escape character continues
 * on the next, empty lines inside a continuation are skipped, the keyword is case-insensitive. Errors name
 * the line: "Dockerfile parse error line 3: unknown instruction: FORM". The escape directive is not
 * supported: the escape character is always a backslash.
 */
public final class DockerfileParser {

    static final Set<String> KEYWORDS = Set.of("FROM", "RUN", "CMD", "ENTRYPOINT", "COPY", "ADD", "ENV", "ARG", "EXPOSE",
            "USER", "VOLUME", "WORKDIR", "LABEL", "MAINTAINER", "ONBUILD", "STOPSIGNAL");
    /** Instructions that take {@code --flag=value} in front of their arguments. */
    private static final Set<String> WITH_FLAGS = Set.of("FROM", "COPY", "ADD", "RUN");
    private static final ObjectMapper JSON = new ObjectMapper();

    private DockerfileParser() {}

    public static List<Instruction> parse(String dockerfile) {
        List<Instruction> out = new ArrayList<>();
        String[] lines = dockerfile.split("\r?\n", -1);
        int i = 0;
        while (i < lines.length) {
            String line = lines[i].strip();
            int start = i + 1;
            i++;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            StringBuilder text = new StringBuilder();
            while (line.endsWith("\\")) {
                text.append(line, 0, line.length() - 1);
                line = null;
                while (i < lines.length) {
                    String next = lines[i].strip();
                    i++;
                    if (next.isEmpty() || next.startsWith("#")) {
                        continue;
                    }
                    line = next;
                    break;
                }
                if (line == null) {
                    break;
                }
            }
            if (line != null) {
                text.append(line);
            }
            out.add(instruction(start, text.toString().strip()));
        }
        return out;
    }

    /** One logical line: keyword, flags, arguments. Also used for ONBUILD triggers. */
    static Instruction instruction(int line, String text) {
        int space = indexOfSpace(text);
        String keyword = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
        String rest = space < 0 ? "" : text.substring(space).strip();
        if (!KEYWORDS.contains(keyword)) {
            throw error(line, "unknown instruction: " + keyword);
        }
        Map<String, String> flags = new LinkedHashMap<>();
        if (WITH_FLAGS.contains(keyword)) {
            while (rest.startsWith("--")) {
                int end = indexOfSpace(rest);
                String flag = end < 0 ? rest : rest.substring(0, end);
                int eq = flag.indexOf('=');
                if (eq < 0) {
                    throw error(line, "flag " + flag + " needs a value: " + flag + "=VALUE");
                }
                String name = flag.substring(2, eq);
                if (!allowedFlag(keyword, name)) {
                    throw error(line, "unknown flag: " + name);
                }
                flags.put(name, flag.substring(eq + 1));
                rest = end < 0 ? "" : rest.substring(end).strip();
            }
        }
        if (rest.isEmpty() && !keyword.equals("RUN") && !keyword.equals("CMD") && !keyword.equals("ENTRYPOINT")) {
            throw error(line, keyword + " requires at least one argument");
        }
        return new Instruction(line, keyword, flags, rest, jsonArray(rest), text);
    }

    private static boolean allowedFlag(String keyword, String name) {
        return switch (keyword) {
            case "FROM" -> name.equals("platform");
            case "COPY" -> name.equals("from") || name.equals("chown");
            case "ADD" -> name.equals("chown");
            default -> false;
        };
    }

    /** A JSON array of strings, or null (then the shell form), as moby's parseMaybeJSON. */
    static List<String> jsonArray(String rest) {
        if (!rest.startsWith("[") || !rest.endsWith("]")) {
            return null;
        }
        try {
            return JSON.readValue(rest, new TypeReference<List<String>>() {});
        } catch (Exception e) {
            return null;
        }
    }

    static AgentException error(int line, String message) {
        return AgentException.invalidArgument("Dockerfile parse error line " + line + ": " + message);
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
