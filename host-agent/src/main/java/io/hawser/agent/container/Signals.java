package io.hawser.agent.container;

import io.hawser.agent.common.AgentException;
import java.util.Locale;
import java.util.Map;

/** Signal names and numbers on Linux x86-64 (signal(7)), read as dockerd reads them (pkg/signal ParseSignal). */
public final class Signals {

    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;

    private static final Map<String, Integer> BY_NAME = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4), Map.entry("TRAP", 5),
            Map.entry("ABRT", 6), Map.entry("IOT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8), Map.entry("KILL", 9),
            Map.entry("USR1", 10), Map.entry("SEGV", 11), Map.entry("USR2", 12), Map.entry("PIPE", 13),
            Map.entry("ALRM", 14), Map.entry("TERM", 15), Map.entry("STKFLT", 16), Map.entry("CHLD", 17),
            Map.entry("CONT", 18), Map.entry("STOP", 19), Map.entry("TSTP", 20), Map.entry("TTIN", 21),
            Map.entry("TTOU", 22), Map.entry("URG", 23), Map.entry("XCPU", 24), Map.entry("XFSZ", 25),
            Map.entry("VTALRM", 26), Map.entry("PROF", 27), Map.entry("WINCH", 28), Map.entry("IO", 29),
            Map.entry("POLL", 29), Map.entry("PWR", 30), Map.entry("SYS", 31));

    private Signals() {}

    /** "SIGTERM", "TERM", "term", "15", "RTMIN+3"; 400 "Invalid signal: x" otherwise. */
    public static int parse(String value) {
        String s = value.trim();
        try {
            int n = Integer.parseInt(s);
            if (n <= 0 || n > 64) {
                throw AgentException.invalidArgument("Invalid signal: " + value);
            }
            return n;
        } catch (NumberFormatException ignored) {
            // a name
        }
        String name = s.toUpperCase(Locale.ROOT);
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        Integer n = BY_NAME.get(name);
        if (n == null && name.startsWith("RTMIN")) {
            n = rt(34, name.substring(5));
        } else if (n == null && name.startsWith("RTMAX")) {
            n = rt(64, name.substring(5));
        }
        if (n == null) {
            throw AgentException.invalidArgument("Invalid signal: " + value);
        }
        return n;
    }

    private static Integer rt(int base, String offset) {
        if (offset.isEmpty()) {
            return base;
        }
        try {
            int n = base + Integer.parseInt(offset);
            return n >= 34 && n <= 64 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
