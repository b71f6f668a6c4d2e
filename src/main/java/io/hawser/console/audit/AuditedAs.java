package io.hawser.console.audit;

/**
 * An authentication that names its actor in the audit log otherwise than by its user name alone: an API token's
 * calls are recorded as {@code alice (token ci-deploy)}, so the log tells a script's change from its user's own.
 */
public interface AuditedAs {

    String auditActor();
}
