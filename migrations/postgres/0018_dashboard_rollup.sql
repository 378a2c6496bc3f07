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

-- The UTC month of a millisecond timestamp as YYYYMM.
CREATE FUNCTION crm_utc_month(ms BIGINT) RETURNS INTEGER LANGUAGE sql IMMUTABLE AS $$
    SELECT CAST(EXTRACT(YEAR FROM t) * 100 + EXTRACT(MONTH FROM t) AS INTEGER)
    FROM (SELECT to_timestamp(ms / 1000.0) AT TIME ZONE 'UTC' AS t) s
$$;

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
    SELECT o.process_id AS process_id, o.currency AS currency, COALESCE(o.owner_id, 0) AS owner_id, COALESCE(o.department_id, 0) AS department_id, o.is_private AS is_private, crm_utc_month(o.created_at) AS month, COALESCE(o.furthest_stage_id, 0) AS furthest_stage_id, o.status AS status, 1 AS n FROM opportunities o WHERE o.deleted_at IS NULL
) x GROUP BY process_id, currency, owner_id, department_id, is_private, month, furthest_stage_id, status;

INSERT INTO opportunity_rollup_won (process_id, currency, owner_id, department_id, is_private, month, stage_id, n, amount)
SELECT process_id, currency, owner_id, department_id, is_private, month, stage_id, SUM(n), SUM(amount) FROM (
    SELECT o.process_id AS process_id, o.currency AS currency, COALESCE(o.owner_id, 0) AS owner_id, COALESCE(o.department_id, 0) AS department_id, o.is_private AS is_private, crm_utc_month(COALESCE(o.closed_at, 0)) AS month, o.stage_id AS stage_id, 1 AS n, 1 * o.amount AS amount FROM opportunities o WHERE o.deleted_at IS NULL AND o.status = 'won'
) x GROUP BY process_id, currency, owner_id, department_id, is_private, month, stage_id;

INSERT INTO opportunity_rollup_moves (process_id, currency, owner_id, department_id, is_private, month, from_stage_id, n, total_ms)
SELECT process_id, currency, owner_id, department_id, is_private, month, from_stage_id, SUM(n), SUM(total_ms) FROM (
    SELECT o.process_id AS process_id, o.currency AS currency, COALESCE(o.owner_id, 0) AS owner_id, COALESCE(o.department_id, 0) AS department_id, o.is_private AS is_private, crm_utc_month(h.moved_at) AS month, h.from_stage_id AS from_stage_id, 1 AS n, h.time_in_stage AS total_ms FROM opportunity_stage_history h JOIN opportunities o ON o.id = h.opportunity_id WHERE o.deleted_at IS NULL AND h.from_stage_id IS NOT NULL AND h.time_in_stage IS NOT NULL
) x GROUP BY process_id, currency, owner_id, department_id, is_private, month, from_stage_id;

-- One statement per rollup with both the leaving and the arriving row, summed and
-- ordered by key, so concurrent writers lock rollup rows in the same order.
CREATE FUNCTION opportunities_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    a opportunities;
    b opportunities;
    sa BIGINT := 0;
    sb BIGINT := 0;
