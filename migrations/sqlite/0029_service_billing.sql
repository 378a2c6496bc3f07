-- Service billing (V6): a completed, chargeable work order is billed from its service
-- items (at the prices the customer agreed to), the parts used on site and the
-- engineer's labour (both priced for the customer today, i.e. with the customer's
-- price policies), and posted to receivables. The receivable is a contract of kind
-- 'service' with one instalment, so payments, invoices, overdue reminders and the
-- receivables report treat it like any other; its lines say what was charged.
ALTER TABLE contracts ADD COLUMN kind TEXT NOT NULL DEFAULT 'sales' CHECK (kind IN ('sales', 'service'));
ALTER TABLE contracts ADD COLUMN work_order_id BIGINT REFERENCES work_orders(id);
-- One live bill per work order; a cancelled (terminated) one may be billed again.
CREATE UNIQUE INDEX contracts_work_order ON contracts(work_order_id) WHERE work_order_id IS NOT NULL AND status = 'active' AND deleted_at IS NULL;
CREATE INDEX contracts_work_order_all ON contracts(work_order_id);

CREATE TABLE service_bill_lines (
    id INTEGER PRIMARY KEY,
    contract_id BIGINT NOT NULL REFERENCES contracts(id),
    position BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('item', 'part', 'labour')),
    product_id BIGINT NOT NULL REFERENCES products(id),
    description TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    qty_milli BIGINT NOT NULL CHECK (qty_milli > 0),
    -- The product's list price and what the customer is charged, per unit and in all.
    list_price BIGINT NOT NULL,
    unit_price BIGINT NOT NULL,
    amount BIGINT NOT NULL
);
CREATE INDEX service_bill_lines_contract ON service_bill_lines(contract_id, position);
CREATE INDEX service_bill_lines_product ON service_bill_lines(product_id);

INSERT INTO numbering_rules (doc_kind, prefix, date_part, digits) VALUES ('service_bill', 'SB', 'yyyymmdd', 4);
