-- Sales processes, stages and opportunities (S2, S3, S5).
--
-- A process is an ordered list of stages; each stage has a win probability (whole
-- percent), a kind (open, won or lost) and a gate: opportunity fields that must be
-- filled and an activity kind that must have been logged before an opportunity may
-- enter it. Built-in stages carry a `code` (translated in the UI) until renamed.
CREATE TABLE sales_processes (
    id INTEGER PRIMARY KEY,
    code TEXT,
    name TEXT,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    position BIGINT NOT NULL DEFAULT 0,
    hidden BOOLEAN NOT NULL DEFAULT FALSE,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE sales_stages (
    id INTEGER PRIMARY KEY,
    process_id BIGINT NOT NULL REFERENCES sales_processes(id),
    code TEXT,
    name TEXT,
    position BIGINT NOT NULL,
    probability BIGINT NOT NULL CHECK (probability BETWEEN 0 AND 100),
    kind TEXT NOT NULL DEFAULT 'open' CHECK (kind IN ('open', 'won', 'lost')),
    -- Comma-separated opportunity field codes that must be filled to enter the stage.
    required_fields TEXT NOT NULL DEFAULT '',
    -- An activity kind that must have been logged on the opportunity to enter the stage.
    required_activity TEXT,
    deleted_at BIGINT
);
CREATE INDEX sales_stages_process ON sales_stages(process_id, position);

CREATE TABLE opportunities (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    contact_id BIGINT REFERENCES contacts(id),
    process_id BIGINT NOT NULL REFERENCES sales_processes(id),
    stage_id BIGINT NOT NULL REFERENCES sales_stages(id),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'won', 'lost')),
    amount BIGINT NOT NULL DEFAULT 0,
    currency TEXT NOT NULL DEFAULT 'CNY',
    expected_close TEXT,
    source TEXT,
    importance TEXT,
    needs TEXT,
    budget TEXT,
    decision_makers TEXT,
    competitors TEXT,
    is_private BOOLEAN NOT NULL DEFAULT FALSE,
    close_reason TEXT,
    review TEXT,
    closed_at BIGINT,
    stage_entered_at BIGINT NOT NULL,
    owner_id BIGINT REFERENCES users(id),
    department_id BIGINT REFERENCES departments(id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    deleted_at BIGINT
);
CREATE INDEX opportunities_board ON opportunities(process_id, status, stage_id);
CREATE INDEX opportunities_stage ON opportunities(stage_id);
CREATE INDEX opportunities_customer ON opportunities(customer_id);
CREATE INDEX opportunities_contact ON opportunities(contact_id);
CREATE INDEX opportunities_owner ON opportunities(owner_id, status);
CREATE INDEX opportunities_department ON opportunities(department_id, status);
CREATE INDEX opportunities_close ON opportunities(expected_close);
CREATE INDEX opportunities_updated ON opportunities(updated_at, id);

-- Every stage move, with the time spent in the stage it left.
CREATE TABLE opportunity_stage_history (
    id INTEGER PRIMARY KEY,
    opportunity_id BIGINT NOT NULL REFERENCES opportunities(id),
    from_stage_id BIGINT REFERENCES sales_stages(id),
    to_stage_id BIGINT NOT NULL REFERENCES sales_stages(id),
    moved_by BIGINT REFERENCES users(id),
    moved_at BIGINT NOT NULL,
    -- Milliseconds the opportunity spent in `from_stage_id` (NULL for the first entry).
    time_in_stage BIGINT
);
CREATE INDEX opportunity_stage_history_opp ON opportunity_stage_history(opportunity_id, moved_at);
CREATE INDEX opportunity_stage_history_to ON opportunity_stage_history(to_stage_id);
CREATE INDEX opportunity_stage_history_from ON opportunity_stage_history(from_stage_id);

-- Collaborators and project team (S3), like customer collaborators.
CREATE TABLE opportunity_collaborators (
    opportunity_id BIGINT NOT NULL REFERENCES opportunities(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    access TEXT NOT NULL CHECK (access IN ('view', 'edit')),
    added_by BIGINT REFERENCES users(id),
    added_at BIGINT NOT NULL,
    PRIMARY KEY (opportunity_id, user_id)
);
CREATE INDEX opportunity_collaborators_user ON opportunity_collaborators(user_id, access, opportunity_id);

-- The standard process: five open stages, won and lost.
INSERT INTO sales_processes (code, is_default, position) VALUES ('standard', TRUE, 0);
INSERT INTO sales_stages (process_id, code, position, probability, kind, required_fields, required_activity)
SELECT p.id, s.code, s.position, s.probability, s.kind, s.required_fields, s.required_activity
FROM sales_processes p CROSS JOIN (
    SELECT 'prospecting' AS code, 1 AS position, 10 AS probability, 'open' AS kind, '' AS required_fields, NULL AS required_activity
    UNION ALL SELECT 'qualification', 2, 25, 'open', 'contact_id', NULL
    UNION ALL SELECT 'proposal', 3, 50, 'open', 'amount,expected_close,needs', NULL
    UNION ALL SELECT 'negotiation', 4, 75, 'open', 'amount,expected_close,decision_makers', 'visit'
    UNION ALL SELECT 'won', 5, 100, 'won', 'amount', NULL
    UNION ALL SELECT 'lost', 6, 0, 'lost', '', NULL
) s
WHERE p.code = 'standard';

-- Opportunities follow the customers' grants: managers their tree, salespeople their own.
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'opportunity', a.action, 'all'
FROM roles r
CROSS JOIN (SELECT 'view' AS action UNION ALL SELECT 'create' UNION ALL SELECT 'edit' UNION ALL SELECT 'delete' UNION ALL SELECT 'export' UNION ALL SELECT 'assign') a
WHERE r.code = 'admin';
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'opportunity', a.action, 'department_tree'
FROM roles r
CROSS JOIN (SELECT 'view' AS action UNION ALL SELECT 'create' UNION ALL SELECT 'edit' UNION ALL SELECT 'delete' UNION ALL SELECT 'export' UNION ALL SELECT 'assign') a
WHERE r.code = 'sales_manager';
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'opportunity', a.action, 'own'
FROM roles r
CROSS JOIN (SELECT 'view' AS action UNION ALL SELECT 'create' UNION ALL SELECT 'edit' UNION ALL SELECT 'delete') a
WHERE r.code = 'salesperson';