BEGIN
    IF TG_OP = 'INSERT' THEN
        a := NEW; b := NEW; sb := 1;
    ELSIF TG_OP = 'DELETE' THEN
        a := OLD; b := OLD; sa := -1;
    ELSE
        a := OLD; b := NEW; sa := -1; sb := 1;
    END IF;
    INSERT INTO opportunity_rollup_open (process_id, currency, owner_id, department_id, is_private, stage_id, close_month, n, amount)
    SELECT process_id, currency, owner_id, department_id, is_private, stage_id, close_month, SUM(n), SUM(amount) FROM (
        SELECT a.process_id AS process_id, a.currency AS currency, COALESCE(a.owner_id, 0) AS owner_id, COALESCE(a.department_id, 0) AS department_id, a.is_private AS is_private, a.stage_id AS stage_id, COALESCE(CAST(substr(a.expected_close, 1, 4) || substr(a.expected_close, 6, 2) AS INTEGER), 0) AS close_month, sa AS n, sa * a.amount AS amount WHERE a.deleted_at IS NULL AND a.status = 'open' AND sa <> 0
        UNION ALL SELECT b.process_id AS process_id, b.currency AS currency, COALESCE(b.owner_id, 0) AS owner_id, COALESCE(b.department_id, 0) AS department_id, b.is_private AS is_private, b.stage_id AS stage_id, COALESCE(CAST(substr(b.expected_close, 1, 4) || substr(b.expected_close, 6, 2) AS INTEGER), 0) AS close_month, sb AS n, sb * b.amount AS amount WHERE b.deleted_at IS NULL AND b.status = 'open' AND sb <> 0
    ) x WHERE TRUE GROUP BY process_id, currency, owner_id, department_id, is_private, stage_id, close_month HAVING SUM(n) <> 0 OR SUM(amount) <> 0 ORDER BY process_id, currency, owner_id, department_id, is_private, stage_id, close_month
    ON CONFLICT (process_id, currency, owner_id, department_id, is_private, stage_id, close_month) DO UPDATE SET n = opportunity_rollup_open.n + excluded.n, amount = opportunity_rollup_open.amount + excluded.amount;
    INSERT INTO opportunity_rollup_created (process_id, currency, owner_id, department_id, is_private, month, furthest_stage_id, status, n)
    SELECT process_id, currency, owner_id, department_id, is_private, month, furthest_stage_id, status, SUM(n) FROM (
        SELECT a.process_id AS process_id, a.currency AS currency, COALESCE(a.owner_id, 0) AS owner_id, COALESCE(a.department_id, 0) AS department_id, a.is_private AS is_private, crm_utc_month(a.created_at) AS month, COALESCE(a.furthest_stage_id, 0) AS furthest_stage_id, a.status AS status, sa AS n WHERE a.deleted_at IS NULL AND sa <> 0
        UNION ALL SELECT b.process_id AS process_id, b.currency AS currency, COALESCE(b.owner_id, 0) AS owner_id, COALESCE(b.department_id, 0) AS department_id, b.is_private AS is_private, crm_utc_month(b.created_at) AS month, COALESCE(b.furthest_stage_id, 0) AS furthest_stage_id, b.status AS status, sb AS n WHERE b.deleted_at IS NULL AND sb <> 0
    ) x WHERE TRUE GROUP BY process_id, currency, owner_id, department_id, is_private, month, furthest_stage_id, status HAVING SUM(n) <> 0 ORDER BY process_id, currency, owner_id, department_id, is_private, month, furthest_stage_id, status
    ON CONFLICT (process_id, currency, owner_id, department_id, is_private, month, furthest_stage_id, status) DO UPDATE SET n = opportunity_rollup_created.n + excluded.n;
    INSERT INTO opportunity_rollup_won (process_id, currency, owner_id, department_id, is_private, month, stage_id, n, amount)
    SELECT process_id, currency, owner_id, department_id, is_private, month, stage_id, SUM(n), SUM(amount) FROM (
        SELECT a.process_id AS process_id, a.currency AS currency, COALESCE(a.owner_id, 0) AS owner_id, COALESCE(a.department_id, 0) AS department_id, a.is_private AS is_private, crm_utc_month(COALESCE(a.closed_at, 0)) AS month, a.stage_id AS stage_id, sa AS n, sa * a.amount AS amount WHERE a.deleted_at IS NULL AND a.status = 'won' AND sa <> 0
        UNION ALL SELECT b.process_id AS process_id, b.currency AS currency, COALESCE(b.owner_id, 0) AS owner_id, COALESCE(b.department_id, 0) AS department_id, b.is_private AS is_private, crm_utc_month(COALESCE(b.closed_at, 0)) AS month, b.stage_id AS stage_id, sb AS n, sb * b.amount AS amount WHERE b.deleted_at IS NULL AND b.status = 'won' AND sb <> 0
    ) x WHERE TRUE GROUP BY process_id, currency, owner_id, department_id, is_private, month, stage_id HAVING SUM(n) <> 0 OR SUM(amount) <> 0 ORDER BY process_id, currency, owner_id, department_id, is_private, month, stage_id
    ON CONFLICT (process_id, currency, owner_id, department_id, is_private, month, stage_id) DO UPDATE SET n = opportunity_rollup_won.n + excluded.n, amount = opportunity_rollup_won.amount + excluded.amount;
    IF TG_OP <> 'INSERT' AND (sb = 0 OR (a.process_id, a.currency, a.owner_id, a.department_id, a.is_private, a.deleted_at)
            IS DISTINCT FROM (b.process_id, b.currency, b.owner_id, b.department_id, b.is_private, b.deleted_at)) THEN
    INSERT INTO opportunity_rollup_moves (process_id, currency, owner_id, department_id, is_private, month, from_stage_id, n, total_ms)
    SELECT process_id, currency, owner_id, department_id, is_private, month, from_stage_id, SUM(n), SUM(total_ms) FROM (
        SELECT a.process_id AS process_id, a.currency AS currency, COALESCE(a.owner_id, 0) AS owner_id, COALESCE(a.department_id, 0) AS department_id, a.is_private AS is_private, crm_utc_month(h.moved_at) AS month, h.from_stage_id AS from_stage_id, sa AS n, sa * h.time_in_stage AS total_ms FROM opportunity_stage_history h WHERE h.opportunity_id = a.id AND a.deleted_at IS NULL AND h.from_stage_id IS NOT NULL AND h.time_in_stage IS NOT NULL AND sa <> 0
        UNION ALL SELECT b.process_id AS process_id, b.currency AS currency, COALESCE(b.owner_id, 0) AS owner_id, COALESCE(b.department_id, 0) AS department_id, b.is_private AS is_private, crm_utc_month(h.moved_at) AS month, h.from_stage_id AS from_stage_id, sb AS n, sb * h.time_in_stage AS total_ms FROM opportunity_stage_history h WHERE h.opportunity_id = b.id AND b.deleted_at IS NULL AND h.from_stage_id IS NOT NULL AND h.time_in_stage IS NOT NULL AND sb <> 0
    ) x WHERE TRUE GROUP BY process_id, currency, owner_id, department_id, is_private, month, from_stage_id HAVING SUM(n) <> 0 OR SUM(total_ms) <> 0 ORDER BY process_id, currency, owner_id, department_id, is_private, month, from_stage_id
    ON CONFLICT (process_id, currency, owner_id, department_id, is_private, month, from_stage_id) DO UPDATE SET n = opportunity_rollup_moves.n + excluded.n, total_ms = opportunity_rollup_moves.total_ms + excluded.total_ms;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER opportunities_rollup AFTER INSERT OR DELETE OR UPDATE OF process_id, currency, owner_id, department_id, is_private, deleted_at, status, stage_id, furthest_stage_id, expected_close, amount, closed_at, created_at
    ON opportunities FOR EACH ROW EXECUTE FUNCTION opportunities_rollup();

CREATE FUNCTION opportunity_stage_history_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.from_stage_id IS NOT NULL AND NEW.time_in_stage IS NOT NULL THEN
        INSERT INTO opportunity_rollup_moves (process_id, currency, owner_id, department_id, is_private, month, from_stage_id, n, total_ms)
        SELECT o.process_id AS process_id, o.currency AS currency, COALESCE(o.owner_id, 0) AS owner_id, COALESCE(o.department_id, 0) AS department_id, o.is_private AS is_private, crm_utc_month(NEW.moved_at), NEW.from_stage_id, 1, NEW.time_in_stage
        FROM opportunities o WHERE o.id = NEW.opportunity_id AND o.deleted_at IS NULL
        ON CONFLICT (process_id, currency, owner_id, department_id, is_private, month, from_stage_id) DO UPDATE SET n = opportunity_rollup_moves.n + excluded.n, total_ms = opportunity_rollup_moves.total_ms + excluded.total_ms;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER opportunity_stage_history_rollup AFTER INSERT ON opportunity_stage_history
    FOR EACH ROW EXECUTE FUNCTION opportunity_stage_history_rollup();
