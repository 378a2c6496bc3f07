-- Registration (报备, S4). A new opportunity that conflicts with another salesperson's open
-- opportunity on the same customer or on a customer whose name matches (same name key or
-- same distinctive core, as duplicate detection computes them) waits for a manager's
-- approval: 'pending' until approved, or rejected (which closes it as lost).
ALTER TABLE opportunities ADD COLUMN registration TEXT NOT NULL DEFAULT 'approved';
ALTER TABLE opportunities ADD COLUMN registration_note TEXT;
ALTER TABLE opportunities ADD COLUMN registration_decided_by BIGINT;
ALTER TABLE opportunities ADD COLUMN registration_decided_at BIGINT;
CREATE INDEX opportunities_registration_pending ON opportunities(owner_id) WHERE registration = 'pending';
