-- Sync asks, for each entity it applies from the server, whether an edit of it still waits
-- in the outbox: an index, so that a pull of 10,000 changes does not scan the outbox 10,000
-- times.
CREATE INDEX outbox_by_entity ON outbox(entity_id);
