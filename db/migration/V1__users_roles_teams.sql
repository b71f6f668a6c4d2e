-- Users, roles and teams. Roles are a fixed vocabulary the code knows; what each may do is decided in the
-- service layer (see io.hawser.console.security).
CREATE TABLE roles (
    name        text PRIMARY KEY CHECK (name ~ '^[A-Z][A-Z_]*$'),
    description text NOT NULL
);

INSERT INTO roles (name, description) VALUES
    ('ADMIN',    'Manages users, teams, hosts and settings; may do everything'),
    ('OPERATOR', 'Runs, stops and fixes containers on the hosts of their teams'),
    ('VIEWER',   'Sees the hosts and containers of their teams, changes nothing');

CREATE TABLE users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      text NOT NULL CHECK (username ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    display_name  text,
    password_hash text NOT NULL,
    enabled       boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_username_key UNIQUE (username)
);

-- Roles held across the whole console (ADMIN is one).
CREATE TABLE user_roles (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    text   NOT NULL REFERENCES roles (name),
    PRIMARY KEY (user_id, role)
);

CREATE TABLE teams (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    description text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT teams_name_key UNIQUE (name)
);

-- A member's role within one team (OPERATOR or VIEWER there).
CREATE TABLE team_members (
    team_id bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    text   NOT NULL REFERENCES roles (name),
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user_idx ON team_members (user_id);

-- Failed sign-ins in a row, per key ("user:NAME" or "addr:ADDRESS"). Kept in the database, not in memory,
-- so that every console replica sees the same counts.
CREATE TABLE login_throttle (
    key          text PRIMARY KEY,
    failures     integer NOT NULL,
    locked_until timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Every sign-in and every change: who, from where, what, on which object, with what result, when.
CREATE TABLE audit_log (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    actor     text NOT NULL,
    address   text,
    action    text NOT NULL,
    target    text,
    details   text,
    result    text NOT NULL DEFAULT 'ok' CHECK (result IN ('ok', 'denied', 'failed'))
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
