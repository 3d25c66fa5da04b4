-- Inbox search looks for each word in a thread's subject, participants and company. A trigram
-- index finds a word of three or more characters (any script, case-insensitive) without
-- reading every thread; shorter words still scan. Kept in step with postgres.
CREATE VIRTUAL TABLE thread_search USING fts5(body, tokenize = 'trigram');
INSERT INTO thread_search(rowid, body)
    SELECT id, subject || ' ' || participants || ' ' || COALESCE(company, '') FROM threads;
CREATE TRIGGER thread_search_insert AFTER INSERT ON threads BEGIN
    INSERT INTO thread_search(rowid, body)
        VALUES (new.id, new.subject || ' ' || new.participants || ' ' || COALESCE(new.company, ''));
END;
-- Only when the searched text really changes: every saved analysis sets `company` again.
CREATE TRIGGER thread_search_update AFTER UPDATE OF subject, participants, company ON threads
WHEN old.subject IS NOT new.subject OR old.participants IS NOT new.participants
    OR old.company IS NOT new.company
BEGIN
    DELETE FROM thread_search WHERE rowid = old.id;
    INSERT INTO thread_search(rowid, body)
        VALUES (new.id, new.subject || ' ' || new.participants || ' ' || COALESCE(new.company, ''));
END;
CREATE TRIGGER thread_search_delete AFTER DELETE ON threads BEGIN
    DELETE FROM thread_search WHERE rowid = old.id;
END;
