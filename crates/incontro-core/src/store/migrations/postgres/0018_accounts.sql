-- PostgreSQL dialect of ../0018_accounts.sql (same history; see store/db.rs).
-- 0018_accounts: staff accounts of the console and its sessions (issue 15, point 5).
-- A staff account signs in with its name and a password; only the password's argon2id hash
-- (PHC string) is stored. The role and office come with the account. Programs keep API keys.
CREATE TABLE staff_account (
    id               TEXT COLLATE "C" PRIMARY KEY,                 -- acc_ + 12 hex digits (in the audit log)
    name             TEXT COLLATE "C" NOT NULL , -- the sign-in name ("marta.lazzari")
    label            TEXT COLLATE "C" NOT NULL,                    -- who ("Marta Lazzari, sportello Lucca")
    role             TEXT COLLATE "C" NOT NULL,
    office           TEXT COLLATE "C",
    password_hash    TEXT COLLATE "C" NOT NULL,
    created_at       TEXT COLLATE "C" NOT NULL,                    -- RFC 3339 UTC
    password_set_at  TEXT COLLATE "C" NOT NULL,
    disabled_at      TEXT COLLATE "C"
);
-- Console sessions survive a restart: the cookie's token is stored only as its SHA-256.
-- A session belongs to an account or (signed in with an API key) to a key.
CREATE TABLE console_session (
    token_hash    TEXT COLLATE "C" PRIMARY KEY,
    account_id    TEXT COLLATE "C" REFERENCES staff_account(id) ON DELETE CASCADE,
    key_id        TEXT COLLATE "C" REFERENCES api_key(id) ON DELETE CASCADE,
    csrf          TEXT COLLATE "C" NOT NULL,
    created_at    TEXT COLLATE "C" NOT NULL,
    last_seen_at  TEXT COLLATE "C" NOT NULL,
    CHECK ((account_id IS NULL) <> (key_id IS NULL))
);
CREATE UNIQUE INDEX staff_account_name_nocase ON staff_account (lower(name));
CREATE INDEX console_session_account ON console_session(account_id);
