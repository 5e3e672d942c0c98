-- PostgreSQL dialect of ../0013_conditions.sql (same history; see store/db.rs).
-- Issue 14: the person's own conditions, recorded at the first interview, and a vacancy's
-- weekly hours. Contract types are a JSON array of COB codes (empty: any).
ALTER TABLE job_seeker ADD COLUMN contract_types TEXT COLLATE "C" NOT NULL DEFAULT '[]';
ALTER TABLE job_seeker ADD COLUMN min_weekly_hours BIGINT;
ALTER TABLE job_seeker ADD COLUMN max_weekly_hours BIGINT;
ALTER TABLE job_seeker ADD COLUMN max_distance_km BIGINT;
ALTER TABLE vacancy ADD COLUMN weekly_hours BIGINT;
