-- Settings the application keeps for itself (e.g. the key that signs button data).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- A member. Once erased, the row stays (so later ledger rows keep a "former member"), but
-- everything that identifies the person is gone: telegram_id and every text are NULL.
CREATE TABLE members (
    id            INTEGER PRIMARY KEY,
    telegram_id   INTEGER UNIQUE,
    language      TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('cy', 'en')),
    status        TEXT NOT NULL CHECK (status IN ('joining', 'pending', 'active', 'suspended', 'erased')),
    step          TEXT,               -- the input we are waiting for, if any
    paused        INTEGER NOT NULL DEFAULT 0,
    display_name  TEXT,
    area          TEXT,               -- an area key from the config, or 'elsewhere'
    offers_text   TEXT,
    what_matters  TEXT,
    consent_at    TEXT,
    joined_at     TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE INDEX members_status ON members (status);

CREATE TABLE member_offer_categories (
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    category  TEXT NOT NULL,
    PRIMARY KEY (member_id, category)
) WITHOUT ROWID;

-- Work that must happen at a time (reminders, expiries, ...): survives restarts by living here.
CREATE TABLE due_work (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE,  -- one pending item per key; scheduling again moves it
    kind       TEXT NOT NULL,
    member_id  INTEGER REFERENCES members (id) ON DELETE CASCADE,
    due_at     TEXT NOT NULL,
    payload    TEXT NOT NULL DEFAULT '{}',
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);

CREATE INDEX due_work_due_at ON due_work (due_at);
