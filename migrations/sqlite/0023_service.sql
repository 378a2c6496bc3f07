-- Service desk, first part (V1, V2, V7): service requests (服务申请) with SLA deadlines,
-- routing per kind, installed assets with warranty, and the settings behind them.
-- Deadlines are fixed when a request is created (or its priority changes) from the
-- policy of its kind and priority and the business-hours calendar, so the background
-- job and the lists only compare times, including the moments each target turns at risk.

-- An installed product at a customer's site: serial number, installation, warranty end.
CREATE TABLE service_assets (
    id INTEGER PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    product_id BIGINT REFERENCES products(id),
    name TEXT NOT NULL,
    serial_no TEXT NOT NULL,
    installed_on TEXT,
    warranty_ends_on TEXT,
    location TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    deleted_at BIGINT
);
CREATE UNIQUE INDEX service_assets_serial ON service_assets(serial_no) WHERE deleted_at IS NULL;
CREATE INDEX service_assets_customer ON service_assets(customer_id, id);
CREATE INDEX service_assets_product ON service_assets(product_id);
CREATE INDEX service_assets_created_by ON service_assets(created_by);
CREATE INDEX service_assets_updated_by ON service_assets(updated_by);

-- Response and resolution targets per kind and priority, in business minutes unless
-- the policy runs around the clock.
CREATE TABLE sla_policies (
    kind TEXT NOT NULL,
    priority TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    response_minutes BIGINT NOT NULL CHECK (response_minutes > 0),
    resolution_minutes BIGINT NOT NULL CHECK (resolution_minutes >= response_minutes),
    warn_percent BIGINT NOT NULL DEFAULT 80 CHECK (warn_percent BETWEEN 1 AND 99),
    around_the_clock BOOLEAN NOT NULL DEFAULT FALSE,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at BIGINT NOT NULL DEFAULT 0,
    updated_by BIGINT REFERENCES users(id),
    PRIMARY KEY (kind, priority)
);
INSERT INTO sla_policies (kind, priority, response_minutes, resolution_minutes, around_the_clock)
SELECT k.kind, p.priority, p.response, p.resolution, p.clock
FROM (SELECT 'consultation' AS kind UNION ALL SELECT 'complaint' UNION ALL SELECT 'repair' UNION ALL SELECT 'installation'
      UNION ALL SELECT 'return' UNION ALL SELECT 'feedback') k
CROSS JOIN (SELECT 'urgent' AS priority, 30 AS response, 240 AS resolution, TRUE AS clock
            UNION ALL SELECT 'high', 120, 540, FALSE
            UNION ALL SELECT 'normal', 240, 1620, FALSE
            UNION ALL SELECT 'low', 540, 2700, FALSE) p;
CREATE INDEX sla_policies_updated_by ON sla_policies(updated_by);

-- Who a new request of each kind goes to, and who hears about a breach.
CREATE TABLE service_routes (
    kind TEXT PRIMARY KEY,
    department_id BIGINT REFERENCES departments(id),
    assignee_id BIGINT REFERENCES users(id),
    escalate_to BIGINT REFERENCES users(id),
    version BIGINT NOT NULL DEFAULT 1,
    updated_at BIGINT NOT NULL DEFAULT 0,
    updated_by BIGINT REFERENCES users(id)
);
INSERT INTO service_routes (kind) VALUES ('consultation'), ('complaint'), ('repair'), ('installation'), ('return'), ('feedback');
CREATE INDEX service_routes_department ON service_routes(department_id);
CREATE INDEX service_routes_assignee ON service_routes(assignee_id);
CREATE INDEX service_routes_escalate_to ON service_routes(escalate_to);
CREATE INDEX service_routes_updated_by ON service_routes(updated_by);

