-- Import jobs (C11): the parsed file waits here between upload, mapping and the run.
CREATE TABLE import_jobs (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    entity TEXT NOT NULL,
    file_name TEXT NOT NULL,
    headers_json TEXT NOT NULL,
    rows_json TEXT NOT NULL,
    row_count BIGINT NOT NULL,
    status TEXT NOT NULL,
    result_json TEXT,
    created_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX import_jobs_user_id ON import_jobs(user_id, created_at);
