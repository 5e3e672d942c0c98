-- 0015_refusal_undo: an explicit, audited undo of a `refused` call outcome (issue 13, point 9).
-- The refused attempt leaves outreach_attempt (so no rule counts it any more) and is kept here with
-- who undid it, when (UTC, RFC 3339) and why. No codice fiscale: the entry number names the person.
CREATE TABLE outreach_refusal_undo (
    id           INTEGER PRIMARY KEY,
    campaign_id  TEXT NOT NULL,
    entry_no     INTEGER NOT NULL,
    attempt_no   INTEGER NOT NULL,
    called_on    INTEGER NOT NULL,
    operator_id  TEXT NOT NULL,
    undone_by    TEXT NOT NULL,
    undone_at    TEXT NOT NULL,
    reason       TEXT NOT NULL,
    FOREIGN KEY (campaign_id, entry_no) REFERENCES outreach_entry(campaign_id, entry_no) ON DELETE CASCADE
);
