-- Attachments of activities (T1): files live outside the web root under the data
-- directory; the row keeps the name, type, size and checksum.
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    activity_id BIGINT NOT NULL REFERENCES activities(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    storage_key TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    deleted_at BIGINT
);
CREATE INDEX attachments_activity_id ON attachments(activity_id);
CREATE INDEX attachments_created_by ON attachments(created_by);
