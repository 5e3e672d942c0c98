-- 0018_accounts: staff accounts of the console and its sessions (issue 15, point 5).
-- A staff account signs in with its name and a password; only the password's argon2id hash
-- (PHC string) is stored. The role and office come with the account. Programs keep API keys.
CREATE TABLE staff_account (
    id               TEXT PRIMARY KEY,                 -- acc_ + 12 hex digits (in the audit log)
    name             TEXT NOT NULL UNIQUE COLLATE NOCASE, -- the sign-in name ("marta.lazzari")
    label            TEXT NOT NULL,                    -- who ("Marta Lazzari, sportello Lucca")
    role             TEXT NOT NULL,
    office           TEXT,
    password_hash    TEXT NOT NULL,
    created_at       TEXT NOT NULL,                    -- RFC 3339 UTC
    password_set_at  TEXT NOT NULL,
    disabled_at      TEXT
);
-- Console sessions survive a restart: the cookie's token is stored only as its SHA-256.
-- A session belongs to an account or (signed in with an API key) to a key.
CREATE TABLE console_session (
    token_hash    TEXT PRIMARY KEY,
    account_id    TEXT REFERENCES staff_account(id) ON DELETE CASCADE,
    key_id        TEXT REFERENCES api_key(id) ON DELETE CASCADE,
    csrf          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    CHECK ((account_id IS NULL) <> (key_id IS NULL))
);
CREATE INDEX console_session_account ON console_session(account_id);
