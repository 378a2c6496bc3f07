-- The resolution clock stops while a request waits for the customer: `waiting_since` is
-- when it started waiting; leaving "waiting" moves the resolution warning and deadline
-- later by the business time waited and adds it to `paused_minutes` (so a new priority's
-- deadlines keep the pauses too).
ALTER TABLE service_requests ADD COLUMN waiting_since BIGINT;
ALTER TABLE service_requests ADD COLUMN paused_minutes BIGINT NOT NULL DEFAULT 0;
