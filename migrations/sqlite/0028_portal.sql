-- The customer self-service portal (V10): logins that belong to a customer (not staff
-- users: they reach only /portal and only their own customer's records), their
-- sessions, and the conversation on a request that the customer and the service desk
-- both see. A request opened on the portal names the login that opened it.
CREATE TABLE portal_users (
    id INTEGER PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    contact_id BIGINT REFERENCES contacts(id),
    -- E-mail or mobile, lower-cased: what the customer signs in with.
    login TEXT NOT NULL,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    locale TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    last_login_at BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id)
);
CREATE UNIQUE INDEX portal_users_login ON portal_users(login);
CREATE INDEX portal_users_customer ON portal_users(customer_id, id);
CREATE INDEX portal_users_contact ON portal_users(contact_id);
CREATE INDEX portal_users_created_by ON portal_users(created_by);
CREATE INDEX portal_users_updated_by ON portal_users(updated_by);

CREATE TABLE portal_sessions (
    -- SHA-256 of the cookie token; the token itself is never stored.
    id TEXT PRIMARY KEY,
    portal_user_id BIGINT NOT NULL REFERENCES portal_users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX portal_sessions_user ON portal_sessions(portal_user_id);
CREATE INDEX portal_sessions_expires ON portal_sessions(expires_at);

-- What the customer and the service desk wrote to each other on a request: a staff
-- reply names the user, a customer's message the portal login.
CREATE TABLE service_messages (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES service_requests(id),
    user_id BIGINT REFERENCES users(id),
    portal_user_id BIGINT REFERENCES portal_users(id),
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    CHECK ((user_id IS NULL) <> (portal_user_id IS NULL))
);
CREATE INDEX service_messages_request ON service_messages(request_id, id);
CREATE INDEX service_messages_user ON service_messages(user_id);
CREATE INDEX service_messages_portal_user ON service_messages(portal_user_id);

ALTER TABLE service_requests ADD COLUMN portal_user_id BIGINT REFERENCES portal_users(id);
CREATE INDEX service_requests_portal_user ON service_requests(portal_user_id);
