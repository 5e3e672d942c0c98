-- 0003_outreach: tables are added by the area that owns them.
SELECT 1;
