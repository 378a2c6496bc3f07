-- platform: organisation, users, roles, sessions, login throttling, audit log.
CREATE TABLE departments (
    id INTEGER PRIMARY KEY,
    parent_id BIGINT REFERENCES departments(id),
    name TEXT NOT NULL,
    -- Materialised path of ids, e.g. '/1/4/', for department-tree scopes.
    path TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX departments_parent_id ON departments(parent_id);
CREATE INDEX departments_path ON departments(path);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    email TEXT,
    password_hash TEXT NOT NULL,
    department_id BIGINT REFERENCES departments(id),
    locale TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX users_department_id ON users(department_id);

CREATE TABLE roles (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    builtin BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE role_permissions (
    role_id BIGINT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    entity TEXT NOT NULL,
    action TEXT NOT NULL,
    scope TEXT NOT NULL,
    PRIMARY KEY (role_id, entity, action)
);

CREATE TABLE user_roles (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role_id BIGINT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, role_id)
);
CREATE INDEX user_roles_role_id ON user_roles(role_id);

CREATE TABLE sessions (
    -- SHA-256 of the cookie token; the token itself is never stored.
    id TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_id ON sessions(user_id);
CREATE INDEX sessions_expires_at ON sessions(expires_at);

CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    ip TEXT NOT NULL,
    succeeded BOOLEAN NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_attempts_username_at ON login_attempts(username, at);
CREATE INDEX login_attempts_ip_at ON login_attempts(ip, at);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    seq BIGINT NOT NULL UNIQUE,
    at BIGINT NOT NULL,
    actor_id BIGINT,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT,
    entity_id BIGINT,
    summary TEXT NOT NULL DEFAULT '',
    before_json TEXT,
    after_json TEXT,
    ip TEXT NOT NULL DEFAULT '',
    request_id TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_actor_id ON audit_log(actor_id, seq);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id, seq);
CREATE INDEX audit_log_action ON audit_log(action, seq);

-- Chain head: its row lock serialises audit writers.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
