-- Leads (S1): people and companies that showed interest but are not customers yet.
--
-- A lead is captured by hand, by import or through the public web form, scored by
-- rules the UI explains (`score` caches the total so lists sort and filter on it),
-- worked by its owner and finally converted into a customer, a contact and
-- optionally an opportunity, whose ids it keeps. A lead without an owner waits in
-- the lead pool. Territories hand new leads out round-robin by region.
CREATE TABLE lead_territories (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    -- Comma-separated regions matched against a lead's region; empty catches every lead
    -- no other territory takes.
    regions TEXT NOT NULL DEFAULT '',
    -- The member who received the territory's latest lead; the next one goes to the
    -- member after them.
    last_user_id BIGINT REFERENCES users(id),
    version BIGINT NOT NULL DEFAULT 1,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    deleted_at BIGINT
);

CREATE TABLE lead_territory_members (
    territory_id BIGINT NOT NULL REFERENCES lead_territories(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (territory_id, user_id)
);
CREATE INDEX lead_territory_members_user ON lead_territory_members(user_id);

CREATE TABLE leads (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    company TEXT,
    title TEXT,
    mobile TEXT,
    phone TEXT,
    email TEXT,
    region TEXT,
    industry TEXT,
    source TEXT,
    -- How it came in: typed in (`form`), imported (`import`) or the public web form (`web`).
    channel TEXT NOT NULL DEFAULT 'form' CHECK (channel IN ('form', 'import', 'web')),
    needs TEXT,
    notes TEXT,
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'working', 'qualified', 'disqualified', 'converted')),
    disqualify_reason TEXT,
    score BIGINT NOT NULL DEFAULT 0,
    territory_id BIGINT REFERENCES lead_territories(id),
    owner_id BIGINT REFERENCES users(id),
    department_id BIGINT REFERENCES departments(id),
    customer_id BIGINT REFERENCES customers(id),
    contact_id BIGINT REFERENCES contacts(id),
    opportunity_id BIGINT REFERENCES opportunities(id),
    converted_at BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    deleted_at BIGINT
);
CREATE INDEX leads_updated ON leads(updated_at, id);
CREATE INDEX leads_status ON leads(status, updated_at);
CREATE INDEX leads_owner ON leads(owner_id, status);
CREATE INDEX leads_department ON leads(department_id, status);
CREATE INDEX leads_email ON leads(email);
CREATE INDEX leads_mobile ON leads(mobile);
CREATE INDEX leads_territory ON leads(territory_id);
CREATE INDEX leads_customer ON leads(customer_id);
CREATE INDEX leads_contact ON leads(contact_id);
CREATE INDEX leads_opportunity ON leads(opportunity_id);

-- Public web form submissions per client address, for the rate limit.
CREATE TABLE web_form_hits (
    ip TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX web_form_hits_ip ON web_form_hits(ip, at);

-- Leads follow the opportunities' grants.
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'lead', a.action, 'all'
FROM roles r
CROSS JOIN (SELECT 'view' AS action UNION ALL SELECT 'create' UNION ALL SELECT 'edit' UNION ALL SELECT 'delete' UNION ALL SELECT 'export'
            UNION ALL SELECT 'assign') a
WHERE r.code = 'admin';
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'lead', a.action, 'department_tree'
FROM roles r
CROSS JOIN (SELECT 'view' AS action UNION ALL SELECT 'create' UNION ALL SELECT 'edit' UNION ALL SELECT 'delete' UNION ALL SELECT 'export'
            UNION ALL SELECT 'assign') a
WHERE r.code = 'sales_manager';
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'lead', a.action, 'own'
FROM roles r
CROSS JOIN (SELECT 'view' AS action UNION ALL SELECT 'create' UNION ALL SELECT 'edit' UNION ALL SELECT 'delete') a
WHERE r.code = 'salesperson';
-- The lead pool is open to everyone who sells, like the customer pool.
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'lead', 'claim', 'all' FROM roles r WHERE r.code IN ('admin', 'sales_manager', 'salesperson');
