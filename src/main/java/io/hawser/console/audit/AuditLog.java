package io.hawser.console.audit;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Writes one row per change: who did what to which target. Callers write within their own transaction. */
@Service
public class AuditLog {

    private final JdbcClient jdbc;

    AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void record(String actor, String action, String target, String details) {
        jdbc.sql("INSERT INTO audit_log (actor, action, target, details) VALUES (?, ?, ?, ?)")
                .params(actor, action, target, details)
                .update();
    }
}
