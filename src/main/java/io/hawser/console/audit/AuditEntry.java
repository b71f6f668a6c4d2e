package io.hawser.console.audit;

import java.time.Instant;

/** One row of the audit log as stored: every value is plain text, shown as text. */
public record AuditEntry(long id, Instant at, String actor, String address, String action, String target,
                         String details, String result) {
}
