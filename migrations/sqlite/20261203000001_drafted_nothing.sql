-- A drafting that produced nothing (the slide's text does not support the type) is recorded
-- too, with no component: the planner then knows the slide's type is up to date for that
-- input, and a course bundle carries the record to another library.
CREATE TABLE drafted_new (
    slide_id       TEXT NOT NULL REFERENCES slides(id) ON DELETE CASCADE,
    component_type TEXT NOT NULL,
    component_id   TEXT REFERENCES components(id) ON DELETE CASCADE,
    version        INTEGER NOT NULL,
    input_key      TEXT NOT NULL,
    engine         TEXT NOT NULL,
    job_id         TEXT,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (slide_id, component_type)
);
INSERT INTO drafted_new (slide_id, component_type, component_id, version, input_key, engine,
                         job_id, created_at)
    SELECT slide_id, component_type, component_id, version, input_key, engine, job_id, created_at
    FROM drafted;
DROP TABLE drafted;
ALTER TABLE drafted_new RENAME TO drafted;
CREATE INDEX drafted_component ON drafted (component_id);
