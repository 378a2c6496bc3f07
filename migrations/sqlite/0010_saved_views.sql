-- Saved queries (查询方案, C10): filters, columns and sort of the customer list,
-- private to their owner or shared with everyone.
CREATE TABLE saved_views (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    entity TEXT NOT NULL,
    name TEXT NOT NULL,
    shared BOOLEAN NOT NULL DEFAULT FALSE,
    query_json TEXT NOT NULL,
    columns_json TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX saved_views_user_id ON saved_views(user_id, entity);
CREATE INDEX saved_views_shared ON saved_views(entity, shared);
