-- 0008_access: API keys (only the SHA-256 of each token is stored) and the append-only audit log
-- of reads and writes of a person's data.
CREATE TABLE api_key (
    id          TEXT PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL CHECK (role IN ('admin', 'validator', 'desk', 'operator', 'analyst')),
    office      TEXT,
    label       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    key_id     TEXT NOT NULL,
    role       TEXT NOT NULL,
    action     TEXT NOT NULL,
    person_id  TEXT,
    target     TEXT,
    outcome    TEXT NOT NULL
);
CREATE INDEX audit_log_person ON audit_log(person_id);
CREATE INDEX audit_log_key ON audit_log(key_id);
-- Append-only: the database itself refuses to change or delete an audit row.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
