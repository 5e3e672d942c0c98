-- PostgreSQL dialect of ../0012_cob_effects.sql (same history; see store/db.rs).
-- 0012_cob_effects: what a code does to a rapporto (issue 13), kept with the code tables as data:
-- `to_open_ended` for DI/AI/FI/II, `tirocinio` for C.01.00, `rettifica` for TipoComunicazione 03 …
-- NULL = the scheme's default. Notice kinds are now the Ministry TipoComunicazione (1–9) and
-- events gain 5 URG, 6 VAR, 7 TRD.
ALTER TABLE cob_code ADD COLUMN effect TEXT COLLATE "C";
