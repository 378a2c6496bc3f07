-- Quotes (O3): versioned quotes with lines, line and document discounts, tax, validity
-- and approval when the discount below catalog prices passes the company's limit.
-- A revision is a new row with the same number and `root_id` pointing at the first;
-- the revision it replaces becomes `superseded` and stays readable.
CREATE TABLE quotes (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    revision BIGINT NOT NULL DEFAULT 1,
    root_id BIGINT REFERENCES quotes(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    opportunity_id BIGINT REFERENCES opportunities(id),
    title TEXT NOT NULL DEFAULT '',
    quote_date TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    currency TEXT NOT NULL,
    -- Document discount in basis points, then the saved totals in minor units.
    discount_bp BIGINT NOT NULL DEFAULT 0,
    subtotal BIGINT NOT NULL DEFAULT 0,
    discount_total BIGINT NOT NULL DEFAULT 0,
    tax_total BIGINT NOT NULL DEFAULT 0,
    total BIGINT NOT NULL DEFAULT 0,
    effective_discount_bp BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'pending', 'approved', 'rejected', 'sent', 'accepted', 'declined', 'superseded')),
    approval_note TEXT,
    decided_by BIGINT REFERENCES users(id),
    decided_at BIGINT,
    terms TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    owner_id BIGINT REFERENCES users(id),
    department_id BIGINT REFERENCES departments(id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    deleted_at BIGINT
);
CREATE UNIQUE INDEX quotes_number_revision ON quotes(number, revision);
CREATE INDEX quotes_root ON quotes(root_id);
CREATE INDEX quotes_customer ON quotes(customer_id, updated_at, id);
CREATE INDEX quotes_opportunity ON quotes(opportunity_id);
CREATE INDEX quotes_owner ON quotes(owner_id, updated_at, id);
CREATE INDEX quotes_department ON quotes(department_id, updated_at, id);
CREATE INDEX quotes_updated ON quotes(updated_at, id);
CREATE INDEX quotes_status ON quotes(status, updated_at, id);
CREATE INDEX quotes_decided_by ON quotes(decided_by);
CREATE INDEX quotes_created_by ON quotes(created_by);
CREATE INDEX quotes_updated_by ON quotes(updated_by);

CREATE TABLE quote_lines (
    id INTEGER PRIMARY KEY,
    quote_id BIGINT NOT NULL REFERENCES quotes(id),
    position BIGINT NOT NULL,
    product_id BIGINT REFERENCES products(id),
    name TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    qty_milli BIGINT NOT NULL,
    -- The unit price the catalog and its policies set, in the quote's currency, and the policy.
    priced_unit BIGINT NOT NULL,
    policy_id BIGINT REFERENCES price_policies(id),
    policy_name TEXT,
    unit_price BIGINT NOT NULL,
    discount_bp BIGINT NOT NULL DEFAULT 0,
    tax_rate_bp BIGINT NOT NULL DEFAULT 0,
    -- After the line discount; after the document discount's share; tax on the net.
    amount BIGINT NOT NULL,
    net BIGINT NOT NULL,
    tax BIGINT NOT NULL
);
CREATE INDEX quote_lines_quote ON quote_lines(quote_id, position);
CREATE INDEX quote_lines_product ON quote_lines(product_id);
CREATE INDEX quote_lines_policy ON quote_lines(policy_id);

-- Quotes follow the opportunities' grants; approval goes to managers and administrators.
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'quote', a.action, 'all'
FROM roles r
CROSS JOIN (SELECT 'view' AS action UNION ALL SELECT 'create' UNION ALL SELECT 'edit' UNION ALL SELECT 'delete' UNION ALL SELECT 'export'
            UNION ALL SELECT 'approve') a
WHERE r.code = 'admin';
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'quote', a.action, 'department_tree'
FROM roles r
CROSS JOIN (SELECT 'view' AS action UNION ALL SELECT 'create' UNION ALL SELECT 'edit' UNION ALL SELECT 'delete' UNION ALL SELECT 'export'
            UNION ALL SELECT 'approve') a
WHERE r.code = 'sales_manager';
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'quote', a.action, 'own'
FROM roles r
CROSS JOIN (SELECT 'view' AS action UNION ALL SELECT 'create' UNION ALL SELECT 'edit' UNION ALL SELECT 'delete') a
WHERE r.code = 'salesperson';
