package io.hawser.console.audit;

import java.time.Instant;

/**
 * What to look for in the audit log; every part optional (null or blank: any). Text parts match case-insensitively
 * anywhere in the value ({@code actor}, {@code action}, and {@code target} which also searches the details);
 * {@code from} inclusive, {@code to} exclusive.
 */
public record AuditSearch(String actor, String action, String target, AuditLog.Result result, Instant from, Instant to) {

    public static final AuditSearch ALL = new AuditSearch(null, null, null, null, null, null);

    public AuditSearch withActor(String value) {
        return new AuditSearch(value, action, target, result, from, to);
    }

    public AuditSearch withAction(String value) {
        return new AuditSearch(actor, value, target, result, from, to);
    }

    public AuditSearch withTarget(String value) {
        return new AuditSearch(actor, action, value, result, from, to);
    }

    public AuditSearch withResult(AuditLog.Result value) {
        return new AuditSearch(actor, action, target, value, from, to);
    }

    public AuditSearch between(Instant start, Instant end) {
        return new AuditSearch(actor, action, target, result, start, end);
    }
}
