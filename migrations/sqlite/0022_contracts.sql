-- Contracts, payment plans, payments (回款) and invoices (O5, S6).
-- A contract has a payment plan of instalments that add up to its amount. Payments are
-- recorded against one instalment each (partial payments too); the instalment and the
-- contract keep running totals of what was received (and the contract of what was
-- invoiced), so receivables are read from contracts and instalments, never by summing
-- the payments ledger. A voided payment or invoice stays in the ledger with its reason.
CREATE TABLE contracts (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    opportunity_id BIGINT REFERENCES opportunities(id),
    quote_id BIGINT REFERENCES quotes(id),
    title TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    signed_on TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    terms TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'terminated')),
    terminate_reason TEXT,
    paid BIGINT NOT NULL DEFAULT 0,
    invoiced BIGINT NOT NULL DEFAULT 0,
    owner_id BIGINT REFERENCES users(id),
    department_id BIGINT REFERENCES departments(id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    deleted_at BIGINT
);
CREATE UNIQUE INDEX contracts_number ON contracts(number);
CREATE INDEX contracts_customer ON contracts(customer_id, updated_at, id);
CREATE INDEX contracts_opportunity ON contracts(opportunity_id);
CREATE INDEX contracts_quote ON contracts(quote_id);
CREATE INDEX contracts_owner ON contracts(owner_id, updated_at, id);
CREATE INDEX contracts_department ON contracts(department_id, updated_at, id);
CREATE INDEX contracts_updated ON contracts(updated_at, id);
CREATE INDEX contracts_created_by ON contracts(created_by);
CREATE INDEX contracts_updated_by ON contracts(updated_by);

CREATE TABLE contract_instalments (
    id INTEGER PRIMARY KEY,
    contract_id BIGINT NOT NULL REFERENCES contracts(id),
    position BIGINT NOT NULL,
    due_on TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    paid BIGINT NOT NULL DEFAULT 0 CHECK (paid >= 0 AND paid <= amount),
    note TEXT NOT NULL DEFAULT '',
    -- The day the overdue job created its reminder, so it reminds once.
    reminded_on TEXT
);
CREATE INDEX contract_instalments_contract ON contract_instalments(contract_id, position);
CREATE INDEX contract_instalments_open ON contract_instalments(due_on, contract_id) WHERE paid < amount;

CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    contract_id BIGINT NOT NULL REFERENCES contracts(id),
    instalment_id BIGINT NOT NULL REFERENCES contract_instalments(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    currency TEXT NOT NULL,
    received_on TEXT NOT NULL,
    method TEXT NOT NULL,
    reference TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    voided_at BIGINT,
    voided_by BIGINT REFERENCES users(id),
    void_reason TEXT
);
CREATE UNIQUE INDEX payments_number ON payments(number);
CREATE INDEX payments_contract ON payments(contract_id, id);
CREATE INDEX payments_instalment ON payments(instalment_id);
CREATE INDEX payments_customer ON payments(customer_id, received_on);
CREATE INDEX payments_created_by ON payments(created_by);
CREATE INDEX payments_voided_by ON payments(voided_by);

CREATE TABLE invoices (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    contract_id BIGINT NOT NULL REFERENCES contracts(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    kind TEXT NOT NULL CHECK (kind IN ('vat_special', 'vat_normal', 'electronic', 'receipt')),
    -- The number printed by the tax system (发票号码), besides ours.
    tax_number TEXT NOT NULL DEFAULT '',
    amount BIGINT NOT NULL CHECK (amount > 0),
    currency TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    voided_at BIGINT,
    voided_by BIGINT REFERENCES users(id),
    void_reason TEXT
);
CREATE UNIQUE INDEX invoices_number ON invoices(number);
CREATE INDEX invoices_contract ON invoices(contract_id, id);
CREATE INDEX invoices_customer ON invoices(customer_id);
CREATE INDEX invoices_created_by ON invoices(created_by);
CREATE INDEX invoices_voided_by ON invoices(voided_by);

-- Contracts follow the orders' grants; voiding a payment or invoice needs approve.
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'contract', a.action, 'all'
FROM roles r
CROSS JOIN (SELECT 'view' AS action UNION ALL SELECT 'create' UNION ALL SELECT 'edit' UNION ALL SELECT 'delete' UNION ALL SELECT 'export'
            UNION ALL SELECT 'approve') a
WHERE r.code = 'admin';
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'contract', a.action, 'department_tree'
FROM roles r
CROSS JOIN (SELECT 'view' AS action UNION ALL SELECT 'create' UNION ALL SELECT 'edit' UNION ALL SELECT 'delete' UNION ALL SELECT 'export'
            UNION ALL SELECT 'approve') a
WHERE r.code = 'sales_manager';
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'contract', a.action, 'own'
FROM roles r
CROSS JOIN (SELECT 'view' AS action UNION ALL SELECT 'create' UNION ALL SELECT 'edit') a
WHERE r.code = 'salesperson';
