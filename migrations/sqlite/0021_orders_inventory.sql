-- Inventory (O6) and sales orders (O4).
-- Stock is kept per warehouse and product as on hand and reserved quantities
-- (thousandths). Every change of on hand is a row of the movements ledger with the
-- balance after it. Orders reserve stock when confirmed, issue it when shipped and
-- take it back on return; an order past the customer's credit limit waits for approval.
CREATE TABLE warehouses (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX warehouses_code ON warehouses(code);

CREATE TABLE stock_levels (
    warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
    product_id BIGINT NOT NULL REFERENCES products(id),
    on_hand_milli BIGINT NOT NULL DEFAULT 0,
    reserved_milli BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (warehouse_id, product_id)
);
CREATE INDEX stock_levels_product ON stock_levels(product_id, warehouse_id);

CREATE TABLE stock_movements (
    id INTEGER PRIMARY KEY,
    warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
    product_id BIGINT NOT NULL REFERENCES products(id),
    kind TEXT NOT NULL CHECK (kind IN ('in', 'out', 'transfer_in', 'transfer_out', 'stocktake', 'ship', 'return')),
    -- Signed change of on hand, and on hand after it.
    qty_milli BIGINT NOT NULL,
    balance_milli BIGINT NOT NULL,
    ref_kind TEXT,
    ref_id BIGINT,
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX stock_movements_warehouse ON stock_movements(warehouse_id, id);
CREATE INDEX stock_movements_product ON stock_movements(product_id, id);
CREATE INDEX stock_movements_ref ON stock_movements(ref_kind, ref_id);
CREATE INDEX stock_movements_created_by ON stock_movements(created_by);

CREATE TABLE stocktakes (
    id INTEGER PRIMARY KEY,
    warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
    note TEXT NOT NULL DEFAULT '',
    counted BIGINT NOT NULL,
    adjusted BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX stocktakes_warehouse ON stocktakes(warehouse_id, id);
CREATE INDEX stocktakes_created_by ON stocktakes(created_by);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    opportunity_id BIGINT REFERENCES opportunities(id),
    quote_id BIGINT REFERENCES quotes(id),
    warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
    title TEXT NOT NULL DEFAULT '',
    order_date TEXT NOT NULL,
    delivery_date TEXT NOT NULL,
    currency TEXT NOT NULL,
    discount_bp BIGINT NOT NULL DEFAULT 0,
    subtotal BIGINT NOT NULL DEFAULT 0,
    discount_total BIGINT NOT NULL DEFAULT 0,
    tax_total BIGINT NOT NULL DEFAULT 0,
    total BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'pending', 'confirmed', 'partially_shipped', 'shipped', 'cancelled')),
    -- Why it waits for approval (credit), and the decision.
    approval_reason TEXT,
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
CREATE UNIQUE INDEX orders_number ON orders(number);
CREATE INDEX orders_customer ON orders(customer_id, updated_at, id);
CREATE INDEX orders_opportunity ON orders(opportunity_id);
CREATE INDEX orders_quote ON orders(quote_id);
CREATE INDEX orders_warehouse ON orders(warehouse_id);
CREATE INDEX orders_owner ON orders(owner_id, updated_at, id);
CREATE INDEX orders_department ON orders(department_id, updated_at, id);
CREATE INDEX orders_updated ON orders(updated_at, id);
CREATE INDEX orders_status ON orders(status, updated_at, id);
CREATE INDEX orders_decided_by ON orders(decided_by);
CREATE INDEX orders_created_by ON orders(created_by);
CREATE INDEX orders_updated_by ON orders(updated_by);

CREATE TABLE order_lines (
    id INTEGER PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES orders(id),
    position BIGINT NOT NULL,
    product_id BIGINT REFERENCES products(id),
    -- Whether the line moves stock (a product, not a service or a typed line).
    stocked BOOLEAN NOT NULL DEFAULT FALSE,
    name TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    qty_milli BIGINT NOT NULL,
    shipped_milli BIGINT NOT NULL DEFAULT 0,
    returned_milli BIGINT NOT NULL DEFAULT 0,
    priced_unit BIGINT NOT NULL,
    policy_id BIGINT REFERENCES price_policies(id),
    policy_name TEXT,
    unit_price BIGINT NOT NULL,
    discount_bp BIGINT NOT NULL DEFAULT 0,
    tax_rate_bp BIGINT NOT NULL DEFAULT 0,
    amount BIGINT NOT NULL,
    net BIGINT NOT NULL,
    tax BIGINT NOT NULL
);
CREATE INDEX order_lines_order ON order_lines(order_id, position);
CREATE INDEX order_lines_product ON order_lines(product_id);
CREATE INDEX order_lines_policy ON order_lines(policy_id);

-- Shipments issue stock for an order; returns take it back.
CREATE TABLE shipments (
    id INTEGER PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES orders(id),
    kind TEXT NOT NULL CHECK (kind IN ('ship', 'return')),
    warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX shipments_order ON shipments(order_id, id);
CREATE INDEX shipments_warehouse ON shipments(warehouse_id);
CREATE INDEX shipments_created_by ON shipments(created_by);

CREATE TABLE shipment_lines (
    id INTEGER PRIMARY KEY,
    shipment_id BIGINT NOT NULL REFERENCES shipments(id),
    order_line_id BIGINT NOT NULL REFERENCES order_lines(id),
    qty_milli BIGINT NOT NULL
);
CREATE INDEX shipment_lines_shipment ON shipment_lines(shipment_id);
CREATE INDEX shipment_lines_order_line ON shipment_lines(order_line_id);

INSERT INTO warehouses (code, name, created_at, updated_at) VALUES ('WH01', '总仓', 0, 0);
INSERT INTO settings (key, value, updated_at) VALUES ('inventory_allow_negative', '0', 0);

-- Orders follow the quotes' grants. Everyone who sells or serves sees stock; managers
-- move it and keep warehouses; the administrator does everything.
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'order', a.action, 'all'
FROM roles r
CROSS JOIN (SELECT 'view' AS action UNION ALL SELECT 'create' UNION ALL SELECT 'edit' UNION ALL SELECT 'delete' UNION ALL SELECT 'export'
            UNION ALL SELECT 'approve') a
WHERE r.code = 'admin';
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'order', a.action, 'department_tree'
FROM roles r
CROSS JOIN (SELECT 'view' AS action UNION ALL SELECT 'create' UNION ALL SELECT 'edit' UNION ALL SELECT 'delete' UNION ALL SELECT 'export'
            UNION ALL SELECT 'approve') a
WHERE r.code = 'sales_manager';
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'order', a.action, 'own'
FROM roles r
CROSS JOIN (SELECT 'view' AS action UNION ALL SELECT 'create' UNION ALL SELECT 'edit' UNION ALL SELECT 'delete') a
WHERE r.code = 'salesperson';
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'inventory', a.action, 'all'
FROM roles r
CROSS JOIN (SELECT 'view' AS action UNION ALL SELECT 'create' UNION ALL SELECT 'edit' UNION ALL SELECT 'export') a
WHERE r.code IN ('admin', 'sales_manager');
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'inventory', 'view', 'all'
FROM roles r
WHERE r.code IN ('salesperson', 'service_agent', 'field_engineer');
