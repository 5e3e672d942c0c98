-- PostgreSQL dialect of ../0002_entities.sql (same history; see store/db.rs).
-- Companies, vacancies, job seekers (analytical record and personal data apart), courses,
-- comuni and the CP2011 → ISCO-08 crosswalk.
CREATE TABLE company (
    id               TEXT COLLATE "C" PRIMARY KEY,
    name             TEXT COLLATE "C" NOT NULL,
    codice_fiscale   TEXT COLLATE "C" NOT NULL,
    partita_iva      TEXT COLLATE "C",
    ateco            TEXT COLLATE "C",
    offers_tirocini  BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE company_site (
    company_id  TEXT COLLATE "C" NOT NULL REFERENCES company(id) ON DELETE CASCADE,
    comune      TEXT COLLATE "C" NOT NULL,
    address     TEXT COLLATE "C",
    PRIMARY KEY (company_id, comune)
);
CREATE TABLE vacancy (
    id                     TEXT COLLATE "C" PRIMARY KEY,
    company_id             TEXT COLLATE "C" NOT NULL REFERENCES company(id),
    title                  TEXT COLLATE "C" NOT NULL,
    description            TEXT COLLATE "C" NOT NULL,
    occupation_uri         TEXT COLLATE "C",
    comune                 TEXT COLLATE "C" NOT NULL,
    placement              TEXT COLLATE "C" NOT NULL,      -- JSON of model::PlacementType
    positions              BIGINT NOT NULL,
    opens                  TEXT COLLATE "C" NOT NULL,
    closes                 TEXT COLLATE "C",
    source                 TEXT COLLATE "C" NOT NULL,      -- JSON of model::VacancySource
    status                 TEXT COLLATE "C" NOT NULL,      -- JSON of model::VacancyStatus
    updated_revision       BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX vacancy_company ON vacancy(company_id);
CREATE TABLE vacancy_requirement (
    vacancy_id  TEXT COLLATE "C" NOT NULL REFERENCES vacancy(id) ON DELETE CASCADE,
    skill_uri   TEXT COLLATE "C" NOT NULL,
    level       BIGINT NOT NULL CHECK (level BETWEEN 1 AND 4),
    essential   BIGINT NOT NULL,
    weight      DOUBLE PRECISION NOT NULL DEFAULT 1.0,
    PRIMARY KEY (vacancy_id, skill_uri)
);
-- Analytical record: no direct identifiers.
CREATE TABLE job_seeker (
    id                 TEXT COLLATE "C" PRIMARY KEY,
    birth_year         BIGINT NOT NULL,
    sex                TEXT COLLATE "C" NOT NULL CHECK (sex IN ('M', 'F')),
    comune             TEXT COLLATE "C" NOT NULL,
    education          TEXT COLLATE "C" NOT NULL,
    available_from     TEXT COLLATE "C",
    accepts_tirocinio  BIGINT NOT NULL DEFAULT 1,
    disability         BIGINT NOT NULL DEFAULT 0
);
-- Personal data, read only by calls that need it (and audited by the service).
CREATE TABLE person_pii (
    job_seeker_id   TEXT COLLATE "C" PRIMARY KEY REFERENCES job_seeker(id) ON DELETE CASCADE,
    codice_fiscale  TEXT COLLATE "C" NOT NULL UNIQUE,
    first_name      TEXT COLLATE "C" NOT NULL,
    last_name       TEXT COLLATE "C" NOT NULL,
    mobile          TEXT COLLATE "C",
    email           TEXT COLLATE "C"
);
CREATE TABLE competence (
    job_seeker_id  TEXT COLLATE "C" NOT NULL REFERENCES job_seeker(id) ON DELETE CASCADE,
    skill_uri      TEXT COLLATE "C" NOT NULL,
    level          BIGINT NOT NULL CHECK (level BETWEEN 1 AND 4),
    evidence       TEXT COLLATE "C" NOT NULL,
    since          TEXT COLLATE "C",
    note           TEXT COLLATE "C",
    PRIMARY KEY (job_seeker_id, skill_uri, evidence)
);
CREATE TABLE work_history (
    job_seeker_id  TEXT COLLATE "C" NOT NULL REFERENCES job_seeker(id) ON DELETE CASCADE,
    position       BIGINT NOT NULL,
    scheme         TEXT COLLATE "C" NOT NULL,
    code           TEXT COLLATE "C" NOT NULL,
    start          TEXT COLLATE "C" NOT NULL,
    "end"          TEXT COLLATE "C",
    employer       TEXT COLLATE "C",
    PRIMARY KEY (job_seeker_id, position)
);
CREATE TABLE course (
    id             TEXT COLLATE "C" PRIMARY KEY,
    title          TEXT COLLATE "C" NOT NULL,
    provider       TEXT COLLATE "C" NOT NULL,
    hours          BIGINT NOT NULL,
    start          TEXT COLLATE "C" NOT NULL,
    "end"          TEXT COLLATE "C" NOT NULL,
    modality       TEXT COLLATE "C" NOT NULL,
    comune         TEXT COLLATE "C",
    seats          BIGINT NOT NULL,
    cost_eur       BIGINT NOT NULL,
    certification  TEXT COLLATE "C",
    gol_path       TEXT COLLATE "C"
);
CREATE TABLE course_skill (
    course_id  TEXT COLLATE "C" NOT NULL REFERENCES course(id) ON DELETE CASCADE,
    skill_uri  TEXT COLLATE "C" NOT NULL,
    level      BIGINT NOT NULL CHECK (level BETWEEN 1 AND 4),
    PRIMARY KEY (course_id, skill_uri)
);
CREATE TABLE comune (
    code      TEXT COLLATE "C" PRIMARY KEY,
    name      TEXT COLLATE "C" NOT NULL,
    province  TEXT COLLATE "C" NOT NULL,
    lat       DOUBLE PRECISION NOT NULL,
    lon       DOUBLE PRECISION NOT NULL
);
CREATE TABLE cp2011_isco (
    cp2011  TEXT COLLATE "C" NOT NULL,
    isco08  TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (cp2011, isco08)
);
-- Bumped by every write to vacancies, job seekers or courses: caches and indexes compare it.
CREATE TABLE data_revision (
    id        BIGINT PRIMARY KEY CHECK (id = 1),
    revision  BIGINT NOT NULL
);
INSERT INTO data_revision (id, revision) VALUES (1, 0);
