-- Drafted components the instructor deleted: the engines do not draft that type for that
-- slide again (the instructor said no to it). An instructor's own component of the type can
-- still be added by hand.
CREATE TABLE declined_drafts (
    slide_id       TEXT NOT NULL REFERENCES slides(id) ON DELETE CASCADE,
    component_type TEXT NOT NULL,
    declined_at    TEXT NOT NULL,
    PRIMARY KEY (slide_id, component_type)
);
