-- The course a job works for and who asked for it (the job tray shows them; a team's server
-- authorizes by the course).
ALTER TABLE jobs ADD COLUMN course_id TEXT;
ALTER TABLE jobs ADD COLUMN requested_by TEXT;
