-- PostgreSQL dialect of ../0003_outreach.sql (same history; see store/db.rs).
-- 0003_outreach: tables are added by the area that owns them.
SELECT 1;
