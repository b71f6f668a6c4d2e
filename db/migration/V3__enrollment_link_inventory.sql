-- Enrollment, the agent link and the fleet inventory (docs/decisions/0004-agent-link.md).

-- Join tokens: shown once to the admin who creates them, kept here only as SHA-256 of the token's bytes.
CREATE TABLE join_tokens (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash bytea       NOT NULL CHECK (length(token_hash) = 32),
    created_by text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    max_uses   integer     NOT NULL CHECK (max_uses >= 1),
    uses       integer     NOT NULL DEFAULT 0 CHECK (uses >= 0),
    CONSTRAINT join_tokens_hash_key UNIQUE (token_hash)
);

-- A host's credential (SHA-256 of 256 random bits; NULL once revoked), its labels and the facts its agent reports.
ALTER TABLE hosts
    ADD COLUMN credential_hash  bytea CHECK (credential_hash IS NULL OR length(credential_hash) = 32),
    ADD COLUMN labels           jsonb   NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN hostname         text,
    ADD COLUMN kernel_version   text,
    ADD COLUMN operating_system text,
    ADD COLUMN cgroup_version   text,
    ADD COLUMN cpus             integer,
    ADD COLUMN memory_bytes     bigint;

-- Every container on every host: one row per (host, container), replaced by each inventory and event.
CREATE TABLE containers (
    host_id        uuid        NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    container_id   text        NOT NULL,
    name           text        NOT NULL,
    image          text        NOT NULL DEFAULT '',
    image_id       text        NOT NULL DEFAULT '',
    command        text        NOT NULL DEFAULT '',
    state          text        NOT NULL DEFAULT '',
    status         text        NOT NULL DEFAULT '',
    labels         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    ports          jsonb       NOT NULL DEFAULT '[]'::jsonb,
    created        timestamptz,
    started_at     timestamptz,
    finished_at    timestamptz,
    cpu_percent    double precision,
    memory_usage   bigint,
    memory_limit   bigint,
    stats_at       timestamptz,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (host_id, container_id)
);
CREATE INDEX containers_name_idx ON containers (name);
CREATE INDEX containers_state_idx ON containers (state);
CREATE INDEX containers_image_idx ON containers (image);
CREATE INDEX containers_labels_idx ON containers USING gin (labels);

-- Images per host.
CREATE TABLE images (
    host_id    uuid        NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    image_id   text        NOT NULL,
    repo_tags  text[]      NOT NULL DEFAULT '{}',
    size       bigint,
    created    timestamptz,
    labels     jsonb       NOT NULL DEFAULT '{}'::jsonb,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (host_id, image_id)
);
CREATE INDEX images_image_idx ON images (image_id);

-- Engine events across the fleet. time_nano is the agent's own timestamp: with the host and the event's identity
-- it makes a replayed event (after a reconnect the agent resends from its last one) a no-op.
CREATE TABLE fleet_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    host_id     uuid        NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    time        timestamptz NOT NULL,
    time_nano   bigint      NOT NULL,
    type        text        NOT NULL,
    action      text        NOT NULL,
    actor_id    text        NOT NULL DEFAULT '',
    attributes  jsonb       NOT NULL DEFAULT '{}'::jsonb,
    received_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT fleet_events_identity_key UNIQUE (host_id, time_nano, type, action, actor_id)
);
CREATE INDEX fleet_events_time_idx ON fleet_events (time DESC);
CREATE INDEX fleet_events_host_time_idx ON fleet_events (host_id, time DESC);
