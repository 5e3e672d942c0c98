-- Proposals and placements recorded by the desk for a person and a vacancy (issue 7), and the
-- operator's note and chosen next-call day on a call attempt. No foreign keys to job_seeker or
-- vacancy: re-imports replace those rows; the engine checks they exist when recording.
CREATE TABLE placement_record (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    job_seeker_id   TEXT NOT NULL,
    vacancy_id      TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('proposal', 'placement')),
    placement_type  TEXT NOT NULL CHECK (placement_type IN ('contract', 'tirocinio')),
    course_ids      TEXT NOT NULL,       -- JSON array of course ids
    note            TEXT,                -- personal data: never logged
    recorded_by     TEXT NOT NULL,
    recorded_on     TEXT NOT NULL        -- 'YYYY-MM-DD'
);
CREATE INDEX placement_record_person ON placement_record(job_seeker_id);
ALTER TABLE outreach_attempt ADD COLUMN note TEXT;
ALTER TABLE outreach_attempt ADD COLUMN next_call_on INTEGER;
