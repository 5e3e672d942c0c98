-- PostgreSQL dialect of ../0019_call_back.sql (same history; see store/db.rs).
-- 0019_call_back: the time of day an operator agreed to call back (issue 15, point 11), beside the
-- chosen next-call day of migration 0011; 'HH:MM', local time of the office.
ALTER TABLE outreach_attempt ADD COLUMN next_call_at TEXT COLLATE "C";
