-- Each state is written once. A revision's `state` is NULL while it is its entity's current
-- version: that state is the entity's row (courses, lessons, slides, learning_components).
-- When a later version is stored, the push that stores it writes the superseded state into
-- that revision in the same transaction, so every accepted version stays readable (the
-- server's `entities::revision` reads either). Sharing a course of 10,000 components wrote
-- every payload twice before; rows already stored keep their states.
ALTER TABLE revisions ALTER COLUMN state DROP NOT NULL;
COMMENT ON COLUMN revisions.state IS
    'The state of this version; NULL while it is the entity''s current version (read it from the entity''s table).';
