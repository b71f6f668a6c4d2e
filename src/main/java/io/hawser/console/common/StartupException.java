package io.hawser.console.common;

/**
 * The console cannot start because of how it was set up (a setting, a directory in use). Spring Boot reports it
 * through {@link StartupFailureAnalyzer}: what is wrong and what to do, without a stack trace.
 */
public class StartupException extends RuntimeException {

    private final String action;

    public StartupException(String description, String action) {
        super(description);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
