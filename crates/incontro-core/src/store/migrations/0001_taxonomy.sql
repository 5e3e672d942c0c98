-- ESCO taxonomy. Owned by the taxonomy importer.
CREATE TABLE taxonomy_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Skills and skill groups share one id space: a skill's broader concept may be either.
CREATE TABLE esco_skill (
    id          INTEGER PRIMARY KEY,
    uri         TEXT NOT NULL UNIQUE,
    is_group    INTEGER NOT NULL DEFAULT 0,
    skill_type  TEXT,
    reuse_level TEXT,
    code        TEXT
);

CREATE TABLE esco_occupation (
    id         INTEGER PRIMARY KEY,
    uri        TEXT NOT NULL UNIQUE,
    isco_group TEXT NOT NULL DEFAULT '',
    code       TEXT NOT NULL DEFAULT '',
    -- 1 when listed in an occupations file; 0 when only known from the occupation pillar
    -- (a few v1.1.1 relations point to such occupations).
    listed     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE esco_isco_group (
    id   INTEGER PRIMARY KEY,
    uri  TEXT NOT NULL UNIQUE,
    code TEXT NOT NULL
);

-- Labels of every concept, per language. concept_kind: 0 skill or skill group, 1 occupation,
-- 2 ISCO group. label_kind: 0 preferred, 1 alternative, 2 hidden.
CREATE TABLE esco_label (
    concept_kind INTEGER NOT NULL,
    concept_id   INTEGER NOT NULL,
    lang         TEXT NOT NULL,
    label_kind   INTEGER NOT NULL,
    label        TEXT NOT NULL
);
CREATE INDEX esco_label_by_concept ON esco_label(concept_kind, concept_id, lang);

CREATE TABLE esco_description (
    concept_kind INTEGER NOT NULL,
    concept_id   INTEGER NOT NULL,
    lang         TEXT NOT NULL,
    description  TEXT NOT NULL,
    PRIMARY KEY (concept_kind, concept_id, lang)
) WITHOUT ROWID;

CREATE TABLE esco_occupation_skill (
    occupation_id INTEGER NOT NULL REFERENCES esco_occupation(id),
    skill_id      INTEGER NOT NULL REFERENCES esco_skill(id),
    essential     INTEGER NOT NULL,
    PRIMARY KEY (occupation_id, skill_id)
) WITHOUT ROWID;

CREATE TABLE esco_broader (
    skill_id   INTEGER NOT NULL REFERENCES esco_skill(id),
    broader_id INTEGER NOT NULL REFERENCES esco_skill(id),
    PRIMARY KEY (skill_id, broader_id)
) WITHOUT ROWID;

CREATE TABLE esco_skill_relation (
    skill_id   INTEGER NOT NULL REFERENCES esco_skill(id),
    related_id INTEGER NOT NULL REFERENCES esco_skill(id),
    essential  INTEGER NOT NULL,
    PRIMARY KEY (skill_id, related_id)
) WITHOUT ROWID;
