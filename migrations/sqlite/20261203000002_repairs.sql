-- Repairs of stored data that the store makes once, in Rust, when it next opens the library
-- (those SQL cannot make: SQLite's own replace() stops at a NUL character). One row each.
CREATE TABLE repairs (
    name    TEXT PRIMARY KEY,
    done_at TEXT NOT NULL
);
