package io.hawser.console.audit;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes one row per sign-in and per change: who did what to which target, from where, with what result. Values
 * go in as bind parameters and are shown as text, so a crafted name can neither forge nor split an entry.
 */
@Service
public class AuditLog {

    /** The outcome of an audited action. */
    public enum Result {
        OK, DENIED, FAILED;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final JdbcClient jdbc;

    AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a change that succeeded, within the caller's transaction (so it is kept only if the change is). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(String actor, String action, String target, String details) {
        insert(actor, null, action, target, details, Result.OK);
    }

    /** Records an event on its own (a sign-in, a refusal), whatever becomes of any surrounding transaction. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void recordAlone(String actor, String address, String action, String target, String details, Result result) {
        insert(actor, address, action, target, details, result);
    }

    private void insert(String actor, String address, String action, String target, String details, Result result) {
        jdbc.sql("INSERT INTO audit_log (actor, address, action, target, details, result) VALUES (?, ?, ?, ?, ?, ?)")
                .params(actor, address, action, target, details, result.wire())
                .update();
    }
}
