-- Words for codes (issue 15): the ISTAT code of each comune, coordinates optional (ISTAT's list
-- of comuni has none: a comune imported from it keeps the coordinates already stored, or has
-- none and is left out of distance filters), and the code lists shown in words (province names,
-- ATECO descriptions, CP2011 titles).
CREATE TABLE comune_v2 (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    province   TEXT NOT NULL,
    lat        REAL,
    lon        REAL,
    istat_code TEXT
);
INSERT INTO comune_v2 (code, name, province, lat, lon) SELECT code, name, province, lat, lon FROM comune;
DROP TABLE comune;
ALTER TABLE comune_v2 RENAME TO comune;
CREATE INDEX comune_name ON comune (name);

CREATE TABLE code_label (
    list  TEXT NOT NULL,
    code  TEXT NOT NULL,
    label TEXT NOT NULL,
    PRIMARY KEY (list, code)
) WITHOUT ROWID;

-- Proposals and placements corrected or withdrawn by the desk (issue 15): what the record was,
-- who changed it, when and why. A withdrawn record leaves `placement_record`.
CREATE TABLE placement_change (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id   INTEGER NOT NULL,
    job_seeker_id TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('corrected', 'withdrawn')),
    before      TEXT NOT NULL,      -- JSON: the record before the change (note: personal data)
    changed_by  TEXT NOT NULL,
    changed_on  TEXT NOT NULL,      -- 'YYYY-MM-DD'
    reason      TEXT                -- personal data: never logged
);
CREATE INDEX placement_change_person ON placement_change(job_seeker_id);
