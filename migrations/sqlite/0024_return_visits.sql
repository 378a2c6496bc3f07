-- Return visits (回访) and satisfaction after a request is resolved (V5). The latest
-- score is kept on the request: a complaint closes only once the customer said they
-- are satisfied (4 or 5 of 5), or when someone holding approve overrides with a reason.
-- A visit can flag a product issue: such requests make the product-quality list.
CREATE TABLE service_visits (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES service_requests(id),
    channel TEXT NOT NULL CHECK (channel IN ('phone', 'sms', 'wechat', 'email', 'visit')),
    satisfaction BIGINT NOT NULL CHECK (satisfaction BETWEEN 1 AND 5),
    comment TEXT NOT NULL DEFAULT '',
    product_issue BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id)
);
CREATE INDEX service_visits_request ON service_visits(request_id, id);
CREATE INDEX service_visits_created_by ON service_visits(created_by);

ALTER TABLE service_requests ADD COLUMN satisfaction BIGINT;
ALTER TABLE service_requests ADD COLUMN product_issue BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE service_requests ADD COLUMN close_override TEXT;
CREATE INDEX service_requests_product_issue ON service_requests(updated_at, id) WHERE product_issue = TRUE AND deleted_at IS NULL;
