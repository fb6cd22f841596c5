-- The local library: courses, lessons, slides, components, their revisions, the sync outbox
-- and content-addressed assets. Ids are UUID v7 text; times are RFC 3339 UTC text.

CREATE TABLE assets (
    sha256      TEXT PRIMARY KEY NOT NULL CHECK (length(sha256) = 64),
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL CHECK (size >= 0),
    created_at  TEXT NOT NULL
);

CREATE TABLE courses (
    id          TEXT PRIMARY KEY NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    language    TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL CHECK (version >= 1)
);

CREATE TABLE lessons (
    id          TEXT PRIMARY KEY NOT NULL,
    course_id   TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    title       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL CHECK (version >= 1)
);
CREATE INDEX lessons_by_course ON lessons(course_id, position);

CREATE TABLE slides (
    id              TEXT PRIMARY KEY NOT NULL,
    lesson_id       TEXT NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    speaker_notes   TEXT NOT NULL,
    instructor_notes TEXT NOT NULL DEFAULT '',
    layout          TEXT NOT NULL,
    image_sha256    TEXT REFERENCES assets(sha256),
    narration_sha256 TEXT REFERENCES assets(sha256),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL CHECK (version >= 1)
);
CREATE INDEX slides_by_lesson ON slides(lesson_id, position);

CREATE TABLE components (
    id              TEXT PRIMARY KEY NOT NULL,
    slide_id        TEXT NOT NULL REFERENCES slides(id) ON DELETE CASCADE,
    component_type  TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'ready')),
    payload         TEXT NOT NULL CHECK (json_valid(payload)),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL CHECK (version >= 1)
);
CREATE INDEX components_by_slide ON components(slide_id, created_at);

-- One row per saved version of an entity: the full state as JSON. Never updated or deleted,
-- so every earlier version can be viewed and restored.
-- A course deleted and imported again brings its versions again: they sit beside the old ones.
CREATE TABLE revisions (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    entity_type TEXT NOT NULL CHECK (entity_type IN ('course', 'lesson', 'slide', 'component')),
    entity_id   TEXT NOT NULL,
    version     INTEGER NOT NULL,
    change      TEXT NOT NULL,
    data        TEXT NOT NULL CHECK (json_valid(data)),
    created_at  TEXT NOT NULL
);
CREATE INDEX revisions_by_entity ON revisions(entity_id, version, seq);

-- Mutations waiting to be pushed to the team server; deleted only after its acknowledgement.
CREATE TABLE outbox (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    mutation_id   TEXT NOT NULL UNIQUE,
    entity_type   TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    op            TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    base_version  INTEGER,
    data          TEXT NOT NULL CHECK (json_valid(data)),
    created_at    TEXT NOT NULL
);
