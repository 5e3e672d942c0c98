-- Issue 14: the person's own conditions, recorded at the first interview, and a vacancy's
-- weekly hours. Contract types are a JSON array of COB codes (empty: any).
ALTER TABLE job_seeker ADD COLUMN contract_types TEXT NOT NULL DEFAULT '[]';
ALTER TABLE job_seeker ADD COLUMN min_weekly_hours INTEGER;
ALTER TABLE job_seeker ADD COLUMN max_weekly_hours INTEGER;
ALTER TABLE job_seeker ADD COLUMN max_distance_km INTEGER;
ALTER TABLE vacancy ADD COLUMN weekly_hours INTEGER;
