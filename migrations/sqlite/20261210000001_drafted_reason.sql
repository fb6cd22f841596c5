-- Why an engine drafted nothing of a type for a slide (as the engine said it), so the app
-- can show it; NULL for a drafted component and for records made before it was kept.
ALTER TABLE drafted ADD COLUMN reason TEXT;
