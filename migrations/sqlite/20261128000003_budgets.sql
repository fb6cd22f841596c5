-- Money spent on paid engines, one row per job that cost something (a job delivered twice is
-- counted once), and monthly budgets for the library and per course. Amounts are in
-- micro-dollars. Spending stays when a course is deleted: the money was spent.
CREATE TABLE spending (
    job_id      TEXT PRIMARY KEY NOT NULL,
    course_id   TEXT NOT NULL,
    engine      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    micros      INTEGER NOT NULL CHECK (micros >= 0),
    month       TEXT NOT NULL CHECK (length(month) = 7),
    created_at  TEXT NOT NULL
);
CREATE INDEX spending_by_month ON spending(month, course_id);

CREATE TABLE budgets (
    -- 'library', or the id of a course.
    scope          TEXT PRIMARY KEY NOT NULL,
    monthly_micros INTEGER NOT NULL CHECK (monthly_micros >= 0),
    updated_at     TEXT NOT NULL
);
