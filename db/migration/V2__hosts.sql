-- Hosts of the fleet. Teams own hosts; a host may belong to several teams. Enrollment and the agent link
-- fill in the rest.
CREATE TABLE hosts (
    id            uuid PRIMARY KEY,
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 253),
    status        text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'ONLINE', 'UNREACHABLE')),
    agent_version text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz,
    CONSTRAINT hosts_name_key UNIQUE (name)
);

CREATE TABLE host_teams (
    host_id uuid   NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    team_id bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    PRIMARY KEY (host_id, team_id)
);
CREATE INDEX host_teams_team_idx ON host_teams (team_id);
