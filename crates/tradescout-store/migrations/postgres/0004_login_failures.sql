-- Failed sign-ins, kept in the database so that every server on it counts the same tries:
-- a guesser gets the same few whichever server answers. `at` is in Unix seconds; rows older
-- than the window are deleted as new failures arrive.
CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);
