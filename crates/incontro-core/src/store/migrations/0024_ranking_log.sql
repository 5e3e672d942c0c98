-- 0024_ranking_log: on SQLite the ranking log lives in the audit file beside the database
-- (store/access.rs, RANKING_LOG_SCHEMA); this step exists so that both backends share one
-- migration history. On PostgreSQL it creates the table in the shared database.
SELECT 1;
