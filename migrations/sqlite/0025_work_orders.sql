-- Work orders (派工, V3): the field work a service request needs, with its service items
-- and parts priced for the customer, the customer's confirmation when it is chargeable,
-- and its dispatch to an engineer for a planned span of time. Engineers are the people
-- with the field engineer role or a profile here (skills and region, for the board).
CREATE TABLE engineer_profiles (
    user_id BIGINT PRIMARY KEY REFERENCES users(id),
    -- Comma-separated, e.g. "数控机床, 电气".
    skills TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    updated_at BIGINT NOT NULL DEFAULT 0,
    updated_by BIGINT REFERENCES users(id)
);
CREATE INDEX engineer_profiles_updated_by ON engineer_profiles(updated_by);

CREATE TABLE work_orders (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    request_id BIGINT NOT NULL REFERENCES service_requests(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'dispatched', 'in_progress', 'completed', 'cancelled')),
    skill TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    instructions TEXT NOT NULL DEFAULT '',
    -- The engineer it is dispatched to and their department: the record's data scope.
    owner_id BIGINT REFERENCES users(id),
    department_id BIGINT REFERENCES departments(id),
    planned_start BIGINT,
    planned_end BIGINT,
    currency TEXT NOT NULL,
    chargeable BOOLEAN NOT NULL DEFAULT FALSE,
    total BIGINT NOT NULL DEFAULT 0,
    -- Who at the customer agreed to the charges, how and when.
    confirmed_at BIGINT,
    confirmed_by TEXT,
    confirmed_via TEXT,
    cancel_reason TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    deleted_at BIGINT
);
CREATE UNIQUE INDEX work_orders_number ON work_orders(number);
CREATE INDEX work_orders_request ON work_orders(request_id, id);
CREATE INDEX work_orders_customer ON work_orders(customer_id);
-- An engineer's bookings by time: the double-booking check and the board.
CREATE INDEX work_orders_engineer_time ON work_orders(owner_id, planned_start);
CREATE INDEX work_orders_department ON work_orders(department_id);
CREATE INDEX work_orders_status ON work_orders(status, updated_at);
CREATE INDEX work_orders_created_by ON work_orders(created_by);
CREATE INDEX work_orders_updated_by ON work_orders(updated_by);

-- Service items and parts, priced for the customer when saved.
CREATE TABLE work_order_items (
    id INTEGER PRIMARY KEY,
    work_order_id BIGINT NOT NULL REFERENCES work_orders(id),
    position BIGINT NOT NULL,
    product_id BIGINT NOT NULL REFERENCES products(id),
    description TEXT NOT NULL,
    qty_milli BIGINT NOT NULL CHECK (qty_milli > 0),
    unit_price BIGINT NOT NULL,
    amount BIGINT NOT NULL
);
CREATE INDEX work_order_items_order ON work_order_items(work_order_id, position);
CREATE INDEX work_order_items_product ON work_order_items(product_id);

INSERT INTO numbering_rules (doc_kind, prefix, date_part, digits) VALUES ('work_order', 'WO', 'yyyymmdd', 4);

-- The service desk raises, prices, confirms and dispatches work orders; managers follow
-- their departments'; engineers see the ones dispatched to them (their work on site is
-- checked against the dispatch itself, not against the office's edit right).
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'work_order', a.action, 'all'
FROM roles r
CROSS JOIN (SELECT 'view' AS action UNION ALL SELECT 'create' UNION ALL SELECT 'edit' UNION ALL SELECT 'delete' UNION ALL SELECT 'assign') a
WHERE r.code IN ('admin', 'service_agent');
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'work_order', 'view', 'department_tree' FROM roles r WHERE r.code = 'sales_manager';
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'work_order', 'view', 'own' FROM roles r WHERE r.code = 'field_engineer';
