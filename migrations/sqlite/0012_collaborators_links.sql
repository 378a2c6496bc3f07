-- Collaborators (C3): people other than the owner who work on a customer. `view`
-- lets them see it and its contacts and timeline; `edit` also lets them change it.
-- The data-scope filter (platform::authz) adds these rows to the owner's scope.
CREATE TABLE customer_collaborators (
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    access TEXT NOT NULL CHECK (access IN ('view', 'edit')),
    added_by BIGINT REFERENCES users(id),
    added_at BIGINT NOT NULL,
    PRIMARY KEY (customer_id, user_id)
);
CREATE INDEX customer_collaborators_user ON customer_collaborators(user_id, access, customer_id);

-- "Link" (C9): a flagged pair that is not one company but is related (a branch, a
-- sister company) stops being flagged and is listed as related on both pages.
ALTER TABLE customer_not_duplicates ADD COLUMN linked BOOLEAN NOT NULL DEFAULT FALSE;

-- Address key for fuzzy duplicate detection: street and number without the region.
ALTER TABLE customers ADD COLUMN address_key TEXT;
CREATE INDEX customers_address_key ON customers(address_key);
-- Rows with an address get their keys recomputed at start-up (backfill picks up NULL name keys).
UPDATE customers SET name_key = NULL WHERE address IS NOT NULL AND address <> '';
