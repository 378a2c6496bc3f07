-- Rollups for the sales dashboard (S7, S8, R1): counts and sums of the opportunities
-- by the columns its figures group and filter on, so the funnel, stage flow and
-- forecast read thousands of rows instead of every opportunity. Triggers keep them in
-- the same transaction as every insert, update and delete of an opportunity and every
-- new stage-history row (history rows are never updated or deleted). Key columns are
-- NOT NULL so upserts meet: a missing owner, department, stage or date is 0.
-- Months are UTC `YYYYMM`; the reports correct the hours between a UTC month and the
-- user's month from the opportunities themselves. Only the owner's and department's
-- scope is rolled up: rows shared with a user as a collaborator are read directly.
--
-- open:    open opportunities by stage and expected close month (funnel, pipeline);
-- created: opportunities by month created, furthest stage reached and status (flow);
-- won:     won opportunities by month closed and stage (forecast);
-- moves:   stage moves by month and stage left, with the time spent in it.

CREATE TABLE opportunity_rollup_open (
    process_id BIGINT NOT NULL,
    currency TEXT NOT NULL,
    owner_id BIGINT NOT NULL,
    department_id BIGINT NOT NULL,
    is_private BOOLEAN NOT NULL,
    stage_id BIGINT NOT NULL,
    close_month BIGINT NOT NULL,
    n BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (process_id, currency, owner_id, department_id, is_private, stage_id, close_month)
);

CREATE TABLE opportunity_rollup_created (
    process_id BIGINT NOT NULL,
    currency TEXT NOT NULL,
    owner_id BIGINT NOT NULL,
    department_id BIGINT NOT NULL,
    is_private BOOLEAN NOT NULL,
    month BIGINT NOT NULL,
    furthest_stage_id BIGINT NOT NULL,
    status TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (process_id, currency, owner_id, department_id, is_private, month, furthest_stage_id, status)
);

CREATE TABLE opportunity_rollup_won (
    process_id BIGINT NOT NULL,
    currency TEXT NOT NULL,
    owner_id BIGINT NOT NULL,
    department_id BIGINT NOT NULL,
    is_private BOOLEAN NOT NULL,
    month BIGINT NOT NULL,
    stage_id BIGINT NOT NULL,
    n BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (process_id, currency, owner_id, department_id, is_private, month, stage_id)
);

CREATE TABLE opportunity_rollup_moves (
    process_id BIGINT NOT NULL,
    currency TEXT NOT NULL,
    owner_id BIGINT NOT NULL,
    department_id BIGINT NOT NULL,
    is_private BOOLEAN NOT NULL,
    month BIGINT NOT NULL,
    from_stage_id BIGINT NOT NULL,
    n BIGINT NOT NULL,
    total_ms BIGINT NOT NULL,
    PRIMARY KEY (process_id, currency, owner_id, department_id, is_private, month, from_stage_id)
);

INSERT INTO opportunity_rollup_open (process_id, currency, owner_id, department_id, is_private, stage_id, close_month, n, amount)
SELECT process_id, currency, owner_id, department_id, is_private, stage_id, close_month, SUM(n), SUM(amount) FROM (
    SELECT o.process_id AS process_id, o.currency AS currency, COALESCE(o.owner_id, 0) AS owner_id, COALESCE(o.department_id, 0) AS department_id, o.is_private AS is_private, o.stage_id AS stage_id, COALESCE(CAST(substr(o.expected_close, 1, 4) || substr(o.expected_close, 6, 2) AS INTEGER), 0) AS close_month, 1 AS n, 1 * o.amount AS amount FROM opportunities o WHERE o.deleted_at IS NULL AND o.status = 'open'
) x GROUP BY process_id, currency, owner_id, department_id, is_private, stage_id, close_month;

INSERT INTO opportunity_rollup_created (process_id, currency, owner_id, department_id, is_private, month, furthest_stage_id, status, n)
SELECT process_id, currency, owner_id, department_id, is_private, month, furthest_stage_id, status, SUM(n) FROM (
    SELECT o.process_id AS process_id, o.currency AS currency, COALESCE(o.owner_id, 0) AS owner_id, COALESCE(o.department_id, 0) AS department_id, o.is_private AS is_private, CAST(strftime('%Y%m', o.created_at / 1000, 'unixepoch') AS INTEGER) AS month, COALESCE(o.furthest_stage_id, 0) AS furthest_stage_id, o.status AS status, 1 AS n FROM opportunities o WHERE o.deleted_at IS NULL
) x GROUP BY process_id, currency, owner_id, department_id, is_private, month, furthest_stage_id, status;

