-- Whether the team server has a take of what was made for a slide (rendered pages,
-- narration): takes pulled from it have; takes made here wait to be sent with the course's
-- next sync (a course that is not shared never sends them).
ALTER TABLE generated ADD COLUMN pushed INTEGER NOT NULL DEFAULT 0;
