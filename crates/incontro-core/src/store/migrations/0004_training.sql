-- 0004_training: tables are added by the area that owns them.
SELECT 1;