INSERT INTO opportunity_rollup_won (process_id, currency, owner_id, department_id, is_private, month, stage_id, n, amount)
SELECT process_id, currency, owner_id, department_id, is_private, month, stage_id, SUM(n), SUM(amount) FROM (
    SELECT o.process_id AS process_id, o.currency AS currency, COALESCE(o.owner_id, 0) AS owner_id, COALESCE(o.department_id, 0) AS department_id, o.is_private AS is_private, CAST(strftime('%Y%m', COALESCE(o.closed_at, 0) / 1000, 'unixepoch') AS INTEGER) AS month, o.stage_id AS stage_id, 1 AS n, 1 * o.amount AS amount FROM opportunities o WHERE o.deleted_at IS NULL AND o.status = 'won'
) x GROUP BY process_id, currency, owner_id, department_id, is_private, month, stage_id;

INSERT INTO opportunity_rollup_moves (process_id, currency, owner_id, department_id, is_private, month, from_stage_id, n, total_ms)
SELECT process_id, currency, owner_id, department_id, is_private, month, from_stage_id, SUM(n), SUM(total_ms) FROM (
    SELECT o.process_id AS process_id, o.currency AS currency, COALESCE(o.owner_id, 0) AS owner_id, COALESCE(o.department_id, 0) AS department_id, o.is_private AS is_private, CAST(strftime('%Y%m', h.moved_at / 1000, 'unixepoch') AS INTEGER) AS month, h.from_stage_id AS from_stage_id, 1 AS n, h.time_in_stage AS total_ms FROM opportunity_stage_history h JOIN opportunities o ON o.id = h.opportunity_id WHERE o.deleted_at IS NULL AND h.from_stage_id IS NOT NULL AND h.time_in_stage IS NOT NULL
) x GROUP BY process_id, currency, owner_id, department_id, is_private, month, from_stage_id;

CREATE TRIGGER opportunities_rollup_insert AFTER INSERT ON opportunities BEGIN
    INSERT INTO opportunity_rollup_open (process_id, currency, owner_id, department_id, is_private, stage_id, close_month, n, amount)
    SELECT process_id, currency, owner_id, department_id, is_private, stage_id, close_month, SUM(n), SUM(amount) FROM (
        SELECT NEW.process_id AS process_id, NEW.currency AS currency, COALESCE(NEW.owner_id, 0) AS owner_id, COALESCE(NEW.department_id, 0) AS department_id, NEW.is_private AS is_private, NEW.stage_id AS stage_id, COALESCE(CAST(substr(NEW.expected_close, 1, 4) || substr(NEW.expected_close, 6, 2) AS INTEGER), 0) AS close_month, 1 AS n, 1 * NEW.amount AS amount WHERE NEW.deleted_at IS NULL AND NEW.status = 'open'
    ) x WHERE TRUE GROUP BY process_id, currency, owner_id, department_id, is_private, stage_id, close_month HAVING SUM(n) <> 0 OR SUM(amount) <> 0 ORDER BY process_id, currency, owner_id, department_id, is_private, stage_id, close_month
    ON CONFLICT (process_id, currency, owner_id, department_id, is_private, stage_id, close_month) DO UPDATE SET n = opportunity_rollup_open.n + excluded.n, amount = opportunity_rollup_open.amount + excluded.amount;
    INSERT INTO opportunity_rollup_created (process_id, currency, owner_id, department_id, is_private, month, furthest_stage_id, status, n)
    SELECT process_id, currency, owner_id, department_id, is_private, month, furthest_stage_id, status, SUM(n) FROM (
        SELECT NEW.process_id AS process_id, NEW.currency AS currency, COALESCE(NEW.owner_id, 0) AS owner_id, COALESCE(NEW.department_id, 0) AS department_id, NEW.is_private AS is_private, CAST(strftime('%Y%m', NEW.created_at / 1000, 'unixepoch') AS INTEGER) AS month, COALESCE(NEW.furthest_stage_id, 0) AS furthest_stage_id, NEW.status AS status, 1 AS n WHERE NEW.deleted_at IS NULL
    ) x WHERE TRUE GROUP BY process_id, currency, owner_id, department_id, is_private, month, furthest_stage_id, status HAVING SUM(n) <> 0 ORDER BY process_id, currency, owner_id, department_id, is_private, month, furthest_stage_id, status
    ON CONFLICT (process_id, currency, owner_id, department_id, is_private, month, furthest_stage_id, status) DO UPDATE SET n = opportunity_rollup_created.n + excluded.n;
    INSERT INTO opportunity_rollup_won (process_id, currency, owner_id, department_id, is_private, month, stage_id, n, amount)
    SELECT process_id, currency, owner_id, department_id, is_private, month, stage_id, SUM(n), SUM(amount) FROM (
        SELECT NEW.process_id AS process_id, NEW.currency AS currency, COALESCE(NEW.owner_id, 0) AS owner_id, COALESCE(NEW.department_id, 0) AS department_id, NEW.is_private AS is_private, CAST(strftime('%Y%m', COALESCE(NEW.closed_at, 0) / 1000, 'unixepoch') AS INTEGER) AS month, NEW.stage_id AS stage_id, 1 AS n, 1 * NEW.amount AS amount WHERE NEW.deleted_at IS NULL AND NEW.status = 'won'
    ) x WHERE TRUE GROUP BY process_id, currency, owner_id, department_id, is_private, month, stage_id HAVING SUM(n) <> 0 OR SUM(amount) <> 0 ORDER BY process_id, currency, owner_id, department_id, is_private, month, stage_id
    ON CONFLICT (process_id, currency, owner_id, department_id, is_private, month, stage_id) DO UPDATE SET n = opportunity_rollup_won.n + excluded.n, amount = opportunity_rollup_won.amount + excluded.amount;
