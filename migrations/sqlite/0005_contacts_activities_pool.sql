-- contacts (C5), activities with one link table (T1), the public pool and
-- ownership history (C3, C4), and company settings.

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    name TEXT NOT NULL,
    gender TEXT,
    title TEXT,
    dept TEXT,
    mobile TEXT,
    phone TEXT,
    email TEXT,
    wechat TEXT,
    qq TEXT,
    -- ISO date; birthday_md is month * 100 + day, for "birthdays in the coming days".
    birthday TEXT,
    birthday_md BIGINT,
    hobbies TEXT,
    family TEXT,
    background TEXT,
    preferences TEXT,
    decision_role TEXT,
    reports_to_id BIGINT REFERENCES contacts(id),
    is_primary BOOLEAN NOT NULL DEFAULT FALSE,
    notes TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    deleted_at BIGINT
);
CREATE INDEX contacts_customer_id ON contacts(customer_id, name);
CREATE INDEX contacts_reports_to_id ON contacts(reports_to_id);
CREATE INDEX contacts_birthday_md ON contacts(birthday_md);
CREATE INDEX contacts_created_by ON contacts(created_by);
CREATE INDEX contacts_updated_by ON contacts(updated_by);

-- One activity can hang off several records (a customer, a contact, later an
-- opportunity or a ticket) through activity_links.
CREATE TABLE activities (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'done',
    subject TEXT NOT NULL,
    body TEXT,
    occurred_at BIGINT NOT NULL,
    result TEXT,
    owner_id BIGINT REFERENCES users(id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    deleted_at BIGINT
);
CREATE INDEX activities_owner_id ON activities(owner_id, status, occurred_at);
CREATE INDEX activities_created_by ON activities(created_by);
CREATE INDEX activities_updated_by ON activities(updated_by);

CREATE TABLE activity_links (
    activity_id BIGINT NOT NULL REFERENCES activities(id),
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    PRIMARY KEY (activity_id, entity, entity_id)
);
CREATE INDEX activity_links_target ON activity_links(entity, entity_id, activity_id);

-- Ownership: when the current owner got the customer and when anyone last
-- followed up; the pool job returns customers untouched for N days.
ALTER TABLE customers ADD COLUMN last_touch_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN pool_since BIGINT;
UPDATE customers SET last_touch_at = updated_at, pool_since = CASE WHEN owner_id IS NULL THEN updated_at END;
CREATE INDEX customers_last_touch_at ON customers(last_touch_at) WHERE owner_id IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX customers_pool ON customers(pool_since, id) WHERE owner_id IS NULL AND deleted_at IS NULL;

CREATE TABLE customer_owner_changes (
    id INTEGER PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    kind TEXT NOT NULL,
    from_owner_id BIGINT REFERENCES users(id),
    to_owner_id BIGINT REFERENCES users(id),
    reason TEXT,
    changed_by BIGINT REFERENCES users(id),
    changed_at BIGINT NOT NULL
);
CREATE INDEX customer_owner_changes_customer_id ON customer_owner_changes(customer_id, changed_at);
CREATE INDEX customer_owner_changes_claims ON customer_owner_changes(changed_by, kind, changed_at);
CREATE INDEX customer_owner_changes_from ON customer_owner_changes(from_owner_id);
CREATE INDEX customer_owner_changes_to ON customer_owner_changes(to_owner_id);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id)
);
INSERT INTO settings (key, value, updated_at) VALUES ('pool.return_days', '30', 0), ('pool.daily_claim_limit', '5', 0);

-- Claiming from the pool is its own permission; settings are an entity of their own.
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'customer', 'claim', 'all' FROM roles r WHERE r.code IN ('admin', 'sales_manager', 'salesperson');
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'setting', a.action, 'all'
FROM roles r
CROSS JOIN (SELECT 'view' AS action UNION ALL SELECT 'edit') a
WHERE r.code = 'admin';
