-- What the inbox lists and filters on, kept on the thread row by the latest analysis and
-- background check so that the inbox is one indexed query. Kept in step with sqlite.
ALTER TABLE threads ADD COLUMN stage TEXT;
ALTER TABLE threads ADD COLUMN top_concern TEXT;
ALTER TABLE threads ADD COLUMN language TEXT;
ALTER TABLE threads ADD COLUMN country TEXT;
ALTER TABLE threads ADD COLUMN buyer_email TEXT;
ALTER TABLE threads ADD COLUMN company TEXT;
ALTER TABLE threads ADD COLUMN is_spam BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE threads ADD COLUMN fit_score BIGINT;
ALTER TABLE threads ADD COLUMN risk_score BIGINT;
ALTER TABLE threads ADD COLUMN lead_score DOUBLE PRECISION;
CREATE INDEX threads_owner_last ON threads(owner_user_id, last_at);
CREATE INDEX threads_stage_last ON threads(stage, last_at);
ALTER TABLE reports ADD COLUMN thread_id BIGINT REFERENCES threads(id) ON DELETE SET NULL;
CREATE INDEX reports_thread ON reports(thread_id);
CREATE INDEX deals_owner ON deals(owner_user_id);
CREATE INDEX api_tokens_user ON api_tokens(user_id);
