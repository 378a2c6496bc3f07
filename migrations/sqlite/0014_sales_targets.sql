-- Sales targets (S8) and what the funnel reports read (S7).
--
-- A target is an amount for one calendar month, set for one person or for one
-- department, in one currency. A month's target for a selection is its department's
-- own target when one is set, else the sum of the targets of the people in it.
CREATE TABLE sales_targets (
    id INTEGER PRIMARY KEY,
    -- 'YYYY-MM'
    month TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    department_id BIGINT REFERENCES departments(id),
    currency TEXT NOT NULL DEFAULT 'CNY',
    amount BIGINT NOT NULL CHECK (amount >= 0),
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    CHECK ((user_id IS NULL) <> (department_id IS NULL))
);
CREATE UNIQUE INDEX sales_targets_user ON sales_targets(user_id, month, currency) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX sales_targets_department ON sales_targets(department_id, month, currency) WHERE department_id IS NOT NULL;
CREATE INDEX sales_targets_month ON sales_targets(month, currency);

-- The furthest open (or won) stage an opportunity has reached, for stage conversion
-- rates: a lost opportunity keeps the last open stage it got to.
ALTER TABLE opportunities ADD COLUMN furthest_stage_id BIGINT;
UPDATE opportunities SET furthest_stage_id = (
    SELECT s.id FROM opportunity_stage_history h
    JOIN sales_stages s ON s.id = h.to_stage_id OR s.id = h.from_stage_id
    WHERE h.opportunity_id = opportunities.id AND s.kind <> 'lost'
    ORDER BY s.position DESC, s.id LIMIT 1
);
CREATE INDEX opportunities_funnel ON opportunities(process_id, status, currency, stage_id);
CREATE INDEX opportunities_won ON opportunities(status, closed_at);
CREATE INDEX opportunities_created ON opportunities(process_id, created_at);
CREATE INDEX opportunity_stage_history_moved ON opportunity_stage_history(moved_at);
