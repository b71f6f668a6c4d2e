package io.hawser.agent.introspect;

import io.hawser.agent.common.AgentException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reading of {@code ps} output that dockerd does for {@code docker top} (moby daemon/top_unix.go,
 * parsePSOutput and validatePSArgs): the header's words are the titles and one of them must be {@code PID};
 * a row is kept when its PID is one of the container's; a row whose PID is "-" (a thread line of
 * {@code ps -m}) follows the row before it; cells beyond the titles' count are joined with one space into
 * the last, so a command line keeps its arguments.
 */
public final class PsOutput {

    /** moby's check: {@code ps -o user=PID} would rename another column to PID and fool the filter. */
    private static final Pattern RENAMED_COLUMN = Pattern.compile("\\s+([^\\s]*)=\\s*(PID[^\\s]*)");

    private PsOutput() {}

    /** The arguments dockerd refuses, with its error. */
    public static void validateArgs(String psArgs) {
        Matcher m = RENAMED_COLUMN.matcher(psArgs);
        while (m.find()) {
            if (!m.group(1).equals("pid")) {
                throw AgentException.invalidArgument("specifying \"" + m.group(1) + "=" + m.group(2) + "\" is not allowed");
            }
        }
    }

    /** @throws AgentException (SYSTEM, as dockerd's plain errors are 500) when there is no PID column or a PID is not a number */
    public static ProcessTable parse(String output, Collection<Long> containerPids) {
        Set<Long> pids = Set.copyOf(containerPids);
        String[] lines = output.split("\n", -1);
        List<String> titles = fields(lines[0]);
        int pidIndex = titles.indexOf("PID");
        if (pidIndex < 0) {
            throw AgentException.system("Couldn't find PID field in ps output");
        }
        List<List<String>> rows = new ArrayList<>();
        boolean previousKept = false;
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            List<String> cells = fields(lines[i]);
            if (cells.size() <= pidIndex) {
                throw AgentException.system("Unexpected ps output line '" + lines[i] + "'");
            }
            String pid = cells.get(pidIndex);
            if (pid.equals("-")) {
                if (previousKept) {
                    rows.add(fit(cells, titles.size()));
                }
                continue;
            }
            long p;
            try {
                p = Long.parseLong(pid);
            } catch (NumberFormatException e) {
                throw AgentException.system("Unexpected pid '" + pid + "': " + e.getMessage());
            }
            previousKept = pids.contains(p);
            if (previousKept) {
                rows.add(fit(cells, titles.size()));
            }
        }
        return new ProcessTable(titles, rows);
    }

    /** The last title takes the rest of the row (moby appendProcess2ProcList). */
    private static List<String> fit(List<String> cells, int columns) {
        if (cells.size() <= columns) {
            return cells;
        }
        List<String> row = new ArrayList<>(cells.subList(0, columns - 1));
        row.add(String.join(" ", cells.subList(columns - 1, cells.size())));
        return row;
    }

    /** Go's strings.FieldsFunc over ASCII white space only (moby fieldsASCII): other spaces stay in a cell. */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= line.length(); i++) {
            boolean space = i == line.length() || switch (line.charAt(i)) {
                case '\t', '\n', '\f', '\r', ' ' -> true;
                default -> false;
            };
            if (space && start >= 0) {
                out.add(line.substring(start, i));
                start = -1;
            } else if (!space && start < 0) {
                start = i;
            }
        }
        return out;
    }
}
