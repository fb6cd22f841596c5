-- What the generation engines made for a slide: its narration, its rendered pages. One row
-- per (slide, kind, page); a new take replaces all rows of that slide and kind at once.
CREATE TABLE generated (
    target_id    TEXT NOT NULL REFERENCES slides(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('narration', 'slide_render')),
    page         INTEGER NOT NULL CHECK (page >= 0),
    asset_sha256 TEXT NOT NULL REFERENCES assets(sha256),
    media_type   TEXT NOT NULL,
    thumbnail_sha256 TEXT REFERENCES assets(sha256),
    duration_ms  INTEGER,
    -- The cache key of the input it was made from: unchanged input, nothing to redo.
    input_key    TEXT NOT NULL,
    engine       TEXT NOT NULL,
    cost_micros  INTEGER NOT NULL DEFAULT 0,
    job_id       TEXT,
    details      TEXT NOT NULL DEFAULT '{}',
    created_at   TEXT NOT NULL,
    PRIMARY KEY (target_id, kind, page)
);
