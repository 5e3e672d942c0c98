-- 0005_access: tables are added by the area that owns them.
SELECT 1;
