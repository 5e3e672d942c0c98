-- PostgreSQL dialect of ../0014_fairness.sql (same history; see store/db.rs).
-- Issue 18: citizenship (only for the bias report, never a matching input) and the human-oversight
-- facts of a proposal or placement: the rank and score the pair had when staff recorded it.
ALTER TABLE job_seeker ADD COLUMN citizenship TEXT COLLATE "C"
    CHECK (citizenship IS NULL OR citizenship IN ('IT', 'EU', 'non_EU'));
-- Rank of the vacancy in the person's list and of the person among the vacancy's candidates
-- (default scoring, no filters), and the score; NULL when the vacancy was not open or the pair
-- scored nothing at that moment.
ALTER TABLE placement_record ADD COLUMN vacancy_rank BIGINT;
ALTER TABLE placement_record ADD COLUMN candidate_rank BIGINT;
ALTER TABLE placement_record ADD COLUMN score DOUBLE PRECISION;
