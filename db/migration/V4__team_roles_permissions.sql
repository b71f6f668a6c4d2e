-- Roles are data: what each team role may do on the hosts its team owns is the role_permissions table, read by
-- io.hawser.console.access.Access (the one place that decides). A global ADMIN (user_roles) may do everything.
INSERT INTO roles (name, description) VALUES
    ('TEAM_ADMIN', 'Operator of the team''s hosts, and enrolls hosts into the team and manages its members');

UPDATE team_members SET role = 'TEAM_ADMIN' WHERE role = 'ADMIN';
ALTER TABLE team_members ADD CONSTRAINT team_members_role_check CHECK (role IN ('VIEWER', 'OPERATOR', 'TEAM_ADMIN'));

-- Roles in a team, weakest first; a narrowed API token caps its user's role at one of these ranks.
ALTER TABLE roles ADD COLUMN team_rank integer UNIQUE;
UPDATE roles SET team_rank = 1 WHERE name = 'VIEWER';
UPDATE roles SET team_rank = 2 WHERE name = 'OPERATOR';
UPDATE roles SET team_rank = 3 WHERE name = 'TEAM_ADMIN';

CREATE TABLE permissions (
    name        text PRIMARY KEY CHECK (name ~ '^[A-Z][A-Z_]*$'),
    description text NOT NULL
);

INSERT INTO permissions (name, description) VALUES
    ('HOST_VIEW',         'See the host and its containers, images, events, logs, inspect, top, diff and stats'),
    ('CONTAINER_CONTROL', 'Start, stop, restart, kill, remove and run containers'),
    ('CONTAINER_EXEC',    'Open a terminal (exec) in a container'),
    ('IMAGE_MANAGE',      'Pull, import, tag and remove images'),
    ('HOST_ENROLL',       'Create join tokens that enroll hosts into the team'),
    ('TEAM_MANAGE',       'Add and remove the team''s members and set their roles');

CREATE TABLE role_permissions (
    role       text NOT NULL REFERENCES roles (name) ON DELETE CASCADE,
    permission text NOT NULL REFERENCES permissions (name) ON DELETE CASCADE,
    PRIMARY KEY (role, permission)
);

INSERT INTO role_permissions (role, permission) VALUES
    ('VIEWER', 'HOST_VIEW'),
    ('OPERATOR', 'HOST_VIEW'), ('OPERATOR', 'CONTAINER_CONTROL'), ('OPERATOR', 'CONTAINER_EXEC'),
    ('OPERATOR', 'IMAGE_MANAGE'),
    ('TEAM_ADMIN', 'HOST_VIEW'), ('TEAM_ADMIN', 'CONTAINER_CONTROL'), ('TEAM_ADMIN', 'CONTAINER_EXEC'),
    ('TEAM_ADMIN', 'IMAGE_MANAGE'), ('TEAM_ADMIN', 'HOST_ENROLL'), ('TEAM_ADMIN', 'TEAM_MANAGE');
