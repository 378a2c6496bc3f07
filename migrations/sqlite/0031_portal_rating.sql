-- Customers rate a resolved request on the portal (V5 with V10): a satisfaction record
-- like a return visit, on the channel "portal", naming the portal login that gave it.
-- SQLite cannot change a CHECK constraint in place, so the table is rebuilt.
CREATE TABLE service_visits_next (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES service_requests(id),
    channel TEXT NOT NULL CHECK (channel IN ('phone', 'sms', 'wechat', 'email', 'visit', 'portal')),
    satisfaction BIGINT NOT NULL CHECK (satisfaction BETWEEN 1 AND 5),
    comment TEXT NOT NULL DEFAULT '',
    product_issue BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    portal_user_id BIGINT REFERENCES portal_users(id)
);
INSERT INTO service_visits_next (id, request_id, channel, satisfaction, comment, product_issue, created_at, created_by)
SELECT id, request_id, channel, satisfaction, comment, product_issue, created_at, created_by FROM service_visits;
DROP TABLE service_visits;
ALTER TABLE service_visits_next RENAME TO service_visits;
CREATE INDEX service_visits_request ON service_visits(request_id, id);
CREATE INDEX service_visits_created_by ON service_visits(created_by);
CREATE INDEX service_visits_portal_user ON service_visits(portal_user_id);
