-- Companies, vacancies, job seekers (analytical record and personal data apart), courses,
-- comuni and the CP2011 → ISCO-08 crosswalk.
CREATE TABLE company (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    codice_fiscale   TEXT NOT NULL,
    partita_iva      TEXT,
    ateco            TEXT,
    offers_tirocini  INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE company_site (
    company_id  TEXT NOT NULL REFERENCES company(id) ON DELETE CASCADE,
    comune      TEXT NOT NULL,
    address     TEXT,
    PRIMARY KEY (company_id, comune)
);
CREATE TABLE vacancy (
    id                     TEXT PRIMARY KEY,
    company_id             TEXT NOT NULL REFERENCES company(id),
    title                  TEXT NOT NULL,
    description            TEXT NOT NULL,
    occupation_uri         TEXT,
    comune                 TEXT NOT NULL,
    placement              TEXT NOT NULL,      -- JSON of model::PlacementType
    positions              INTEGER NOT NULL,
    opens                  TEXT NOT NULL,
    closes                 TEXT,
    source                 TEXT NOT NULL,      -- JSON of model::VacancySource
    status                 TEXT NOT NULL,      -- JSON of model::VacancyStatus
    updated_revision       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX vacancy_company ON vacancy(company_id);
CREATE TABLE vacancy_requirement (
    vacancy_id  TEXT NOT NULL REFERENCES vacancy(id) ON DELETE CASCADE,
    skill_uri   TEXT NOT NULL,
    level       INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    essential   INTEGER NOT NULL,
    weight      REAL NOT NULL DEFAULT 1.0,
    PRIMARY KEY (vacancy_id, skill_uri)
);
-- Analytical record: no direct identifiers.
CREATE TABLE job_seeker (
    id                 TEXT PRIMARY KEY,
    birth_year         INTEGER NOT NULL,
    sex                TEXT NOT NULL CHECK (sex IN ('M', 'F')),
    comune             TEXT NOT NULL,
    education          TEXT NOT NULL,
    available_from     TEXT,
    accepts_tirocinio  INTEGER NOT NULL DEFAULT 1,
    disability         INTEGER NOT NULL DEFAULT 0
);
-- Personal data, read only by calls that need it (and audited by the service).
CREATE TABLE person_pii (
    job_seeker_id   TEXT PRIMARY KEY REFERENCES job_seeker(id) ON DELETE CASCADE,
    codice_fiscale  TEXT NOT NULL UNIQUE,
    first_name      TEXT NOT NULL,
    last_name       TEXT NOT NULL,
    mobile          TEXT,
    email           TEXT
);
CREATE TABLE competence (
    job_seeker_id  TEXT NOT NULL REFERENCES job_seeker(id) ON DELETE CASCADE,
    skill_uri      TEXT NOT NULL,
    level          INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    evidence       TEXT NOT NULL,
    since          TEXT,
    note           TEXT,
    PRIMARY KEY (job_seeker_id, skill_uri, evidence)
);
CREATE TABLE work_history (
    job_seeker_id  TEXT NOT NULL REFERENCES job_seeker(id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    scheme         TEXT NOT NULL,
    code           TEXT NOT NULL,
    start          TEXT NOT NULL,
    end            TEXT,
    employer       TEXT,
    PRIMARY KEY (job_seeker_id, position)
);
CREATE TABLE course (
    id             TEXT PRIMARY KEY,
    title          TEXT NOT NULL,
    provider       TEXT NOT NULL,
    hours          INTEGER NOT NULL,
    start          TEXT NOT NULL,
    end            TEXT NOT NULL,
    modality       TEXT NOT NULL,
    comune         TEXT,
    seats          INTEGER NOT NULL,
    cost_eur       INTEGER NOT NULL,
    certification  TEXT,
    gol_path       TEXT
);
CREATE TABLE course_skill (
    course_id  TEXT NOT NULL REFERENCES course(id) ON DELETE CASCADE,
    skill_uri  TEXT NOT NULL,
    level      INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    PRIMARY KEY (course_id, skill_uri)
);
CREATE TABLE comune (
    code      TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    province  TEXT NOT NULL,
    lat       REAL NOT NULL,
    lon       REAL NOT NULL
);
CREATE TABLE cp2011_isco (
    cp2011  TEXT NOT NULL,
    isco08  TEXT NOT NULL,
    PRIMARY KEY (cp2011, isco08)
);
-- Bumped by every write to vacancies, job seekers or courses: caches and indexes compare it.
CREATE TABLE data_revision (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    revision  INTEGER NOT NULL
);
INSERT INTO data_revision (id, revision) VALUES (1, 0);
