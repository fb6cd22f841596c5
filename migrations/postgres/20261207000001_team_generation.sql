-- Team generation: worker accounts, what the engines made for a course's slides, what they
-- drafted, what they spent, and the budgets that spending is held to.

-- A worker's account: it authors what its jobs write (revisions name it), and its tokens act
-- only on the worker API, never as a person.
ALTER TABLE users ADD COLUMN is_worker boolean NOT NULL DEFAULT false;

-- One generated output (a page of a slide render, a slide's narration), per target, kind and
-- page; a new take replaces the old. `change_seq` places it in the course's change log, so
-- members pull it.
CREATE TABLE generated (
    course_id        uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    target_id        uuid NOT NULL,
    kind             text NOT NULL CHECK (length(kind) BETWEEN 1 AND 64),
    page             integer NOT NULL CHECK (page >= 0),
    asset_sha256     text NOT NULL REFERENCES assets(sha256),
    media_type       text NOT NULL,
    thumbnail_sha256 text REFERENCES assets(sha256),
    duration_ms      bigint CHECK (duration_ms >= 0),
    input_key        text NOT NULL,
    engine           text NOT NULL,
    cost_micros      bigint NOT NULL DEFAULT 0 CHECK (cost_micros >= 0),
    job_id           uuid,
    details          jsonb NOT NULL DEFAULT '{}'::jsonb,
    change_seq       bigint NOT NULL,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (target_id, kind, page)
);
CREATE INDEX generated_by_course ON generated(course_id, change_seq);

-- What an engine drafted of one type for a slide (a component, or nothing), from which input.
-- A drafted component whose version moved on, or that is marked ready, is the instructor's.
CREATE TABLE drafted (
    slide_id       uuid NOT NULL,
    component_type varchar(50) NOT NULL,
    course_id      uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    component_id   uuid,
    version        bigint NOT NULL,
    input_key      text NOT NULL,
    engine         text NOT NULL,
    job_id         uuid,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (slide_id, component_type)
);
CREATE INDEX drafted_by_course ON drafted(course_id);

-- The ledger: what each run of a job's handler spent on an engine. A job that runs again and
-- pays again is recorded again; the same run reported twice is recorded once.
CREATE TABLE spending (
    job_id     uuid NOT NULL,
    attempt    integer NOT NULL CHECK (attempt >= 0),
    engine     text NOT NULL,
    course_id  uuid REFERENCES courses(id) ON DELETE SET NULL,
    kind       text NOT NULL,
    micros     bigint NOT NULL CHECK (micros >= 0),
    worker_id  uuid REFERENCES users(id) ON DELETE SET NULL,
    spent_at   timestamptz NOT NULL,
    PRIMARY KEY (job_id, attempt, engine, kind)
);
CREATE INDEX spending_by_time ON spending(spent_at);
CREATE INDEX spending_by_course ON spending(course_id, spent_at);

-- Monthly budgets in millionths of a US dollar: the team's (no course) and each course's.
CREATE TABLE budgets (
    course_id    uuid REFERENCES courses(id) ON DELETE CASCADE,
    limit_micros bigint NOT NULL CHECK (limit_micros >= 0),
    updated_at   timestamptz NOT NULL
);
CREATE UNIQUE INDEX budgets_per_course ON budgets(course_id) WHERE course_id IS NOT NULL;
CREATE UNIQUE INDEX budgets_team ON budgets((true)) WHERE course_id IS NULL;
