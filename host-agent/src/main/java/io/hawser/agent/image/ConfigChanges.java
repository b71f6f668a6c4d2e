package io.hawser.agent.image;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.agent.common.AgentException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code docker import -c 'CMD ["sh"]' -c 'ENV A=b'}: Dockerfile instructions applied to the new image's
 * config. The same subset dockerd accepts for import and commit: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER,
 * VOLUME, WORKDIR, STOPSIGNAL (ONBUILD and HEALTHCHECK are not supported here).
 *
 * @see <a href="https://docs.docker.com/reference/cli/docker/image/import/">docker import</a>
 * @see <a href="https://docs.docker.com/reference/dockerfile/">Dockerfile reference</a>
 */
public final class ConfigChanges {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigChanges() {}

    public static ImageConfig.RunConfig apply(ImageConfig.RunConfig base, List<String> changes) {
        Builder b = new Builder(base);
        for (String change : changes) {
            String line = change.strip();
            if (line.isEmpty()) {
                continue;
            }
            int space = indexOfWhitespace(line);
            String instruction = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
            String args = space < 0 ? "" : line.substring(space).strip();
            switch (instruction) {
                case "CMD" -> b.cmd = command(args);
                case "ENTRYPOINT" -> b.entrypoint = command(args);
                case "ENV" -> keyValues(instruction, args, true).forEach(b.env::put);
                case "LABEL" -> keyValues(instruction, args, false).forEach(b.labels::put);
                case "USER" -> b.user = required(instruction, args);
                case "WORKDIR" -> b.workingDir = required(instruction, args);
                case "STOPSIGNAL" -> b.stopSignal = required(instruction, args);
                case "EXPOSE" -> {
                    for (String port : words(required(instruction, args))) {
                        b.exposed.put(port.contains("/") ? port.toLowerCase(Locale.ROOT) : port + "/tcp", Map.of());
                    }
                }
                case "VOLUME" -> {
                    for (String v : jsonArray(args) != null ? jsonArray(args) : words(required(instruction, args))) {
                        b.volumes.put(v, Map.of());
                    }
                }
                default -> throw AgentException.invalidArgument(instruction + " is not a valid change command");
            }
        }
        return b.build();
    }

    /** JSON (exec) form as is; shell form runs through {@code /bin/sh -c}, as in a Dockerfile. */
    private static List<String> command(String args) {
        List<String> exec = jsonArray(args);
        if (exec != null) {
            return exec;
        }
        return args.isEmpty() ? null : List.of("/bin/sh", "-c", args);
    }

    private static List<String> jsonArray(String args) {
        if (!args.startsWith("[")) {
            return null;
        }
        try {
            return JSON.readValue(args, new TypeReference<List<String>>() {});
        } catch (Exception e) {
            return null;
        }
    }

    /** {@code K=V K2="v 2"}, or the legacy {@code K V with spaces} form when allowed (ENV). */
    private static Map<String, String> keyValues(String instruction, String args, boolean legacyForm) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> words = words(required(instruction, args));
        if (!words.get(0).contains("=")) {
            if (!legacyForm || words.size() < 2) {
                throw AgentException.invalidArgument(instruction + " names must be followed by '=' and a value: '" + args + "'");
            }
            int space = indexOfWhitespace(args);
            out.put(words.get(0), args.substring(space).strip());
            return out;
        }
        for (String word : words) {
            int eq = word.indexOf('=');
            if (eq <= 0) {
                throw AgentException.invalidArgument(instruction + " expects KEY=VALUE pairs, got '" + word + "'");
            }
            out.put(word.substring(0, eq), word.substring(eq + 1));
        }
        return out;
    }

    /** Whitespace-separated words; double or single quotes group, backslash escapes. */
    static List<String> words(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && quote != '\'') {
                cur.append(s.charAt(++i));
                inWord = true;
            } else if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw AgentException.invalidArgument("unterminated quote in '" + s + "'");
        }
        if (inWord) {
            words.add(cur.toString());
        }
        return words;
    }

    private static String required(String instruction, String args) {
        if (args.isEmpty()) {
            throw AgentException.invalidArgument(instruction + " requires at least one argument");
        }
        return args;
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static final class Builder {
        String user;
        String workingDir;
        String stopSignal;
        List<String> cmd;
        List<String> entrypoint;
        final Map<String, String> env = new LinkedHashMap<>();
        final Map<String, String> labels = new LinkedHashMap<>();
        final Map<String, Map<String, Object>> exposed = new LinkedHashMap<>();
        final Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();

        Builder(ImageConfig.RunConfig base) {
            user = base.user();
            workingDir = base.workingDir();
            stopSignal = base.stopSignal();
            cmd = base.cmd();
            entrypoint = base.entrypoint();
            if (base.env() != null) {
                for (String e : base.env()) {
                    int eq = e.indexOf('=');
                    env.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
                }
            }
            if (base.labels() != null) {
                labels.putAll(base.labels());
            }
            if (base.exposedPorts() != null) {
                exposed.putAll(base.exposedPorts());
            }
            if (base.volumes() != null) {
                volumes.putAll(base.volumes());
            }
        }

        ImageConfig.RunConfig build() {
            return new ImageConfig.RunConfig(user,
                    exposed.isEmpty() ? null : exposed,
                    env.isEmpty() ? null : env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList(),
                    entrypoint, cmd,
                    volumes.isEmpty() ? null : volumes,
                    workingDir,
                    labels.isEmpty() ? null : labels,
                    stopSignal);
        }
    }
}