END;

CREATE TRIGGER opportunities_rollup_delete AFTER DELETE ON opportunities BEGIN
    INSERT INTO opportunity_rollup_open (process_id, currency, owner_id, department_id, is_private, stage_id, close_month, n, amount)
    SELECT process_id, currency, owner_id, department_id, is_private, stage_id, close_month, SUM(n), SUM(amount) FROM (
        SELECT OLD.process_id AS process_id, OLD.currency AS currency, COALESCE(OLD.owner_id, 0) AS owner_id, COALESCE(OLD.department_id, 0) AS department_id, OLD.is_private AS is_private, OLD.stage_id AS stage_id, COALESCE(CAST(substr(OLD.expected_close, 1, 4) || substr(OLD.expected_close, 6, 2) AS INTEGER), 0) AS close_month, -1 AS n, -1 * OLD.amount AS amount WHERE OLD.deleted_at IS NULL AND OLD.status = 'open'
    ) x WHERE TRUE GROUP BY process_id, currency, owner_id, department_id, is_private, stage_id, close_month HAVING SUM(n) <> 0 OR SUM(amount) <> 0 ORDER BY process_id, currency, owner_id, department_id, is_private, stage_id, close_month
    ON CONFLICT (process_id, currency, owner_id, department_id, is_private, stage_id, close_month) DO UPDATE SET n = opportunity_rollup_open.n + excluded.n, amount = opportunity_rollup_open.amount + excluded.amount;
    INSERT INTO opportunity_rollup_created (process_id, currency, owner_id, department_id, is_private, month, furthest_stage_id, status, n)
    SELECT process_id, currency, owner_id, department_id, is_private, month, furthest_stage_id, status, SUM(n) FROM (
        SELECT OLD.process_id AS process_id, OLD.currency AS currency, COALESCE(OLD.owner_id, 0) AS owner_id, COALESCE(OLD.department_id, 0) AS department_id, OLD.is_private AS is_private, CAST(strftime('%Y%m', OLD.created_at / 1000, 'unixepoch') AS INTEGER) AS month, COALESCE(OLD.furthest_stage_id, 0) AS furthest_stage_id, OLD.status AS status, -1 AS n WHERE OLD.deleted_at IS NULL
    ) x WHERE TRUE GROUP BY process_id, currency, owner_id, department_id, is_private, month, furthest_stage_id, status HAVING SUM(n) <> 0 ORDER BY process_id, currency, owner_id, department_id, is_private, month, furthest_stage_id, status
    ON CONFLICT (process_id, currency, owner_id, department_id, is_private, month, furthest_stage_id, status) DO UPDATE SET n = opportunity_rollup_created.n + excluded.n;
    INSERT INTO opportunity_rollup_won (process_id, currency, owner_id, department_id, is_private, month, stage_id, n, amount)
    SELECT process_id, currency, owner_id, department_id, is_private, month, stage_id, SUM(n), SUM(amount) FROM (
        SELECT OLD.process_id AS process_id, OLD.currency AS currency, COALESCE(OLD.owner_id, 0) AS owner_id, COALESCE(OLD.department_id, 0) AS department_id, OLD.is_private AS is_private, CAST(strftime('%Y%m', COALESCE(OLD.closed_at, 0) / 1000, 'unixepoch') AS INTEGER) AS month, OLD.stage_id AS stage_id, -1 AS n, -1 * OLD.amount AS amount WHERE OLD.deleted_at IS NULL AND OLD.status = 'won'
    ) x WHERE TRUE GROUP BY process_id, currency, owner_id, department_id, is_private, month, stage_id HAVING SUM(n) <> 0 OR SUM(amount) <> 0 ORDER BY process_id, currency, owner_id, department_id, is_private, month, stage_id
    ON CONFLICT (process_id, currency, owner_id, department_id, is_private, month, stage_id) DO UPDATE SET n = opportunity_rollup_won.n + excluded.n, amount = opportunity_rollup_won.amount + excluded.amount;
    INSERT INTO opportunity_rollup_moves (process_id, currency, owner_id, department_id, is_private, month, from_stage_id, n, total_ms)
    SELECT process_id, currency, owner_id, department_id, is_private, month, from_stage_id, SUM(n), SUM(total_ms) FROM (
        SELECT OLD.process_id AS process_id, OLD.currency AS currency, COALESCE(OLD.owner_id, 0) AS owner_id, COALESCE(OLD.department_id, 0) AS department_id, OLD.is_private AS is_private, CAST(strftime('%Y%m', h.moved_at / 1000, 'unixepoch') AS INTEGER) AS month, h.from_stage_id AS from_stage_id, -1 AS n, -1 * h.time_in_stage AS total_ms FROM opportunity_stage_history h WHERE h.opportunity_id = OLD.id AND OLD.deleted_at IS NULL AND h.from_stage_id IS NOT NULL AND h.time_in_stage IS NOT NULL
    ) x WHERE TRUE GROUP BY process_id, currency, owner_id, department_id, is_private, month, from_stage_id HAVING SUM(n) <> 0 OR SUM(total_ms) <> 0 ORDER BY process_id, currency, owner_id, department_id, is_private, month, from_stage_id
    ON CONFLICT (process_id, currency, owner_id, department_id, is_private, month, from_stage_id) DO UPDATE SET n = opportunity_rollup_moves.n + excluded.n, total_ms = opportunity_rollup_moves.total_ms + excluded.total_ms;
