-- customers: the first slice of the customer master (C1 core fields, C3 owner).
CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    code TEXT,
    name TEXT NOT NULL,
    short_name TEXT,
    kind TEXT NOT NULL DEFAULT 'company',
    status TEXT NOT NULL DEFAULT 'potential',
    industry TEXT,
    region TEXT,
    source TEXT,
    address TEXT,
    phone TEXT,
    email TEXT,
    website TEXT,
    tax_id TEXT,
    notes TEXT,
    owner_id BIGINT REFERENCES users(id),
    department_id BIGINT REFERENCES departments(id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    deleted_at BIGINT
);
CREATE INDEX customers_owner_id ON customers(owner_id, updated_at, id);
CREATE INDEX customers_department_id ON customers(department_id, updated_at, id);
CREATE INDEX customers_updated ON customers(updated_at, id);
CREATE INDEX customers_created ON customers(created_at, id);
CREATE INDEX customers_name ON customers(name, id);
CREATE INDEX customers_status ON customers(status, updated_at, id);
CREATE INDEX customers_created_by ON customers(created_by);
CREATE INDEX customers_updated_by ON customers(updated_by);

-- Trigram full-text index so Chinese substrings match without word segmentation.
CREATE VIRTUAL TABLE customers_fts USING fts5(
    name, short_name, content='customers', content_rowid='id', tokenize='trigram'
);
CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customers_fts(rowid, name, short_name) VALUES (new.id, new.name, COALESCE(new.short_name, ''));
END;
CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers BEGIN
    INSERT INTO customers_fts(customers_fts, rowid, name, short_name) VALUES ('delete', old.id, old.name, COALESCE(old.short_name, ''));
END;
CREATE TRIGGER customers_fts_update AFTER UPDATE OF name, short_name ON customers BEGIN
    INSERT INTO customers_fts(customers_fts, rowid, name, short_name) VALUES ('delete', old.id, old.name, COALESCE(old.short_name, ''));
    INSERT INTO customers_fts(rowid, name, short_name) VALUES (new.id, new.name, COALESCE(new.short_name, ''));
END;
