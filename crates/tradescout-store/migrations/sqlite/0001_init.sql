-- tradescout schema, SQLite. Timestamps are UTC RFC 3339 text; dates are YYYY-MM-DD.
-- Kept in step with migrations/postgres/0001_init.sql.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'rep')),
    password_hash TEXT NOT NULL,
    lang          TEXT,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE,
    label        TEXT,
    created_at   TEXT NOT NULL,
    last_used_at TEXT
);

CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    data       TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_expires ON sessions(expires_at);

CREATE TABLE companies (
    id            INTEGER PRIMARY KEY,
    name          TEXT,
    domain        TEXT UNIQUE,
    website       TEXT,
    country       TEXT,
    address       TEXT,
    business_type TEXT,
    founded       INTEGER,
    size_hint     TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE buyers (
    id            INTEGER PRIMARY KEY,
    email         TEXT UNIQUE,
    name          TEXT,
    title         TEXT,
    phone         TEXT,
    country       TEXT,
    company_id    INTEGER REFERENCES companies(id) ON DELETE SET NULL,
    owner_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE threads (
    id                 INTEGER PRIMARY KEY,
    subject            TEXT NOT NULL,
    normalized_subject TEXT NOT NULL,
    participants       TEXT NOT NULL DEFAULT '',
    buyer_id           INTEGER REFERENCES buyers(id) ON DELETE SET NULL,
    owner_user_id      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    -- Content hash of the message that started the thread (lets an import batch create its
    -- threads with one statement and find their ids with another).
    origin_hash        TEXT,
    message_count      INTEGER NOT NULL DEFAULT 0,
    first_at           TEXT,
    last_at            TEXT,
    created_at         TEXT NOT NULL
);
CREATE INDEX threads_owner ON threads(owner_user_id);
CREATE INDEX threads_last ON threads(last_at);
CREATE INDEX threads_origin ON threads(origin_hash);

CREATE TABLE messages (
    id                 INTEGER PRIMARY KEY,
    thread_id          INTEGER NOT NULL REFERENCES threads(id),
    content_hash       TEXT NOT NULL UNIQUE,
    message_id         TEXT,
    in_reply_to        TEXT,
    subject            TEXT NOT NULL,
    normalized_subject TEXT NOT NULL,
    from_name          TEXT,
    from_email         TEXT,
    participants       TEXT NOT NULL,
    to_json            TEXT NOT NULL,
    cc_json            TEXT NOT NULL,
    sent_at            TEXT,
    body_text          TEXT NOT NULL,
    from_html          INTEGER NOT NULL,
    attachments_json   TEXT NOT NULL,
    size               INTEGER NOT NULL,
    source             TEXT NOT NULL,
    source_position    INTEGER NOT NULL,
    imported_at        TEXT NOT NULL
);
CREATE INDEX messages_message_id ON messages(message_id);
CREATE INDEX messages_thread ON messages(thread_id);
CREATE INDEX messages_subject ON messages(normalized_subject);

-- The bytes of each message exactly as received, kept apart from the parsed row so that
-- thread and list queries stay on small pages.
CREATE TABLE message_raw (
    message_pk INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    raw        BLOB NOT NULL
);

-- Message-IDs a message refers to (In-Reply-To and References), to place replies that
-- arrive before their parent.
CREATE TABLE message_refs (
    message_pk INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    ref_id     TEXT NOT NULL
);
CREATE INDEX message_refs_ref ON message_refs(ref_id);

CREATE TABLE analyses (
    id               INTEGER PRIMARY KEY,
    thread_id        INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    analyzer_version TEXT NOT NULL,
    stage            TEXT,
    stage_confidence REAL,
    spam_score       REAL,
    result_json      TEXT NOT NULL,
    created_at       TEXT NOT NULL
);
CREATE INDEX analyses_thread ON analyses(thread_id);

CREATE TABLE reports (
    id          INTEGER PRIMARY KEY,
    target      TEXT NOT NULL,
    company_id  INTEGER REFERENCES companies(id) ON DELETE SET NULL,
    fit_score   INTEGER,
    risk_score  INTEGER,
    result_json TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX reports_target ON reports(target);

CREATE TABLE loss_reasons (
    id    INTEGER PRIMARY KEY,
    label TEXT NOT NULL UNIQUE
);

CREATE TABLE deals (
    id             INTEGER PRIMARY KEY,
    external_id    TEXT UNIQUE,
    thread_id      INTEGER REFERENCES threads(id) ON DELETE SET NULL,
    buyer_id       INTEGER REFERENCES buyers(id) ON DELETE SET NULL,
    company        TEXT,
    country        TEXT,
    source         TEXT,
    product        TEXT,
    salesperson    TEXT,
    owner_user_id  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created        TEXT NOT NULL,
    closed         TEXT,
    stage          TEXT NOT NULL CHECK (stage IN ('need_recognition', 'evaluation', 'concerns', 'decision', 'implementation')),
    outcome        TEXT NOT NULL CHECK (outcome IN ('won', 'lost', 'open')),
    loss_reason    TEXT,
    amount         REAL,
    currency       TEXT,
    quantity       REAL,
    extra_json     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX deals_created ON deals(created);

CREATE TABLE deal_stage_history (
    id         INTEGER PRIMARY KEY,
    deal_id    INTEGER NOT NULL REFERENCES deals(id) ON DELETE CASCADE,
    stage      TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    note       TEXT
);
CREATE INDEX deal_stage_history_deal ON deal_stage_history(deal_id);

CREATE TABLE catalog_products (
    id             INTEGER PRIMARY KEY,
    sku            TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    category       TEXT,
    price          REAL,
    currency       TEXT,
    moq            REAL,
    lead_time_days INTEGER,
    certifications TEXT NOT NULL DEFAULT '',
    description    TEXT,
    specs_json     TEXT NOT NULL DEFAULT '{}',
    updated_at     TEXT NOT NULL
);

-- Background work (scouting, analysis). Claimed by one worker at a time.
CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    owner_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    run_after   TEXT NOT NULL,
    locked_by   TEXT,
    locked_at   TEXT,
    result      TEXT,
    error       TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX jobs_queue ON jobs(status, run_after);

CREATE TABLE imap_state (
    account     TEXT NOT NULL,
    mailbox     TEXT NOT NULL,
    uidvalidity INTEGER NOT NULL,
    last_uid    INTEGER NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (account, mailbox)
);

CREATE TABLE llm_usage (
    id                INTEGER PRIMARY KEY,
    at                TEXT NOT NULL,
    model             TEXT NOT NULL,
    purpose           TEXT NOT NULL,
    prompt_tokens     INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    latency_ms        INTEGER NOT NULL
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
