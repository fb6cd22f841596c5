-- The team's queue this app's bundled workers also serve, when the team's admin turned it on
-- (off by default; the worker token the admin gave is kept in the OS keyring, not here).
CREATE TABLE team_worker (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    redis_url   TEXT NOT NULL,
    concurrency INTEGER NOT NULL CHECK (concurrency BETWEEN 1 AND 64),
    set_at      TEXT NOT NULL
);
