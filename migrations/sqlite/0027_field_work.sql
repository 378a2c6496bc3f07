-- The engineer's work on site (V4): check-in and check-out, labour, the resolution, the
-- customer's signature, and every change sent from the engineer's device, kept once by
-- its idempotency key whether it was applied or refused (a refused change, e.g. on a work
-- order the office cancelled meanwhile, stays here for the office to read).
ALTER TABLE work_orders ADD COLUMN checked_in_at BIGINT;
ALTER TABLE work_orders ADD COLUMN checked_out_at BIGINT;
ALTER TABLE work_orders ADD COLUMN labour_minutes BIGINT;
ALTER TABLE work_orders ADD COLUMN resolution TEXT;
ALTER TABLE work_orders ADD COLUMN signed_by TEXT;
ALTER TABLE work_orders ADD COLUMN signature_id BIGINT REFERENCES attachments(id);
ALTER TABLE work_orders ADD COLUMN completed_at BIGINT;

CREATE TABLE field_changes (
    id INTEGER PRIMARY KEY,
    -- Made on the device when the change was made; the same key twice applies once.
    change_key TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id),
    work_order_id BIGINT NOT NULL REFERENCES work_orders(id),
    op TEXT NOT NULL,
    -- The change as JSON, without file contents.
    payload TEXT NOT NULL,
    -- When it was made on the device, and when the server received it.
    happened_at BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'conflict')),
    -- Why it was refused: a message code.
    reason TEXT,
    attachment_id BIGINT REFERENCES attachments(id)
);
CREATE UNIQUE INDEX field_changes_key ON field_changes(change_key);
CREATE INDEX field_changes_order ON field_changes(work_order_id, id);
CREATE INDEX field_changes_user ON field_changes(user_id);
CREATE INDEX field_changes_attachment ON field_changes(attachment_id);

-- Parts used on site, taken from a warehouse (or a van kept as one): a stock movement
-- each, and the lines service billing will charge.
CREATE TABLE work_order_parts (
    id INTEGER PRIMARY KEY,
    work_order_id BIGINT NOT NULL REFERENCES work_orders(id),
    product_id BIGINT NOT NULL REFERENCES products(id),
    warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
    qty_milli BIGINT NOT NULL CHECK (qty_milli > 0),
    change_id BIGINT NOT NULL REFERENCES field_changes(id),
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id)
);
CREATE INDEX work_order_parts_order ON work_order_parts(work_order_id, id);
CREATE INDEX work_order_parts_product ON work_order_parts(product_id);
CREATE INDEX work_order_parts_warehouse ON work_order_parts(warehouse_id);
CREATE INDEX work_order_parts_change ON work_order_parts(change_id);
CREATE INDEX work_order_parts_created_by ON work_order_parts(created_by);
CREATE INDEX work_orders_signature ON work_orders(signature_id);
