package io.hawser.agent.build;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.image.ImageConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The instructions that only change the image config (dockerd's dispatchers.go): CMD, ENTRYPOINT, ENV, EXPOSE,
 * USER, VOLUME, WORKDIR, LABEL, STOPSIGNAL, ONBUILD. Each returns the new config; the caller commits it as an
 * empty layer whose history line is {@link #historyLine}.
 */
final class ConfigInstructions {

    private ConfigInstructions() {}

    static ImageConfig.RunConfig apply(Stage st, Instruction ins) {
        ImageConfig.RunConfig c = st.config;
        Map<String, String> vars = st.env();
        return switch (ins.keyword()) {
            case "CMD" -> {
                st.cmdSet = true;
                yield with(c, b -> b.cmd = command(ins));
            }
            case "ENTRYPOINT" -> with(c, b -> {
                b.entrypoint = command(ins);
                if (!st.cmdSet) {
                    b.cmd = null; // dockerd: a new ENTRYPOINT drops the CMD inherited from the base image
                }
            });
            case "ENV" -> with(c, b -> {
                Map<String, String> env = Stage.envOfConfig(c.env());
                pairs(ins, vars, true).forEach(env::put);
                b.env = env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
            });
            case "LABEL" -> with(c, b -> {
                Map<String, String> labels = new LinkedHashMap<>(c.labels() == null ? Map.of() : c.labels());
                labels.putAll(pairs(ins, vars, true));
                b.labels = labels;
            });
            case "EXPOSE" -> with(c, b -> {
                Map<String, Map<String, Object>> ports = new LinkedHashMap<>(c.exposedPorts() == null ? Map.of() : c.exposedPorts());
                for (String p : ShellLex.words(ins.args(), vars)) {
                    if (!p.matches("[0-9]+(-[0-9]+)?(/[a-zA-Z]+)?")) {
                        throw AgentException.invalidArgument("Invalid containerPort: " + p);
                    }
                    ports.put(p.contains("/") ? p.toLowerCase(Locale.ROOT) : p + "/tcp", Map.of());
                }
                b.exposed = ports;
            });
            case "VOLUME" -> with(c, b -> {
                Map<String, Map<String, Object>> volumes = new LinkedHashMap<>(c.volumes() == null ? Map.of() : c.volumes());
                for (String v : ins.isJson() ? ins.json() : ShellLex.words(ins.args(), vars)) {
                    if (v.isBlank()) {
                        throw AgentException.invalidArgument("VOLUME specified can not be an empty string");
                    }
                    volumes.put(ShellLex.word(v, vars), Map.of());
                }
                b.volumes = volumes;
            });
            case "USER" -> with(c, b -> b.user = ShellLex.word(ins.args(), vars));
            case "STOPSIGNAL" -> with(c, b -> b.stopSignal = ShellLex.word(ins.args(), vars));
            case "WORKDIR" -> with(c, b -> {
                String dir = ShellLex.word(ins.args(), vars);
                b.workingDir = IgnorePatterns.clean(dir.startsWith("/") ? dir : st.workdir() + "/" + dir);
            });
            case "ONBUILD" -> with(c, b -> {
                Instruction trigger = DockerfileParser.instruction(ins.line(), ins.args());
                if (trigger.keyword().equals("ONBUILD")) {
                    throw AgentException.invalidArgument("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
                }
                if (trigger.keyword().equals("FROM") || trigger.keyword().equals("MAINTAINER")) {
                    throw AgentException.invalidArgument(trigger.keyword() + " isn't allowed as an ONBUILD trigger");
                }
                List<String> triggers = new ArrayList<>(c.onBuild() == null ? List.of() : c.onBuild());
                triggers.add(ins.args());
                b.onBuild = triggers;
            });
            default -> throw new IllegalArgumentException(ins.keyword());
        };
    }

    /** The history line dockerd writes for a config-only step: {@code /bin/sh -c #(nop)  ENV A=b}. */
    static String historyLine(Instruction ins, Map<String, String> vars) {
        String text = switch (ins.keyword()) {
            case "CMD", "ENTRYPOINT" -> ins.keyword() + " " + goQuoted(command(ins));
            case "ONBUILD", "RUN" -> ins.keyword() + " " + ins.args();
            default -> ins.keyword() + " " + ShellLex.word(ins.args(), vars);
        };
        return "/bin/sh -c #(nop)  " + text;
    }

    /** Exec form as is; shell form through {@code /bin/sh -c}. */
    static List<String> command(Instruction ins) {
        if (ins.isJson()) {
            return ins.json();
        }
        return ins.args().isEmpty() ? null : List.of("/bin/sh", "-c", ins.args());
    }

    /** Go's {@code %q} of a string slice: {@code ["/bin/sh" "-c" "echo hi"]}. */
    static String goQuoted(List<String> list) {
        if (list == null) {
            return "[]";
        }
        List<String> q = list.stream().map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"").toList();
        return "[" + String.join(" ", q) + "]";
    }

    /**
     * {@code K=V K2="v 2"} or the legacy {@code K value with spaces} (moby's parseNameVal), expanded with
     * {@code vars} (all pairs see the values from before the instruction).
     */
    static Map<String, String> pairs(Instruction ins, Map<String, String> vars, boolean legacy) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> raw = rawWords(ins.args());
        if (raw.isEmpty()) {
            throw AgentException.invalidArgument(ins.keyword() + " requires at least one argument");
        }
        if (!raw.get(0).contains("=")) {
            if (!legacy || raw.size() < 2) {
                throw AgentException.invalidArgument(ins.keyword() + " names can not be blank");
            }
            String rest = ins.args().strip().substring(raw.get(0).length()).strip();
            out.put(ShellLex.word(raw.get(0), vars), ShellLex.word(rest, vars));
            return out;
        }
        for (String w : raw) {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw AgentException.invalidArgument("Syntax error - can't find = in \"" + w + "\". Must be of the form: name=value");
            }
            out.put(ShellLex.word(w.substring(0, eq), vars), ShellLex.word(w.substring(eq + 1), vars));
        }
        return out;
    }

    /** Words split at whitespace outside quotes, quotes and escapes kept (moby's parseWords). */
    static List<String> rawWords(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote == 0 && Character.isWhitespace(c)) {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
                continue;
            }
            cur.append(c);
            if (c == '\\' && quote != '\'' && i + 1 < s.length()) {
                cur.append(s.charAt(++i));
            } else if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    private interface Edit {
        void edit(B b);
    }

    private static final class B {
        String user;
        Map<String, Map<String, Object>> exposed;
        List<String> env;
        List<String> entrypoint;
        List<String> cmd;
        Map<String, Map<String, Object>> volumes;
        String workingDir;
        Map<String, String> labels;
        String stopSignal;
        List<String> onBuild;
    }

    private static ImageConfig.RunConfig with(ImageConfig.RunConfig c, Edit edit) {
        B b = new B();
        b.user = c.user();
        b.exposed = c.exposedPorts();
        b.env = c.env();
        b.entrypoint = c.entrypoint();
        b.cmd = c.cmd();
        b.volumes = c.volumes();
        b.workingDir = c.workingDir();
        b.labels = c.labels();
        b.stopSignal = c.stopSignal();
        b.onBuild = c.onBuild();
        edit.edit(b);
        return new ImageConfig.RunConfig(b.user, b.exposed, b.env, b.entrypoint, b.cmd, b.volumes, b.workingDir, b.labels, b.stopSignal, b.onBuild);
    }
}
