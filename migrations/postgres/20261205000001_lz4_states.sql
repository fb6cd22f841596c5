-- Entity states are compressed with lz4 rather than pglz where the server's PostgreSQL has
-- it (version 14 and later, built with lz4, as the usual packages are): a push of 1,000
-- components writes each payload twice (the component and its revision), and pglz spent
-- about a fifth of the database's time for it. Values already stored stay as they are;
-- PostgreSQL reads both. Elsewhere nothing changes.
DO $$
BEGIN
    EXECUTE 'ALTER TABLE learning_components ALTER COLUMN payload SET COMPRESSION lz4';
    EXECUTE 'ALTER TABLE revisions ALTER COLUMN state SET COMPRESSION lz4';
EXCEPTION
    WHEN feature_not_supported OR syntax_error OR invalid_parameter_value THEN
        RAISE NOTICE 'lz4 is not available; entity states stay compressed with pglz';
END
$$;
