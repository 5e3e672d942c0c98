-- 0017_cob_summary: each worker's rapporti kept up to date at import (issue 13, speed), so that a
-- cohort reads one row per person instead of rebuilding spells from every notice.
-- cob_dict: the strings the compact forms refer to (employers, codes, comuni), numbered from 1.
-- cob_person: per worker, the first and last DataInvio of their notices, `summary` (sex, birth,
-- domicile and spells as of all their notices, end dates unresolved) and `history` (their notices
-- in compact form, to rebuild the spells as of an earlier day). Both blobs are written by
-- outreach::summary. cob_summary_state: the meaning of the codes the rows were built with; no row
-- (a store from before this migration) or another meaning = rebuild from cob_notice.
CREATE TABLE cob_dict (
    id    INTEGER PRIMARY KEY,
    text  TEXT NOT NULL UNIQUE
);

CREATE TABLE cob_person (
    worker_cf   TEXT PRIMARY KEY,
    first_sent  INTEGER NOT NULL,
    last_sent   INTEGER NOT NULL,
    summary     BLOB NOT NULL,
    history     BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE cob_summary_state (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    rules  TEXT NOT NULL
);
