-- The team server: people and their tokens, courses with their members, the course tree
-- (lessons, slides, learning components), every accepted version (revisions, numbered per
-- course: the change log), the pushes already applied, conflicts, and assets by sha256.
-- Entities are never removed by sync: a delete is a tombstone (deleted = true) that pulls
-- carry to every member.

CREATE TABLE users (
    id          uuid PRIMARY KEY,
    email       text NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 320),
    name        text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Only a hash of each token is kept (sha256 of 256 random bits); the token is shown once.
CREATE TABLE api_tokens (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash  bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    label       text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
CREATE INDEX api_tokens_by_user ON api_tokens(user_id);

-- `last_seq` is the course's change-log position. Every accepted change takes the next
-- number while holding this row's lock, so numbers become visible in order and a pull by
-- cursor never skips one.
CREATE TABLE courses (
    id          uuid PRIMARY KEY,
    title       text NOT NULL,
    description text NOT NULL DEFAULT '',
    language    text,
    version     bigint NOT NULL CHECK (version >= 1),
    deleted     boolean NOT NULL DEFAULT false,
    change_seq  bigint NOT NULL,
    last_seq    bigint NOT NULL DEFAULT 0,
    created_by  uuid REFERENCES users(id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    updated_by  uuid REFERENCES users(id) ON DELETE SET NULL
);

CREATE TABLE course_members (
    course_id   uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role        text NOT NULL CHECK (role IN ('viewer', 'editor', 'owner')),
    added_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (course_id, user_id)
);
CREATE INDEX course_members_by_user ON course_members(user_id);

-- Order keys compare byte by byte (COLLATE "C"); ties are broken by id.
CREATE TABLE lessons (
    id          uuid PRIMARY KEY,
    course_id   uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    order_key   text COLLATE "C" NOT NULL,
    title       text NOT NULL,
    version     bigint NOT NULL CHECK (version >= 1),
    deleted     boolean NOT NULL DEFAULT false,
    change_seq  bigint NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    updated_by  uuid REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX lessons_by_change ON lessons(course_id, change_seq);

CREATE TABLE slides (
    id               uuid PRIMARY KEY,
    course_id        uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    lesson_id        uuid NOT NULL REFERENCES lessons(id),
    order_key        text COLLATE "C" NOT NULL,
    title            text NOT NULL,
    body             text NOT NULL,
    speaker_notes    text NOT NULL,
    instructor_notes text NOT NULL DEFAULT '',
    layout           text NOT NULL,
    image_sha256     text,
    narration_sha256 text,
    version          bigint NOT NULL CHECK (version >= 1),
    deleted          boolean NOT NULL DEFAULT false,
    change_seq       bigint NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    updated_by       uuid REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX slides_by_change ON slides(course_id, change_seq);
CREATE INDEX slides_by_lesson ON slides(lesson_id, order_key, id) WHERE NOT deleted;

CREATE TABLE learning_components (
    id              uuid PRIMARY KEY,
    course_id       uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    slide_id        uuid NOT NULL REFERENCES slides(id),
    component_type  varchar(50) NOT NULL,
    payload         jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
    schema_version  integer NOT NULL CHECK (schema_version >= 1),
    status          text NOT NULL CHECK (status IN ('draft', 'ready')),
    version         bigint NOT NULL CHECK (version >= 1),
    deleted         boolean NOT NULL DEFAULT false,
    change_seq      bigint NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    updated_by      uuid REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX learning_components_by_change ON learning_components(course_id, change_seq);
CREATE INDEX learning_components_by_slide ON learning_components(slide_id) WHERE NOT deleted;

-- Every accepted version of every entity, numbered in the course's change log (`seq`).
CREATE TABLE revisions (
    course_id   uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    seq         bigint NOT NULL,
    entity_kind text NOT NULL CHECK (entity_kind IN ('course', 'lesson', 'slide', 'component')),
    entity_id   uuid NOT NULL,
    version     bigint NOT NULL,
    deleted     boolean NOT NULL,
    state       jsonb NOT NULL,
    mutation_id uuid,
    author      uuid REFERENCES users(id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (course_id, seq)
);
CREATE INDEX revisions_by_entity ON revisions(entity_id, version);
CREATE INDEX revisions_by_mutation ON revisions(mutation_id) WHERE mutation_id IS NOT NULL;

-- Pushed mutations already applied: a push repeated after a lost reply is applied once.
CREATE TABLE applied_mutations (
    mutation_id uuid PRIMARY KEY,
    course_id   uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    user_id     uuid REFERENCES users(id) ON DELETE SET NULL,
    entity_kind text NOT NULL,
    entity_id   uuid NOT NULL,
    outcome     text NOT NULL,
    applied_at  timestamptz NOT NULL
);

-- Two values for one field: `theirs` stayed current, `mine` was kept here. `path` is the
-- field by keys and item ids; `pointer` the JSON pointer when it was recorded.
CREATE TABLE conflicts (
    id           uuid PRIMARY KEY,
    course_id    uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    entity_kind  text NOT NULL,
    entity_id    uuid NOT NULL,
    path         jsonb NOT NULL,
    pointer      text NOT NULL,
    base         jsonb,
    mine         jsonb,
    theirs       jsonb,
    mine_author  uuid REFERENCES users(id) ON DELETE SET NULL,
    mine_at      timestamptz NOT NULL,
    theirs_author uuid REFERENCES users(id) ON DELETE SET NULL,
    mutation_id  uuid NOT NULL,
    created_at   timestamptz NOT NULL,
    resolved_at  timestamptz,
    resolved_by  uuid REFERENCES users(id) ON DELETE SET NULL,
    change_seq   bigint NOT NULL
);
CREATE INDEX conflicts_by_change ON conflicts(course_id, change_seq);
CREATE INDEX conflicts_open ON conflicts(course_id, entity_id) WHERE resolved_at IS NULL;

-- Assets by the sha256 of their bytes. `bytes` is set when the admin keeps assets in the
-- database; otherwise they are files named by hash under the server's data folder.
CREATE TABLE assets (
    sha256      text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    media_type  text NOT NULL,
    size        bigint NOT NULL CHECK (size >= 0),
    bytes       bytea,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Which courses an asset was uploaded to: members read only their courses' assets.
CREATE TABLE course_assets (
    course_id   uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    sha256      text NOT NULL REFERENCES assets(sha256),
    PRIMARY KEY (course_id, sha256)
);
