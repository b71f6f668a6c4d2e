package io.hawser.agent.build;

import io.hawser.agent.common.AgentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Variable substitution and quote removal as moby's shell lexer (moby/buildkit frontend/dockerfile/shell/lex.go)
 * for the instructions that support it (FROM, ADD, COPY, ENV, ARG, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME,
 * WORKDIR): {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR-default}}, {@code ${VAR:+alt}},
 * {@code ${VAR+alt}}; single quotes are literal; in double quotes a backslash escapes only {@code "}, {@code $}
 * and itself; outside quotes it escapes any character. An unknown variable is empty.
 */
final class ShellLex {

    private final String s;
    private final Map<String, String> env;
    private int pos;

    private ShellLex(String s, Map<String, String> env) {
        this.s = s;
        this.env = env;
    }

    /** One word: quotes removed, variables expanded, whitespace kept (moby's ProcessWord). */
    static String word(String s, Map<String, String> env) {
        List<String> out = new ShellLex(s, env).run(false);
        return out.isEmpty() ? "" : out.get(0);
    }

    /** Words split at unquoted whitespace (also inside an unquoted variable's value), as moby's ProcessWords. */
    static List<String> words(String s, Map<String, String> env) {
        return new ShellLex(s, env).run(true);
    }

    private List<String> run(boolean split) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (split && Character.isWhitespace(c)) {
                pos++;
                if (inWord) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
                continue;
            }
            inWord = true;
            if (c == '\'') {
                pos++;
                int end = s.indexOf('\'', pos);
                if (end < 0) {
                    throw AgentException.invalidArgument("unexpected end of statement while looking for matching single-quote");
                }
                cur.append(s, pos, end);
                pos = end + 1;
            } else if (c == '"') {
                pos++;
                doubleQuoted(cur);
            } else if (c == '\\') {
                pos++;
                if (pos < s.length()) {
                    cur.append(s.charAt(pos++));
                }
            } else if (c == '$') {
                String value = dollar();
                if (!split) {
                    cur.append(value);
                    continue;
                }
                for (int i = 0; i < value.length(); i++) {
                    char v = value.charAt(i);
                    if (Character.isWhitespace(v)) {
                        if (cur.length() > 0) {
                            words.add(cur.toString());
                            cur.setLength(0);
                        }
                    } else {
                        cur.append(v);
                    }
                }
                inWord = cur.length() > 0;
            } else {
                cur.append(c);
                pos++;
            }
        }
        if (inWord || !split) {
            words.add(cur.toString());
        }
        return words;
    }

    private void doubleQuoted(StringBuilder cur) {
        while (true) {
            if (pos >= s.length()) {
                throw AgentException.invalidArgument("unexpected end of statement while looking for matching double-quote");
            }
            char c = s.charAt(pos);
            if (c == '"') {
                pos++;
                return;
            }
            if (c == '$') {
                cur.append(dollar());
            } else if (c == '\\' && pos + 1 < s.length()) {
                char next = s.charAt(pos + 1);
                if (next != '"' && next != '$' && next != '\\') {
                    cur.append('\\');
                }
                cur.append(next);
                pos += 2;
            } else {
                cur.append(c);
                pos++;
            }
        }
    }

    /** At a '$': the expansion (a lone '$' stays itself). */
    private String dollar() {
        pos++;
        if (pos >= s.length()) {
            return "$";
        }
        char c = s.charAt(pos);
        if (c != '{') {
            int start = pos;
            while (pos < s.length() && isNameChar(s.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                return "$";
            }
            return env.getOrDefault(s.substring(start, pos), "");
        }
        pos++;
        int start = pos;
        while (pos < s.length() && isNameChar(s.charAt(pos))) {
            pos++;
        }
        String name = s.substring(start, pos);
        if (name.isEmpty() || pos >= s.length()) {
            throw AgentException.invalidArgument("bad substitution: missing '}' or variable name in '" + s + "'");
        }
        char op = s.charAt(pos);
        if (op == '}') {
            pos++;
            return env.getOrDefault(name, "");
        }
        boolean colon = op == ':';
        if (colon) {
            pos++;
            op = pos < s.length() ? s.charAt(pos) : 0;
        }
        if (op != '-' && op != '+') {
            throw AgentException.invalidArgument("unsupported modifier (" + op + ") in substitution '" + s + "'");
        }
        pos++;
        String word = operand();
        String value = env.get(name);
        boolean set = value != null && (!colon || !value.isEmpty());
        if (op == '-') {
            return set ? value : word;
        }
        return set ? word : "";
    }

    /** The word of {@code ${X:-word}} up to the closing brace, itself expanded. */
    private String operand() {
        StringBuilder raw = new StringBuilder();
        int depth = 0;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '}' && depth == 0) {
                pos++;
                return word(raw.toString(), env);
            }
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            }
            raw.append(c);
            pos++;
        }
        throw AgentException.invalidArgument("bad substitution: missing '}' in '" + s + "'");
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
