-- Corrections a person made to a thread's judgement on the brief: the stage, the concerns
-- (a comma-separated list of concern labels) or spam (`spam` / `not_spam`), with who and
-- when. The newest correction of a field wins; `train --from-store` learns from them.
CREATE TABLE corrections (
    id         INTEGER PRIMARY KEY,
    thread_id  INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    field      TEXT NOT NULL CHECK (field IN ('stage', 'concerns', 'spam')),
    value      TEXT NOT NULL,
    user_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX corrections_thread ON corrections (thread_id);
