-- Every analysed inquiry that is not spam is a deal on the pipeline (`thread-{id}`, source
-- `inquiry`). Threads analysed before this version get theirs here, with what the thread row
-- holds (company, country, stage, owner); later analyses add the product and value.
INSERT INTO deals (external_id, thread_id, company, country, source, owner_user_id, created, stage, outcome)
SELECT 'thread-' || t.id, t.id, t.company, t.country, 'inquiry', t.owner_user_id,
       SUBSTR(COALESCE(t.first_at, t.created_at), 1, 10), t.stage, 'open'
FROM threads t
WHERE t.stage IS NOT NULL AND t.is_spam = 0
  AND NOT EXISTS (SELECT 1 FROM deals d WHERE d.external_id = 'thread-' || t.id);

INSERT INTO deal_stage_history (deal_id, stage, changed_at, changed_by)
SELECT d.id, d.stage, d.created, '(analysis)' FROM deals d
WHERE d.source = 'inquiry' AND d.thread_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM deal_stage_history h WHERE h.deal_id = d.id);
