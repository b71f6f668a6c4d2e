package io.hawser.agent.build;

import io.hawser.agent.common.AgentException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code .dockerignore} as moby reads it (moby/patternmatcher and its dockerignore.ReadAll): one pattern a line,
 * {@code #} comments, a leading {@code /} dropped, paths cleaned; {@code !} makes an exception; the last
 * matching pattern wins; a pattern matching a parent directory matches everything below it. Patterns are
 * Go's filepath.Match ({@code *} and {@code ?} never match {@code /}, {@code [...]} classes, backslash
 * escapes) plus {@code **}, which matches any number of directories, none included.
 */
final class IgnorePatterns {

    private record Rule(Pattern regex, boolean exclusion) {}

    private final List<Rule> rules;

    private IgnorePatterns(List<Rule> rules) {
        this.rules = rules;
    }

    static final IgnorePatterns NONE = new IgnorePatterns(List.of());

    static IgnorePatterns parse(String dockerignore) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : dockerignore.split("\r?\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean exclusion = line.startsWith("!");
            if (exclusion) {
                line = line.substring(1).strip();
                if (line.isEmpty()) {
                    throw AgentException.invalidArgument("illegal exclusion pattern: \"!\"");
                }
            }
            line = clean(line);
            if (line.startsWith("/") && line.length() > 1) {
                line = line.substring(1);
            }
            rules.add(new Rule(Pattern.compile(regex(line)), exclusion));
        }
        return new IgnorePatterns(rules);
    }

    /** Whether {@code path} (relative, '/'-separated) is excluded from the context. */
    boolean excludes(String path) {
        String file = clean(path);
        List<String> parents = List.of(file.split("/"));
        parents = parents.subList(0, parents.size() - 1);
        boolean matched = false;
        for (Rule rule : rules) {
            if (rule.exclusion() != matched) {
                continue;
            }
            boolean match = rule.regex().matcher(file).matches();
            for (int i = 1; !match && i <= parents.size(); i++) {
                match = rule.regex().matcher(String.join("/", parents.subList(0, i))).matches();
            }
            if (match) {
                matched = !rule.exclusion();
            }
        }
        return matched;
    }

    /** Go's path.Clean for relative and absolute slash paths. */
    static String clean(String path) {
        boolean absolute = path.startsWith("/");
        List<String> out = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                    out.remove(out.size() - 1);
                } else if (!absolute) {
                    out.add(part);
                }
                continue;
            }
            out.add(part);
        }
        String joined = String.join("/", out);
        return absolute ? "/" + joined : joined.isEmpty() ? "." : joined;
    }

    /** patternmatcher's compile: the pattern as an anchored regular expression. */
    static String regex(String pattern) {
        StringBuilder re = new StringBuilder("^");
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                    i++;
                    if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '/') {
                        i++;
                    }
                    re.append(i + 1 >= pattern.length() ? ".*" : "(.*/)?");
                } else {
                    re.append("[^/]*");
                }
            } else if (c == '?') {
                re.append("[^/]");
            } else if (".+()|{}$".indexOf(c) >= 0) {
                re.append('\\').append(c);
            } else if (c == '\\') {
                if (i + 1 < pattern.length()) {
                    re.append('\\').append(pattern.charAt(++i));
                } else {
                    re.append("\\\\");
                }
            } else {
                re.append(c);
            }
        }
        return re.append('$').toString();
    }
}
