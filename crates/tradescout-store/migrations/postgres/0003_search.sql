-- Inbox search looks for each word in a thread's subject, participants and company. A pg_trgm
-- index on that text lets LIKE '%word%' (three or more characters) skip the scan. pg_trgm is a
-- trusted extension, but a database user without CREATE rights cannot add it: search then
-- still works, by scanning. Kept in step with sqlite.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm is not available (%); inbox search will scan', SQLERRM;
END
$$;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        EXECUTE 'CREATE INDEX threads_search ON threads USING gin '
             || '((LOWER(subject || '' '' || participants || '' '' || COALESCE(company, ''''))) gin_trgm_ops)';
    END IF;
END
$$;