CREATE TABLE service_requests (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    contact_id BIGINT REFERENCES contacts(id),
    kind TEXT NOT NULL CHECK (kind IN ('consultation', 'complaint', 'repair', 'installation', 'return', 'feedback')),
    channel TEXT NOT NULL CHECK (channel IN ('phone', 'email', 'web', 'portal', 'visit')),
    priority TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    subject TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    product_id BIGINT REFERENCES products(id),
    asset_id BIGINT REFERENCES service_assets(id),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'waiting', 'resolved', 'closed', 'cancelled')),
    -- The person working it and their department: the record's data scope.
    owner_id BIGINT REFERENCES users(id),
    department_id BIGINT REFERENCES departments(id),
    response_due_at BIGINT NOT NULL,
    resolution_due_at BIGINT NOT NULL,
    -- When each target turns at risk: the policy's share of its business-time window.
    response_warn_at BIGINT NOT NULL,
    resolution_warn_at BIGINT NOT NULL,
    around_the_clock BOOLEAN NOT NULL,
    first_response_at BIGINT,
    resolved_at BIGINT,
    closed_at BIGINT,
    resolution TEXT NOT NULL DEFAULT '',
    -- Set by the SLA job, so each warning and escalation happens once.
    response_warned_at BIGINT,
    resolution_warned_at BIGINT,
    response_escalated_at BIGINT,
    resolution_escalated_at BIGINT,
    -- A pre-sales consultation turned into a lead.
    lead_id BIGINT REFERENCES leads(id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    deleted_at BIGINT
);
CREATE UNIQUE INDEX service_requests_number ON service_requests(number);
CREATE INDEX service_requests_customer ON service_requests(customer_id, updated_at, id);
CREATE INDEX service_requests_owner ON service_requests(owner_id, updated_at, id);
CREATE INDEX service_requests_department ON service_requests(department_id, updated_at, id);
CREATE INDEX service_requests_updated ON service_requests(updated_at, id);
CREATE INDEX service_requests_response_open ON service_requests(response_due_at) WHERE first_response_at IS NULL AND resolved_at IS NULL;
CREATE INDEX service_requests_resolution_open ON service_requests(resolution_due_at) WHERE resolved_at IS NULL;
CREATE INDEX service_requests_response_warn ON service_requests(response_warn_at) WHERE first_response_at IS NULL AND resolved_at IS NULL;
CREATE INDEX service_requests_resolution_warn ON service_requests(resolution_warn_at) WHERE resolved_at IS NULL;
CREATE INDEX service_requests_contact ON service_requests(contact_id);
CREATE INDEX service_requests_product ON service_requests(product_id);
CREATE INDEX service_requests_asset ON service_requests(asset_id);
CREATE INDEX service_requests_lead ON service_requests(lead_id);
CREATE INDEX service_requests_created_by ON service_requests(created_by);
CREATE INDEX service_requests_updated_by ON service_requests(updated_by);

INSERT INTO numbering_rules (doc_kind, prefix, date_part, digits) VALUES ('service_request', 'SR', 'yyyymmdd', 4);

-- The service desk works every request (approve, to override a complaint's close, is the
-- administrators'); managers see their departments'; salespeople
-- log requests for their customers and follow the ones they own; engineers their own.
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'service_request', a.action, 'all'
FROM roles r
CROSS JOIN (SELECT 'view' AS action UNION ALL SELECT 'create' UNION ALL SELECT 'edit' UNION ALL SELECT 'delete' UNION ALL SELECT 'export'
            UNION ALL SELECT 'assign') a
WHERE r.code IN ('admin', 'service_agent');
-- Closing a complaint the customer is not satisfied with is the administrators' call.
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'service_request', 'approve', 'all' FROM roles r WHERE r.code = 'admin';
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'service_request', a.action, 'department_tree'
FROM roles r
CROSS JOIN (SELECT 'view' AS action UNION ALL SELECT 'create' UNION ALL SELECT 'edit' UNION ALL SELECT 'assign') a
WHERE r.code = 'sales_manager';
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'service_request', a.action, 'own'
FROM roles r
CROSS JOIN (SELECT 'view' AS action UNION ALL SELECT 'create' UNION ALL SELECT 'edit') a
WHERE r.code IN ('salesperson', 'field_engineer');
