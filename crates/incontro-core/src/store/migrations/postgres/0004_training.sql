-- PostgreSQL dialect of ../0004_training.sql (same history; see store/db.rs).
-- 0004_training: tables are added by the area that owns them.
SELECT 1;
