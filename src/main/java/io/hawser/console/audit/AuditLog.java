package io.hawser.console.audit;

import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes one row per sign-in and per change: who did what to which target, from where, with what result. Values
 * go in as bind parameters and are shown as text, so a crafted name can neither forge nor split an entry. The
 * table is append-only (a trigger refuses UPDATE, DELETE and TRUNCATE; see V5).
 *
 * <p>The address is found here ({@link ClientAddress}), callers do not pass it. The actor of an API token's call
 * is {@code user (token name)} ({@link AuditedAs}): when the actor passed is the current caller's user name, or
 * when the caller's {@link Authentication} is passed, the token is named.
 */
@Service
public class AuditLog {

    /** The outcome of an audited action. */
    public enum Result {
        OK, DENIED, FAILED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final JdbcClient jdbc;

    AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a change that succeeded, within the caller's transaction (so it is kept only if the change is). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(String actor, String action, String target, String details) {
        insert(decorate(actor), ClientAddress.current(), action, target, details, Result.OK);
    }

    /** Records an event on its own (a sign-in, a refusal), whatever becomes of any surrounding transaction. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void recordAlone(String actor, String address, String action, String target, String details, Result result) {
        insert(decorate(actor), address != null ? address : ClientAddress.current(), action, target, details, result);
    }

    /**
     * Records an event on its own for a caller captured earlier (work done on another thread): actor and, when this
     * thread has no request, address come from {@code who}.
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void recordAlone(Authentication who, String action, String target, String details, Result result) {
        String address = ClientAddress.current();
        insert(actor(who), address != null ? address : ClientAddress.of(who), action, target, details, result);
    }

    /** How the audit log names the caller {@code who}: the user name, and the token when a token authenticated. */
    public static String actor(Authentication who) {
        if (who == null) {
            return "anonymous";
        }
        return who instanceof AuditedAs named ? named.auditActor() : who.getName();
    }

    /** The current caller's audit name when {@code actor} is their user name; {@code actor} otherwise. */
    private static String decorate(String actor) {
        Authentication current = SecurityContextHolder.getContext().getAuthentication();
        if (current instanceof AuditedAs named && actor != null && actor.equals(current.getName())) {
            return named.auditActor();
        }
        return actor;
    }

    private void insert(String actor, String address, String action, String target, String details, Result result) {
        jdbc.sql("INSERT INTO audit_log (actor, address, action, target, details, result) VALUES (?, ?, ?, ?, ?, ?)")
                .params(actor, address, action, target, details, result.wire())
                .update();
    }
}
