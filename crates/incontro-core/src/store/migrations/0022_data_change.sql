-- 0018_data_change: what each data revision changed (issue 20), so that the in-memory matching
-- state catches up object by object instead of rebuilding. One row per changed object; a revision
-- that changed nothing the matching state holds has one row of kind 'none', an import one of kind
-- 'all' (the state is rebuilt). Rows older than 10,000 revisions are pruned: a state further behind
-- than that is rebuilt.
CREATE TABLE data_change (
    revision INTEGER NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('vacancy', 'job_seeker', 'course', 'all', 'none')),
    id       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX data_change_revision ON data_change(revision);
