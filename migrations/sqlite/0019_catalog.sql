-- Catalog and document set-up for issue 5 (O1, O2, O7, numbering): products and
-- services, price policies, dated exchange rates and document numbering rules.

-- O1: what the company sells. Prices are minor units of the product's currency;
-- quantities elsewhere are thousandths of the unit (`qty_milli`).
CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'product' CHECK (kind IN ('product', 'service')),
    category TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    currency TEXT NOT NULL DEFAULT 'CNY',
    list_price BIGINT NOT NULL DEFAULT 0,
    cost BIGINT NOT NULL DEFAULT 0,
    -- Tax rate in basis points (1300 = 13 %).
    tax_rate_bp BIGINT NOT NULL DEFAULT 0,
    description TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    deleted_at BIGINT
);
CREATE UNIQUE INDEX products_code ON products(code) WHERE deleted_at IS NULL;
CREATE INDEX products_name ON products(name, id);
CREATE INDEX products_category ON products(category, name, id);
CREATE INDEX products_created_by ON products(created_by);
CREATE INDEX products_updated_by ON products(updated_by);

-- O2: a price policy sets a product's unit price (a fixed price or a discount off the
-- list price) for one customer, a customer level, a region or everyone, from a
-- quantity break, within an optional date range. Precedence: catalog::types::resolve_price.
CREATE TABLE price_policies (
    id INTEGER PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES products(id),
    name TEXT NOT NULL DEFAULT '',
    target TEXT NOT NULL CHECK (target IN ('customer', 'level', 'region', 'all')),
    customer_id BIGINT REFERENCES customers(id),
    -- The level or region name for those targets, empty otherwise.
    target_value TEXT NOT NULL DEFAULT '',
    min_qty_milli BIGINT NOT NULL DEFAULT 0,
    valid_from TEXT,
    valid_to TEXT,
    -- Exactly one of: a fixed unit price in `currency`, or basis points off the list price.
    currency TEXT NOT NULL DEFAULT 'CNY',
    price BIGINT,
    discount_bp BIGINT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    deleted_at BIGINT
);
CREATE INDEX price_policies_product ON price_policies(product_id, id);
CREATE INDEX price_policies_customer ON price_policies(customer_id);
CREATE INDEX price_policies_created_by ON price_policies(created_by);
CREATE INDEX price_policies_updated_by ON price_policies(updated_by);

-- O7: units of the base currency (setting `base_currency`) for one unit of `currency`,
-- times 1 000 000, in force from `rate_date` until the next rate of that currency.
CREATE TABLE exchange_rates (
    id INTEGER PRIMARY KEY,
    currency TEXT NOT NULL,
    rate_date TEXT NOT NULL,
    rate_micro BIGINT NOT NULL CHECK (rate_micro > 0),
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id)
);
CREATE UNIQUE INDEX exchange_rates_currency_date ON exchange_rates(currency, rate_date);
CREATE INDEX exchange_rates_created_by ON exchange_rates(created_by);

-- Document numbers: prefix, an optional date part and a sequence that restarts with
-- each new date part. The counter row is bumped in the transaction that saves the
-- document, so a rolled-back save gives its number back (no gaps).
CREATE TABLE numbering_rules (
    doc_kind TEXT PRIMARY KEY,
    prefix TEXT NOT NULL DEFAULT '',
    date_part TEXT NOT NULL DEFAULT 'yyyymmdd' CHECK (date_part IN ('none', 'yyyy', 'yyyymm', 'yyyymmdd')),
    digits BIGINT NOT NULL DEFAULT 4 CHECK (digits BETWEEN 1 AND 10),
    version BIGINT NOT NULL DEFAULT 1,
    updated_at BIGINT NOT NULL DEFAULT 0,
    updated_by BIGINT REFERENCES users(id)
);
INSERT INTO numbering_rules (doc_kind, prefix, date_part, digits) VALUES
    ('product', 'P', 'none', 5),
    ('quote', 'QT', 'yyyymmdd', 4),
    ('order', 'SO', 'yyyymmdd', 4),
    ('contract', 'HT', 'yyyymm', 4),
    ('invoice', 'INV', 'yyyymm', 5),
    ('payment', 'PAY', 'yyyymm', 5);
CREATE TABLE numbering_counters (
    doc_kind TEXT NOT NULL,
    period TEXT NOT NULL,
    last_value BIGINT NOT NULL,
    PRIMARY KEY (doc_kind, period)
);

INSERT INTO dictionary_items (kind, name, sort_order, created_at, updated_at) VALUES
    ('product_unit', '个', 1, 0, 0), ('product_unit', '台', 2, 0, 0), ('product_unit', '套', 3, 0, 0),
    ('product_unit', '件', 4, 0, 0), ('product_unit', '小时', 5, 0, 0), ('product_unit', '次', 6, 0, 0),
    ('product_unit', '年', 7, 0, 0);

-- The catalog is company-wide (no owner), so every grant reaches all of it.
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'product', a.action, 'all'
FROM roles r
CROSS JOIN (SELECT 'view' AS action UNION ALL SELECT 'create' UNION ALL SELECT 'edit' UNION ALL SELECT 'delete' UNION ALL SELECT 'export') a
WHERE r.code = 'admin';
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'product', a.action, 'all'
FROM roles r
CROSS JOIN (SELECT 'view' AS action UNION ALL SELECT 'create' UNION ALL SELECT 'edit') a
WHERE r.code = 'sales_manager';
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'product', 'view', 'all' FROM roles r WHERE r.code IN ('salesperson', 'service_agent', 'field_engineer');
