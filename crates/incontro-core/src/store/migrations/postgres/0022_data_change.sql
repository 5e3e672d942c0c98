-- PostgreSQL dialect of ../0022_data_change.sql (same history; see store/db.rs).
-- 0018_data_change: what each data revision changed (issue 20), so that the in-memory matching
-- state catches up object by object instead of rebuilding. One row per changed object; a revision
-- that changed nothing the matching state holds has one row of kind 'none', an import one of kind
-- 'all' (the state is rebuilt). Rows older than 10,000 revisions are pruned: a state further behind
-- than that is rebuilt.
CREATE TABLE data_change (
    rowid    BIGINT GENERATED ALWAYS AS IDENTITY, -- SQLite's implicit rowid: insertion order
    revision BIGINT NOT NULL,
    kind     TEXT COLLATE "C" NOT NULL CHECK (kind IN ('vacancy', 'job_seeker', 'course', 'all', 'none')),
    id       TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX data_change_revision ON data_change(revision);
