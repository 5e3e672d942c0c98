-- 0002_entities: tables are added by the area that owns them.
SELECT 1;
