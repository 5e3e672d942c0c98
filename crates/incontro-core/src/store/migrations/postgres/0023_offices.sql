-- PostgreSQL dialect of ../0023_offices.sql (same history; see store/db.rs).
-- The offices (issue 15, point 12): what a resident and staff read instead of a province code,
-- on the booking confirmation and its .ics. `code` is the office code of accounts, keys and slots
-- (a province sigla such as LU); `comune` a codice catastale. An empty table means the shipped
-- `data/offices.csv` (the demo's offices) applies.
CREATE TABLE office (
    code    TEXT COLLATE "C" PRIMARY KEY,
    name    TEXT COLLATE "C" NOT NULL,
    address TEXT COLLATE "C" NOT NULL,
    comune  TEXT COLLATE "C" NOT NULL
);

-- The contract type (COB TipologiaContrattuale) of the reference job of a call-list entry, shown
-- in words on the operator's card next to the sector (issue 15, point 11).
ALTER TABLE outreach_entry ADD COLUMN last_contract TEXT COLLATE "C";
