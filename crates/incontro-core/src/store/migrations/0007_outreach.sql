-- 0007_outreach: COB notices, code tables, contacts, campaigns, call lists, outcomes, aggregates.
-- Dates are stored as days since 1970-01-01 (INTEGER) to keep the 5-million-row notice table compact.

-- Versioned code tables (contract types, termination reasons, transformations).
CREATE TABLE cob_code (
    scheme      TEXT NOT NULL,
    code        TEXT NOT NULL,
    label       TEXT NOT NULL,
    valid_from  INTEGER NOT NULL,
    valid_to    INTEGER,
    PRIMARY KEY (scheme, code, valid_from)
) WITHOUT ROWID;

-- One row per comunicazione obbligatoria, keyed by CodiceComunicazione (idempotent import).
-- kind: 1 ordinaria, 3 rettifica, 4 annullamento; event: 1 ASS, 2 PRO, 3 TRS, 4 CES.
CREATE TABLE cob_notice (
    code                TEXT PRIMARY KEY,
    previous            TEXT,
    kind                INTEGER NOT NULL,
    event               INTEGER NOT NULL,
    sent                INTEGER NOT NULL,
    worker_cf           TEXT NOT NULL,
    sex                 TEXT,
    birth               INTEGER,
    domicile            TEXT,
    employer_cf         TEXT NOT NULL,
    start               INTEGER NOT NULL,
    planned_end         INTEGER,
    extension_end       INTEGER,
    transformation_date INTEGER,
    transformation      TEXT,
    termination_date    INTEGER,
    termination_reason  TEXT,
    contract_type       TEXT,
    qualifica           TEXT,
    sector              TEXT,
    workplace           TEXT
) WITHOUT ROWID;

-- Contacts come from a source other than COB (SAP, SIL, portal), with provenance and date.
CREATE TABLE outreach_contact (
    worker_cf    TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('mobile', 'email')),
    value        TEXT NOT NULL,
    source       TEXT NOT NULL,
    observed_on  INTEGER NOT NULL,
    PRIMARY KEY (worker_cf, kind, value)
) WITHOUT ROWID;

CREATE TABLE outreach_person (
    worker_cf       TEXT PRIMARY KEY,
    display_name    TEXT,
    do_not_contact  INTEGER NOT NULL DEFAULT 0,
    dnc_since       INTEGER,
    dnc_source      TEXT
) WITHOUT ROWID;

CREATE TABLE outreach_campaign (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    rule_json        TEXT NOT NULL,
    created_on       INTEGER NOT NULL,
    retention_until  INTEGER NOT NULL,
    max_attempts     INTEGER NOT NULL,
    retry_days       INTEGER NOT NULL,
    report_json      TEXT NOT NULL,
    purged_on        INTEGER
);

CREATE TABLE outreach_operator (
    campaign_id     TEXT NOT NULL REFERENCES outreach_campaign(id) ON DELETE CASCADE,
    operator_id     TEXT NOT NULL,
    daily_capacity  INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, operator_id)
);

-- The call list: one entry per selected person; analytical facts kept for the funnel.
CREATE TABLE outreach_entry (
    campaign_id   TEXT NOT NULL REFERENCES outreach_campaign(id) ON DELETE CASCADE,
    entry_no      INTEGER NOT NULL,
    worker_cf     TEXT NOT NULL,
    priority      REAL NOT NULL,
    reasons_json  TEXT NOT NULL,
    operator_id   TEXT,
    sex           TEXT,
    age_band      TEXT NOT NULL,
    comune        TEXT,
    last_sector   TEXT,
    end_date      INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, entry_no),
    UNIQUE (campaign_id, worker_cf)
);

CREATE TABLE outreach_attempt (
    campaign_id  TEXT NOT NULL,
    entry_no     INTEGER NOT NULL,
    attempt_no   INTEGER NOT NULL,
    called_on    INTEGER NOT NULL,
    operator_id  TEXT NOT NULL,
    result       TEXT NOT NULL,
    PRIMARY KEY (campaign_id, entry_no, attempt_no),
    FOREIGN KEY (campaign_id, entry_no) REFERENCES outreach_entry(campaign_id, entry_no) ON DELETE CASCADE
);

CREATE TABLE outreach_outcome (
    campaign_id         TEXT NOT NULL,
    entry_no            INTEGER NOT NULL,
    taken_in_charge_on  INTEGER,
    enrolled_on         INTEGER,
    placed_reported_on  INTEGER,
    placed_confirmed_on INTEGER,
    confirmed_by        TEXT,
    confirmed_contract  TEXT,
    PRIMARY KEY (campaign_id, entry_no),
    FOREIGN KEY (campaign_id, entry_no) REFERENCES outreach_entry(campaign_id, entry_no) ON DELETE CASCADE
);

-- Funnel aggregates kept after the retention purge (no personal data).
CREATE TABLE outreach_funnel_aggregate (
    campaign_id       TEXT NOT NULL REFERENCES outreach_campaign(id) ON DELETE CASCADE,
    dimension         TEXT NOT NULL,
    value             TEXT NOT NULL,
    people            INTEGER NOT NULL,
    called            INTEGER NOT NULL,
    answered          INTEGER NOT NULL,
    taken_in_charge   INTEGER NOT NULL,
    enrolled          INTEGER NOT NULL,
    placed_reported   INTEGER NOT NULL,
    placed_confirmed  INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, dimension, value)
);
