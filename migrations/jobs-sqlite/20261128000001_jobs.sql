-- The local job queue (jobs.sqlite in the library folder). Times are Unix milliseconds.

CREATE TABLE jobs (
    id                    TEXT PRIMARY KEY NOT NULL,
    seq                   INTEGER NOT NULL,
    kind                  TEXT NOT NULL,
    target                TEXT,
    input                 TEXT NOT NULL,
    engine                TEXT,
    priority              INTEGER NOT NULL,
    dedup_key             TEXT,
    state                 TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'retry_wait', 'dead', 'cancelled')),
    attempts              INTEGER NOT NULL,
    max_attempts          INTEGER NOT NULL,
    progress              INTEGER NOT NULL DEFAULT 0,
    progress_message      TEXT NOT NULL DEFAULT '',
    last_error            TEXT,
    result                TEXT,
    estimated_cost_micros INTEGER,
    actual_cost_micros    INTEGER,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    run_at                INTEGER,
    started_at            INTEGER,
    finished_at           INTEGER,
    lease_until           INTEGER,
    worker_id             TEXT,
    lease_token           TEXT
);
CREATE UNIQUE INDEX jobs_seq ON jobs (seq);
CREATE INDEX jobs_ready ON jobs (kind, priority DESC, seq) WHERE state = 'queued';
CREATE INDEX jobs_waiting ON jobs (run_at) WHERE state = 'retry_wait';
CREATE INDEX jobs_leases ON jobs (lease_until) WHERE state = 'running';
CREATE INDEX jobs_by_state ON jobs (state, seq);
CREATE INDEX jobs_by_target ON jobs (target, seq);
CREATE INDEX jobs_engine_starts ON jobs (engine, started_at);
-- One live job per dedup key; a dead or cancelled job frees its key.
CREATE UNIQUE INDEX jobs_dedup ON jobs (dedup_key)
    WHERE dedup_key IS NOT NULL AND state NOT IN ('dead', 'cancelled');

CREATE TABLE engine_limits (
    engine                TEXT PRIMARY KEY NOT NULL,
    max_concurrency       INTEGER,
    max_starts_per_second INTEGER
);
