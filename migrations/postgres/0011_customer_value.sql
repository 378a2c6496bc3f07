-- Customer value (C7, C8): the score and band of the value model, recomputed by a
-- background job so the pyramid is a GROUP BY.
ALTER TABLE customers ADD COLUMN value_score BIGINT;
ALTER TABLE customers ADD COLUMN value_band TEXT;
CREATE INDEX customers_value_band ON customers(value_band);
INSERT INTO settings (key, value, updated_at) VALUES ('value.model', '', 0);
