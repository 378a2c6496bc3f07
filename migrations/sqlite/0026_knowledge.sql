-- Knowledge base and FAQ (V8): articles the service desk writes, searched in Chinese
-- without word segmentation (trigrams), suggested on a service request from its text
-- and linked to the requests they helped with. Public articles are the FAQ customers
-- will read on the portal; drafts are seen only by the people who edit articles.
CREATE TABLE kb_articles (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    audience TEXT NOT NULL DEFAULT 'internal' CHECK (audience IN ('internal', 'public')),
    published BOOLEAN NOT NULL DEFAULT FALSE,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    deleted_at BIGINT
);
CREATE INDEX kb_articles_updated ON kb_articles(updated_at, id);
CREATE INDEX kb_articles_created_by ON kb_articles(created_by);
CREATE INDEX kb_articles_updated_by ON kb_articles(updated_by);

-- Trigram full-text index so Chinese substrings match without word segmentation.
CREATE VIRTUAL TABLE kb_fts USING fts5(
    title, body, tags, content='kb_articles', content_rowid='id', tokenize='trigram'
);
CREATE TRIGGER kb_fts_insert AFTER INSERT ON kb_articles BEGIN
    INSERT INTO kb_fts(rowid, title, body, tags) VALUES (new.id, new.title, new.body, new.tags);
END;
CREATE TRIGGER kb_fts_delete AFTER DELETE ON kb_articles BEGIN
    INSERT INTO kb_fts(kb_fts, rowid, title, body, tags) VALUES ('delete', old.id, old.title, old.body, old.tags);
END;
CREATE TRIGGER kb_fts_update AFTER UPDATE OF title, body, tags ON kb_articles BEGIN
    INSERT INTO kb_fts(kb_fts, rowid, title, body, tags) VALUES ('delete', old.id, old.title, old.body, old.tags);
    INSERT INTO kb_fts(rowid, title, body, tags) VALUES (new.id, new.title, new.body, new.tags);
END;

CREATE TABLE service_request_articles (
    request_id BIGINT NOT NULL REFERENCES service_requests(id),
    article_id BIGINT NOT NULL REFERENCES kb_articles(id),
    linked_at BIGINT NOT NULL,
    linked_by BIGINT REFERENCES users(id),
    PRIMARY KEY (request_id, article_id)
);
CREATE INDEX service_request_articles_article ON service_request_articles(article_id);
CREATE INDEX service_request_articles_linked_by ON service_request_articles(linked_by);

-- Everyone reads the knowledge base; the service desk writes it.
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'kb_article', 'view', 'all' FROM roles r
WHERE r.code IN ('admin', 'sales_manager', 'salesperson', 'service_agent', 'field_engineer');
INSERT INTO role_permissions (role_id, entity, action, scope)
SELECT r.id, 'kb_article', a.action, 'all'
FROM roles r
CROSS JOIN (SELECT 'create' AS action UNION ALL SELECT 'edit' UNION ALL SELECT 'delete') a
WHERE r.code IN ('admin', 'service_agent');
