-- PostgreSQL dialect of ../0005_access.sql (same history; see store/db.rs).
-- 0005_access: tables are added by the area that owns them.
SELECT 1;
