-- Where each fallback-journal entry landed in the timeline, so the timeline can mark the events
-- that were recorded late (appended from the journal once the store took writes again).
ALTER TABLE journal_applied ADD COLUMN incident_id TEXT;
ALTER TABLE journal_applied ADD COLUMN seq INTEGER;
CREATE INDEX journal_applied_incident ON journal_applied (incident_id, seq);
