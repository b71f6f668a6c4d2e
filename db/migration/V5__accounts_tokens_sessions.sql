-- API tokens, team-scoped join tokens, a second factor for sign-in, and an append-only audit log (issue 6).

-- A user's API tokens: shown once at creation, kept here only as the SHA-256 of the token's text (256 random bits,
-- so a plain hash is enough: nothing to guess from it). A token may be narrowed to a team role (its ceiling); it
-- acts as its user otherwise, and stops working when revoked, expired, or its user is disabled.
CREATE TABLE api_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text        NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    token_hash   bytea       NOT NULL CHECK (length(token_hash) = 32),
    ceiling      text        REFERENCES roles (name) CHECK (ceiling IN ('VIEWER', 'OPERATOR', 'TEAM_ADMIN')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    CONSTRAINT api_tokens_hash_key UNIQUE (token_hash)
);
-- A name is unique among a user's live tokens; a revoked token's name may be used again.
CREATE UNIQUE INDEX api_tokens_user_name_idx ON api_tokens (user_id, name) WHERE revoked_at IS NULL;

-- A join token created for a team enrolls its hosts into that team.
ALTER TABLE join_tokens ADD COLUMN team_id bigint REFERENCES teams (id) ON DELETE CASCADE;

-- TOTP second factor (RFC 6238). The secret is stored AES-GCM encrypted when hawser.totp.key is configured, otherwise
-- as is (io.hawser.console.users.TotpSecrets says which by a prefix). totp_last_step refuses a code used once already.
ALTER TABLE users
    ADD COLUMN totp_secret    text,
    ADD COLUMN totp_enabled   boolean NOT NULL DEFAULT false,
    ADD COLUMN totp_last_step bigint;

-- The audit log is append-only for the application: any UPDATE, DELETE or TRUNCATE raises. (Revoking the privileges
-- would not bind the embedded database's owner, which the console connects as; a trigger binds every role that
-- does not switch triggers off.)
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

CREATE INDEX audit_log_actor_idx ON audit_log (actor);
CREATE INDEX audit_log_action_idx ON audit_log (action);
