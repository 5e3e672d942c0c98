-- Decisions on competence suggestions: who accepted or rejected which suggested skill for which
-- vacancy or job seeker. Accepted ones are also written as the vacancy's requirements or the
-- person's competences (in the same transaction).
CREATE TABLE suggestion_feedback (
    id          INTEGER PRIMARY KEY,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('vacancy', 'job_seeker')),
    target_id   TEXT NOT NULL,
    skill_uri   TEXT NOT NULL,
    accepted    INTEGER NOT NULL CHECK (accepted IN (0, 1)),
    level       INTEGER CHECK (level BETWEEN 1 AND 4),
    essential   INTEGER NOT NULL DEFAULT 0,
    match_kind  TEXT,
    score       REAL,
    decided_by  TEXT NOT NULL,
    decided_at  TEXT NOT NULL
);
CREATE INDEX suggestion_feedback_target ON suggestion_feedback(target_kind, target_id);
