-- PostgreSQL dialect of ../0007_outreach.sql (same history; see store/db.rs).
-- 0007_outreach: COB notices, code tables, contacts, campaigns, call lists, outcomes, aggregates.
-- Dates are stored as days since 1970-01-01 (BIGINT) to keep the 5-million-row notice table compact.

-- Versioned code tables (contract types, termination reasons, transformations).
CREATE TABLE cob_code (
    scheme      TEXT COLLATE "C" NOT NULL,
    code        TEXT COLLATE "C" NOT NULL,
    label       TEXT COLLATE "C" NOT NULL,
    valid_from  BIGINT NOT NULL,
    valid_to    BIGINT,
    PRIMARY KEY (scheme, code, valid_from)
);

-- One row per comunicazione obbligatoria, keyed by CodiceComunicazione (idempotent import).
-- kind: 1 ordinaria, 3 rettifica, 4 annullamento; event: 1 ASS, 2 PRO, 3 TRS, 4 CES.
CREATE TABLE cob_notice (
    code                TEXT COLLATE "C" PRIMARY KEY,
    previous            TEXT COLLATE "C",
    kind                BIGINT NOT NULL,
    event               BIGINT NOT NULL,
    sent                BIGINT NOT NULL,
    worker_cf           TEXT COLLATE "C" NOT NULL,
    sex                 TEXT COLLATE "C",
    birth               BIGINT,
    domicile            TEXT COLLATE "C",
    employer_cf         TEXT COLLATE "C" NOT NULL,
    start               BIGINT NOT NULL,
    planned_end         BIGINT,
    extension_end       BIGINT,
    transformation_date BIGINT,
    transformation      TEXT COLLATE "C",
    termination_date    BIGINT,
    termination_reason  TEXT COLLATE "C",
    contract_type       TEXT COLLATE "C",
    qualifica           TEXT COLLATE "C",
    sector              TEXT COLLATE "C",
    workplace           TEXT COLLATE "C"
);

-- Contacts come from a source other than COB (SAP, SIL, portal), with provenance and date.
CREATE TABLE outreach_contact (
    worker_cf    TEXT COLLATE "C" NOT NULL,
    kind         TEXT COLLATE "C" NOT NULL CHECK (kind IN ('mobile', 'email')),
    value        TEXT COLLATE "C" NOT NULL,
    source       TEXT COLLATE "C" NOT NULL,
    observed_on  BIGINT NOT NULL,
    PRIMARY KEY (worker_cf, kind, value)
);

CREATE TABLE outreach_person (
    worker_cf       TEXT COLLATE "C" PRIMARY KEY,
    display_name    TEXT COLLATE "C",
    do_not_contact  BIGINT NOT NULL DEFAULT 0,
    dnc_since       BIGINT,
    dnc_source      TEXT COLLATE "C"
);

CREATE TABLE outreach_campaign (
    id               TEXT COLLATE "C" PRIMARY KEY,
    name             TEXT COLLATE "C" NOT NULL,
    rule_json        TEXT COLLATE "C" NOT NULL,
    created_on       BIGINT NOT NULL,
    retention_until  BIGINT NOT NULL,
    max_attempts     BIGINT NOT NULL,
    retry_days       BIGINT NOT NULL,
    report_json      TEXT COLLATE "C" NOT NULL,
    purged_on        BIGINT
);

CREATE TABLE outreach_operator (
    campaign_id     TEXT COLLATE "C" NOT NULL REFERENCES outreach_campaign(id) ON DELETE CASCADE,
    operator_id     TEXT COLLATE "C" NOT NULL,
    daily_capacity  BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, operator_id)
);

-- The call list: one entry per selected person; analytical facts kept for the funnel.
CREATE TABLE outreach_entry (
    campaign_id   TEXT COLLATE "C" NOT NULL REFERENCES outreach_campaign(id) ON DELETE CASCADE,
    entry_no      BIGINT NOT NULL,
    worker_cf     TEXT COLLATE "C" NOT NULL,
    priority      DOUBLE PRECISION NOT NULL,
    reasons_json  TEXT COLLATE "C" NOT NULL,
    operator_id   TEXT COLLATE "C",
    sex           TEXT COLLATE "C",
    age_band      TEXT COLLATE "C" NOT NULL,
    comune        TEXT COLLATE "C",
    last_sector   TEXT COLLATE "C",
    end_date      BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, entry_no),
    UNIQUE (campaign_id, worker_cf)
);

CREATE TABLE outreach_attempt (
    campaign_id  TEXT COLLATE "C" NOT NULL,
    entry_no     BIGINT NOT NULL,
    attempt_no   BIGINT NOT NULL,
    called_on    BIGINT NOT NULL,
    operator_id  TEXT COLLATE "C" NOT NULL,
    result       TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (campaign_id, entry_no, attempt_no),
    FOREIGN KEY (campaign_id, entry_no) REFERENCES outreach_entry(campaign_id, entry_no) ON DELETE CASCADE
);

CREATE TABLE outreach_outcome (
    campaign_id         TEXT COLLATE "C" NOT NULL,
    entry_no            BIGINT NOT NULL,
    taken_in_charge_on  BIGINT,
    enrolled_on         BIGINT,
    placed_reported_on  BIGINT,
    placed_confirmed_on BIGINT,
    confirmed_by        TEXT COLLATE "C",
    confirmed_contract  TEXT COLLATE "C",
    PRIMARY KEY (campaign_id, entry_no),
    FOREIGN KEY (campaign_id, entry_no) REFERENCES outreach_entry(campaign_id, entry_no) ON DELETE CASCADE
);

-- Funnel aggregates kept after the retention purge (no personal data).
CREATE TABLE outreach_funnel_aggregate (
    campaign_id       TEXT COLLATE "C" NOT NULL REFERENCES outreach_campaign(id) ON DELETE CASCADE,
    dimension         TEXT COLLATE "C" NOT NULL,
    value             TEXT COLLATE "C" NOT NULL,
    people            BIGINT NOT NULL,
    called            BIGINT NOT NULL,
    answered          BIGINT NOT NULL,
    taken_in_charge   BIGINT NOT NULL,
    enrolled          BIGINT NOT NULL,
    placed_reported   BIGINT NOT NULL,
    placed_confirmed  BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, dimension, value)
);
