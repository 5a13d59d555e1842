-- Each event's monotonic offset within the process that recorded it, and which process run that
-- was: between two events of one run, wall time and monotonic time must advance alike, so an
-- export can say where the wall clock was set back or jumped. Not part of the hash (diagnostic).
ALTER TABLE incident_events ADD COLUMN mono_ms REAL;
ALTER TABLE incident_events ADD COLUMN process_run TEXT;
