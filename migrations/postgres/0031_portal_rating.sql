-- Customers rate a resolved request on the portal (V5 with V10): a satisfaction record
-- like a return visit, on the channel "portal", naming the portal login that gave it.
ALTER TABLE service_visits DROP CONSTRAINT service_visits_channel_check;
ALTER TABLE service_visits ADD CONSTRAINT service_visits_channel_check
    CHECK (channel IN ('phone', 'sms', 'wechat', 'email', 'visit', 'portal'));
ALTER TABLE service_visits ADD COLUMN portal_user_id BIGINT REFERENCES portal_users(id);
CREATE INDEX service_visits_portal_user ON service_visits(portal_user_id);
