-- Each payment on the ledger has an id of its own. The key was (job, attempt, engine, kind),
-- which kept only the first of the payments an attempt makes on one engine (a reference
-- recording of several items pays once an item); the same payment reported twice is still
-- recorded once, by its id.
ALTER TABLE spending ADD COLUMN id uuid;
UPDATE spending SET id = gen_random_uuid();
ALTER TABLE spending ALTER COLUMN id SET NOT NULL;
ALTER TABLE spending DROP CONSTRAINT spending_pkey;
ALTER TABLE spending ADD PRIMARY KEY (id);
CREATE INDEX spending_by_job ON spending(job_id);
