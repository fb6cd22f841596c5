-- Components an engine drafted for a slide, one per (slide, type): a new draft updates the
-- same component, unless the instructor has changed it since (then it is theirs).
CREATE TABLE drafted (
    slide_id       TEXT NOT NULL REFERENCES slides(id) ON DELETE CASCADE,
    component_type TEXT NOT NULL,
    component_id   TEXT NOT NULL REFERENCES components(id) ON DELETE CASCADE,
    -- The component's version as the engine left it.
    version        INTEGER NOT NULL,
    input_key      TEXT NOT NULL,
    engine         TEXT NOT NULL,
    job_id         TEXT,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (slide_id, component_type)
);
