-- Team mode: the team server this library syncs with, the courses linked to it (each with
-- its pull cursor), the server version each synced entity was last seen at, the conflicts
-- the server recorded, and outbox rows the server refused for good (kept, with the reason).

-- One team server per library. The token is not here: the desktop app keeps it in the OS
-- keyring; the command line reads it from the file the admin handed out (`token_file`).
CREATE TABLE remote (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    url         TEXT NOT NULL,
    token_file  TEXT,
    email       TEXT,
    set_at      TEXT NOT NULL
);

CREATE TABLE team_courses (
    course_id   TEXT PRIMARY KEY NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'owner')),
    cursor      INTEGER NOT NULL DEFAULT 0 CHECK (cursor >= 0),
    linked_at   TEXT NOT NULL,
    last_sync   TEXT,
    last_error  TEXT
);

CREATE TABLE server_versions (
    entity_id   TEXT PRIMARY KEY NOT NULL,
    version     INTEGER NOT NULL CHECK (version >= 1)
);

CREATE TABLE conflicts (
    id            TEXT PRIMARY KEY NOT NULL,
    course_id     TEXT NOT NULL,
    entity_type   TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    record        TEXT NOT NULL CHECK (json_valid(record)),
    resolved_at   TEXT,
    seq           INTEGER NOT NULL
);
CREATE INDEX conflicts_open ON conflicts(course_id, entity_id) WHERE resolved_at IS NULL;

-- Which course an outbox row belongs to (NULL for rows written before team mode whose
-- entity is gone), and the conflicts an edit settles (a JSON array of ids).
ALTER TABLE outbox ADD COLUMN course_id TEXT;
ALTER TABLE outbox ADD COLUMN resolves TEXT NOT NULL DEFAULT '[]';
UPDATE outbox SET course_id = CASE entity_type
    WHEN 'course' THEN entity_id
    WHEN 'lesson' THEN (SELECT course_id FROM lessons WHERE id = outbox.entity_id)
    WHEN 'slide' THEN (SELECT l.course_id FROM slides s JOIN lessons l ON l.id = s.lesson_id
                       WHERE s.id = outbox.entity_id)
    WHEN 'component' THEN (SELECT l.course_id FROM components c
                           JOIN slides s ON s.id = c.slide_id
                           JOIN lessons l ON l.id = s.lesson_id WHERE c.id = outbox.entity_id)
END;
CREATE INDEX outbox_by_course ON outbox(course_id, seq);

CREATE TABLE outbox_set_aside (
    seq           INTEGER PRIMARY KEY,
    course_id     TEXT,
    mutation_id   TEXT NOT NULL,
    entity_type   TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    op            TEXT NOT NULL,
    base_version  INTEGER,
    data          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    reason        TEXT NOT NULL,
    set_aside_at  TEXT NOT NULL
);
