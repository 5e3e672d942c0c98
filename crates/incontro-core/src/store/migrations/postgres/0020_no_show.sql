-- PostgreSQL dialect of ../0020_no_show.sql (same history; see store/db.rs).
-- 0020_no_show: staff mark a booking whose resident did not come (issue 15, point 12).
ALTER TABLE appointment_booking ADD COLUMN no_show_at TEXT COLLATE "C";
