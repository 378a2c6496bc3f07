-- The full customer record (C1, C2): user-defined dictionaries (levels, categories,
-- groups, industries, sources, regions), tags, financial and relationship sections.
CREATE TABLE dictionary_items (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    sort_order BIGINT NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX dictionary_items_kind_name ON dictionary_items(kind, name);
INSERT INTO dictionary_items (kind, name, sort_order, created_at, updated_at) VALUES
    ('customer_level', 'A', 1, 0, 0), ('customer_level', 'B', 2, 0, 0), ('customer_level', 'C', 3, 0, 0), ('customer_level', 'D', 4, 0, 0);

ALTER TABLE customers ADD COLUMN level TEXT;
ALTER TABLE customers ADD COLUMN category TEXT;
ALTER TABLE customers ADD COLUMN customer_group TEXT;
ALTER TABLE customers ADD COLUMN bank_name TEXT;
ALTER TABLE customers ADD COLUMN bank_account TEXT;
ALTER TABLE customers ADD COLUMN credit_limit BIGINT;
ALTER TABLE customers ADD COLUMN credit_currency TEXT;
ALTER TABLE customers ADD COLUMN credit_days BIGINT;
ALTER TABLE customers ADD COLUMN credit_control TEXT;
ALTER TABLE customers ADD COLUMN relationship TEXT;
ALTER TABLE customers ADD COLUMN rating BIGINT;
ALTER TABLE customers ADD COLUMN evaluation TEXT;
CREATE INDEX customers_level ON customers(level, updated_at, id);
CREATE INDEX customers_category ON customers(category, updated_at, id);

CREATE TABLE customer_tags (
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    tag TEXT NOT NULL,
    PRIMARY KEY (customer_id, tag)
);
CREATE INDEX customer_tags_tag ON customer_tags(tag, customer_id);
