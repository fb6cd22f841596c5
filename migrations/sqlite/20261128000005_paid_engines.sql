-- Paid engines: spending per attempt, and illustrations among generated outputs.

-- A job can cost money on more than one run (a language model's answers that failed
-- validation are paid for too, a retried job pays again, a dead job can be retried by hand),
-- so spending is one row per paid run of a handler rather than one per job.
CREATE TABLE spending_by_run (
    id          TEXT PRIMARY KEY NOT NULL,
    job_id      TEXT NOT NULL,
    attempt     INTEGER NOT NULL CHECK (attempt >= 0),
    course_id   TEXT NOT NULL,
    engine      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    micros      INTEGER NOT NULL CHECK (micros >= 0),
    month       TEXT NOT NULL CHECK (length(month) = 7),
    created_at  TEXT NOT NULL
);
INSERT INTO spending_by_run (id, job_id, attempt, course_id, engine, kind, micros, month, created_at)
    SELECT job_id, job_id, 1, course_id, engine, kind, micros, month, created_at FROM spending;
DROP TABLE spending;
ALTER TABLE spending_by_run RENAME TO spending;
CREATE INDEX spending_by_job ON spending(job_id);
CREATE INDEX spending_by_month ON spending(month, course_id);

-- Illustrations are generated outputs of a slide too.
CREATE TABLE generated_with_illustrations (
    target_id    TEXT NOT NULL REFERENCES slides(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('narration', 'slide_render', 'illustration')),
    page         INTEGER NOT NULL CHECK (page >= 0),
    asset_sha256 TEXT NOT NULL REFERENCES assets(sha256),
    media_type   TEXT NOT NULL,
    thumbnail_sha256 TEXT REFERENCES assets(sha256),
    duration_ms  INTEGER,
    input_key    TEXT NOT NULL,
    engine       TEXT NOT NULL,
    cost_micros  INTEGER NOT NULL DEFAULT 0,
    job_id       TEXT,
    details      TEXT NOT NULL DEFAULT '{}',
    created_at   TEXT NOT NULL,
    PRIMARY KEY (target_id, kind, page)
);
INSERT INTO generated_with_illustrations SELECT * FROM generated;
DROP TABLE generated;
ALTER TABLE generated_with_illustrations RENAME TO generated;