END;

CREATE TRIGGER opportunities_rollup_update AFTER UPDATE OF process_id, currency, owner_id, department_id, is_private, deleted_at, status, stage_id, furthest_stage_id, expected_close, amount, closed_at, created_at ON opportunities BEGIN
    INSERT INTO opportunity_rollup_open (process_id, currency, owner_id, department_id, is_private, stage_id, close_month, n, amount)
    SELECT process_id, currency, owner_id, department_id, is_private, stage_id, close_month, SUM(n), SUM(amount) FROM (
        SELECT OLD.process_id AS process_id, OLD.currency AS currency, COALESCE(OLD.owner_id, 0) AS owner_id, COALESCE(OLD.department_id, 0) AS department_id, OLD.is_private AS is_private, OLD.stage_id AS stage_id, COALESCE(CAST(substr(OLD.expected_close, 1, 4) || substr(OLD.expected_close, 6, 2) AS INTEGER), 0) AS close_month, -1 AS n, -1 * OLD.amount AS amount WHERE OLD.deleted_at IS NULL AND OLD.status = 'open'
        UNION ALL SELECT NEW.process_id AS process_id, NEW.currency AS currency, COALESCE(NEW.owner_id, 0) AS owner_id, COALESCE(NEW.department_id, 0) AS department_id, NEW.is_private AS is_private, NEW.stage_id AS stage_id, COALESCE(CAST(substr(NEW.expected_close, 1, 4) || substr(NEW.expected_close, 6, 2) AS INTEGER), 0) AS close_month, 1 AS n, 1 * NEW.amount AS amount WHERE NEW.deleted_at IS NULL AND NEW.status = 'open'
    ) x WHERE TRUE GROUP BY process_id, currency, owner_id, department_id, is_private, stage_id, close_month HAVING SUM(n) <> 0 OR SUM(amount) <> 0 ORDER BY process_id, currency, owner_id, department_id, is_private, stage_id, close_month
    ON CONFLICT (process_id, currency, owner_id, department_id, is_private, stage_id, close_month) DO UPDATE SET n = opportunity_rollup_open.n + excluded.n, amount = opportunity_rollup_open.amount + excluded.amount;
    INSERT INTO opportunity_rollup_created (process_id, currency, owner_id, department_id, is_private, month, furthest_stage_id, status, n)
    SELECT process_id, currency, owner_id, department_id, is_private, month, furthest_stage_id, status, SUM(n) FROM (
        SELECT OLD.process_id AS process_id, OLD.currency AS currency, COALESCE(OLD.owner_id, 0) AS owner_id, COALESCE(OLD.department_id, 0) AS department_id, OLD.is_private AS is_private, CAST(strftime('%Y%m', OLD.created_at / 1000, 'unixepoch') AS INTEGER) AS month, COALESCE(OLD.furthest_stage_id, 0) AS furthest_stage_id, OLD.status AS status, -1 AS n WHERE OLD.deleted_at IS NULL
        UNION ALL SELECT NEW.process_id AS process_id, NEW.currency AS currency, COALESCE(NEW.owner_id, 0) AS owner_id, COALESCE(NEW.department_id, 0) AS department_id, NEW.is_private AS is_private, CAST(strftime('%Y%m', NEW.created_at / 1000, 'unixepoch') AS INTEGER) AS month, COALESCE(NEW.furthest_stage_id, 0) AS furthest_stage_id, NEW.status AS status, 1 AS n WHERE NEW.deleted_at IS NULL
    ) x WHERE TRUE GROUP BY process_id, currency, owner_id, department_id, is_private, month, furthest_stage_id, status HAVING SUM(n) <> 0 ORDER BY process_id, currency, owner_id, department_id, is_private, month, furthest_stage_id, status
    ON CONFLICT (process_id, currency, owner_id, department_id, is_private, month, furthest_stage_id, status) DO UPDATE SET n = opportunity_rollup_created.n + excluded.n;
    INSERT INTO opportunity_rollup_won (process_id, currency, owner_id, department_id, is_private, month, stage_id, n, amount)
    SELECT process_id, currency, owner_id, department_id, is_private, month, stage_id, SUM(n), SUM(amount) FROM (
        SELECT OLD.process_id AS process_id, OLD.currency AS currency, COALESCE(OLD.owner_id, 0) AS owner_id, COALESCE(OLD.department_id, 0) AS department_id, OLD.is_private AS is_private, CAST(strftime('%Y%m', COALESCE(OLD.closed_at, 0) / 1000, 'unixepoch') AS INTEGER) AS month, OLD.stage_id AS stage_id, -1 AS n, -1 * OLD.amount AS amount WHERE OLD.deleted_at IS NULL AND OLD.status = 'won'
        UNION ALL SELECT NEW.process_id AS process_id, NEW.currency AS currency, COALESCE(NEW.owner_id, 0) AS owner_id, COALESCE(NEW.department_id, 0) AS department_id, NEW.is_private AS is_private, CAST(strftime('%Y%m', COALESCE(NEW.closed_at, 0) / 1000, 'unixepoch') AS INTEGER) AS month, NEW.stage_id AS stage_id, 1 AS n, 1 * NEW.amount AS amount WHERE NEW.deleted_at IS NULL AND NEW.status = 'won'
    ) x WHERE TRUE GROUP BY process_id, currency, owner_id, department_id, is_private, month, stage_id HAVING SUM(n) <> 0 OR SUM(amount) <> 0 ORDER BY process_id, currency, owner_id, department_id, is_private, month, stage_id
    ON CONFLICT (process_id, currency, owner_id, department_id, is_private, month, stage_id) DO UPDATE SET n = opportunity_rollup_won.n + excluded.n, amount = opportunity_rollup_won.amount + excluded.amount;
