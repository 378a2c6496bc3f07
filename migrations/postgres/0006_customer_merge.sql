-- Merging duplicates (C9): the merged-away customer is soft-deleted and points at
-- the one it was merged into; pairs judged "not duplicates" stop being flagged.
ALTER TABLE customers ADD COLUMN merged_into BIGINT REFERENCES customers(id);
CREATE INDEX customers_merged_into ON customers(merged_into);

CREATE TABLE customer_not_duplicates (
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    other_id BIGINT NOT NULL REFERENCES customers(id),
    decided_by BIGINT REFERENCES users(id),
    decided_at BIGINT NOT NULL,
    PRIMARY KEY (customer_id, other_id)
);
CREATE INDEX customer_not_duplicates_other ON customer_not_duplicates(other_id);
