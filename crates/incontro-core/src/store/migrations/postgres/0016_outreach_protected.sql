-- PostgreSQL dialect of ../0016_outreach_protected.sql (same history; see store/db.rs).
-- Issue 18, point 2: citizenship and disability of a person on the outreach contact book (from the
-- SAP record), read only to count outreach coverage by group; NULL when not recorded. Never a
-- cohort or priority input.
ALTER TABLE outreach_person ADD COLUMN citizenship TEXT COLLATE "C"
    CHECK (citizenship IS NULL OR citizenship IN ('IT', 'EU', 'non_EU'));
ALTER TABLE outreach_person ADD COLUMN disability BIGINT
    CHECK (disability IS NULL OR disability IN (0, 1));
