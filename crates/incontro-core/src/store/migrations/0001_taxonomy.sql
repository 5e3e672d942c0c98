-- ESCO taxonomy. Owned by the taxonomy importer.
CREATE TABLE taxonomy_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