END;

CREATE TRIGGER opportunities_rollup_moves_update AFTER UPDATE OF process_id, currency, owner_id, department_id, is_private, deleted_at ON opportunities
WHEN OLD.process_id IS NOT NEW.process_id OR OLD.currency IS NOT NEW.currency OR OLD.owner_id IS NOT NEW.owner_id OR OLD.department_id IS NOT NEW.department_id OR OLD.is_private IS NOT NEW.is_private OR OLD.deleted_at IS NOT NEW.deleted_at BEGIN
    INSERT INTO opportunity_rollup_moves (process_id, currency, owner_id, department_id, is_private, month, from_stage_id, n, total_ms)
    SELECT process_id, currency, owner_id, department_id, is_private, month, from_stage_id, SUM(n), SUM(total_ms) FROM (
        SELECT OLD.process_id AS process_id, OLD.currency AS currency, COALESCE(OLD.owner_id, 0) AS owner_id, COALESCE(OLD.department_id, 0) AS department_id, OLD.is_private AS is_private, CAST(strftime('%Y%m', h.moved_at / 1000, 'unixepoch') AS INTEGER) AS month, h.from_stage_id AS from_stage_id, -1 AS n, -1 * h.time_in_stage AS total_ms FROM opportunity_stage_history h WHERE h.opportunity_id = OLD.id AND OLD.deleted_at IS NULL AND h.from_stage_id IS NOT NULL AND h.time_in_stage IS NOT NULL
        UNION ALL SELECT NEW.process_id AS process_id, NEW.currency AS currency, COALESCE(NEW.owner_id, 0) AS owner_id, COALESCE(NEW.department_id, 0) AS department_id, NEW.is_private AS is_private, CAST(strftime('%Y%m', h.moved_at / 1000, 'unixepoch') AS INTEGER) AS month, h.from_stage_id AS from_stage_id, 1 AS n, 1 * h.time_in_stage AS total_ms FROM opportunity_stage_history h WHERE h.opportunity_id = NEW.id AND NEW.deleted_at IS NULL AND h.from_stage_id IS NOT NULL AND h.time_in_stage IS NOT NULL
    ) x WHERE TRUE GROUP BY process_id, currency, owner_id, department_id, is_private, month, from_stage_id HAVING SUM(n) <> 0 OR SUM(total_ms) <> 0 ORDER BY process_id, currency, owner_id, department_id, is_private, month, from_stage_id
    ON CONFLICT (process_id, currency, owner_id, department_id, is_private, month, from_stage_id) DO UPDATE SET n = opportunity_rollup_moves.n + excluded.n, total_ms = opportunity_rollup_moves.total_ms + excluded.total_ms;
END;

CREATE TRIGGER opportunity_stage_history_rollup AFTER INSERT ON opportunity_stage_history
WHEN NEW.from_stage_id IS NOT NULL AND NEW.time_in_stage IS NOT NULL BEGIN
    INSERT INTO opportunity_rollup_moves (process_id, currency, owner_id, department_id, is_private, month, from_stage_id, n, total_ms)
    SELECT o.process_id AS process_id, o.currency AS currency, COALESCE(o.owner_id, 0) AS owner_id, COALESCE(o.department_id, 0) AS department_id, o.is_private AS is_private, CAST(strftime('%Y%m', NEW.moved_at / 1000, 'unixepoch') AS INTEGER), NEW.from_stage_id, 1, NEW.time_in_stage
    FROM opportunities o WHERE o.id = NEW.opportunity_id AND o.deleted_at IS NULL
    ON CONFLICT (process_id, currency, owner_id, department_id, is_private, month, from_stage_id) DO UPDATE SET n = opportunity_rollup_moves.n + excluded.n, total_ms = opportunity_rollup_moves.total_ms + excluded.total_ms;
END;
