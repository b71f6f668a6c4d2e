package io.hawser.agent;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * {@code 2026-11-27T22:12:20.123Z INFO  HttpServer: message}: one line per record (a stack trace
 * follows when there is one), so journald and {@code grep} see whole events.
 */
final class OneLineFormatter extends Formatter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    @Override
    public String format(LogRecord r) {
        StringBuilder sb = new StringBuilder(160);
        sb.append(TIME.format(Instant.ofEpochMilli(r.getMillis()))).append(' ')
                .append(String.format("%-5s", level(r.getLevel()))).append(' ')
                .append(simpleName(r.getLoggerName())).append(": ")
                .append(formatMessage(r)).append('\n');
        if (r.getThrown() != null) {
            StringWriter trace = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(trace));
            sb.append(trace);
        }
        return sb.toString();
    }

    /** Routes all logging to stderr through this formatter, replacing the JDK's two-line default. */
    static void install() {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Handler stderr = new ConsoleHandler(); // ConsoleHandler writes to System.err
        stderr.setFormatter(new OneLineFormatter());
        stderr.setLevel(Level.ALL);
        root.addHandler(stderr);
        root.setLevel(Level.INFO);
    }

    private static String level(Level level) {
        if (level == Level.SEVERE) {
            return "ERROR";
        }
        return level == Level.WARNING ? "WARN" : level.getName();
    }

    private static String simpleName(String loggerName) {
        if (loggerName == null) {
            return "-";
        }
        return loggerName.substring(loggerName.lastIndexOf('.') + 1);
    }
}
