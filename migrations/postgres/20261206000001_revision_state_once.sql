-- Each state is written once. A revision's `state` is NULL when it was stored as its
-- entity's current version: that state is the entity's row (courses, lessons, slides,
-- learning_components). When a later version supersedes it, the push that stores the later
-- one writes the superseded state into `revision_states`, under the revision's course and
-- change-log position, in the same transaction; so every accepted version stays readable
-- (the server's `entities::revision` reads the three places). Sharing a course of 10,000
-- components wrote every payload twice before, and writing the superseded states into the
-- revisions' own rows (an UPDATE) cost a push of 1,000 edits about 75 ms where this INSERT
-- costs about 20. Rows already stored keep their states.
ALTER TABLE revisions ALTER COLUMN state DROP NOT NULL;
COMMENT ON COLUMN revisions.state IS
    'The state of this version when it was stored with it; otherwise in revision_states once superseded, or the entity''s row while current.';

CREATE TABLE revision_states (
    course_id uuid NOT NULL,
    seq       bigint NOT NULL,
    state     jsonb NOT NULL,
    PRIMARY KEY (course_id, seq),
    FOREIGN KEY (course_id, seq) REFERENCES revisions(course_id, seq) ON DELETE CASCADE
);
COMMENT ON TABLE revision_states IS
    'The state of a revision stored without one (revisions.state NULL), once a later version superseded it.';

DO $$
BEGIN
    EXECUTE 'ALTER TABLE revision_states ALTER COLUMN state SET COMPRESSION lz4';
EXCEPTION
    WHEN feature_not_supported OR syntax_error OR invalid_parameter_value THEN
        RAISE NOTICE 'lz4 is not available; superseded states stay compressed with pglz';
END
$$;
