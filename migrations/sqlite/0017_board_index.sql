-- The board reads each open stage's most recently updated opportunities: this index
-- lets it walk one stage in that order and stop after a page, however many are open.
CREATE INDEX opportunities_stage_recent ON opportunities(stage_id, status, updated_at, id);
