-- Hosts of the fleet. A host belongs to at most one team; enrollment and the agent link fill the rest.
CREATE TABLE hosts (
    id           uuid PRIMARY KEY,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 253),
    team_id      bigint REFERENCES teams (id) ON DELETE SET NULL,
    status       text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'ONLINE', 'UNREACHABLE')),
    agent_version text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz,
    CONSTRAINT hosts_name_key UNIQUE (name)
);
CREATE INDEX hosts_team_idx ON hosts (team_id);
