-- Offers and requests for help, their matching, introductions and blocks (issue 3).

ALTER TABLE members ADD COLUMN safety_advice_at TEXT;   -- when they first saw the safety advice
ALTER TABLE members ADD COLUMN notices_enabled INTEGER NOT NULL DEFAULT 1;
ALTER TABLE members ADD COLUMN last_active_at TEXT;     -- for "recent activity" in matching

-- Categories a member wants match notices for; none listed means all of them.
CREATE TABLE notice_categories (
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    category  TEXT NOT NULL,
    PRIMARY KEY (member_id, category)
) WITHOUT ROWID;

CREATE INDEX member_offer_categories_by_category ON member_offer_categories (category, member_id);

CREATE TABLE listings (
    id           INTEGER PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('offer', 'request')),
    category     TEXT NOT NULL,
    title        TEXT NOT NULL,
    details      TEXT NOT NULL,
    place        TEXT NOT NULL,      -- an area key, 'elsewhere', or 'remote'
    availability TEXT,               -- a key such as 'weekday_mornings', or NULL for any time
    status       TEXT NOT NULL CHECK (status IN ('open', 'paused', 'matched', 'closed', 'expired')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);

CREATE INDEX listings_browse ON listings (status, kind, category, created_at);
CREATE INDEX listings_by_member ON listings (member_id, status);

-- Full-text search over titles and details, stemmed (English Porter over unicode61).
CREATE VIRTUAL TABLE listings_fts USING fts5(
    title, details, content = 'listings', content_rowid = 'id', tokenize = 'porter unicode61'
);

CREATE TRIGGER listings_fts_insert AFTER INSERT ON listings BEGIN
    INSERT INTO listings_fts (rowid, title, details) VALUES (new.id, new.title, new.details);
END;
CREATE TRIGGER listings_fts_delete AFTER DELETE ON listings BEGIN
    INSERT INTO listings_fts (listings_fts, rowid, title, details)
        VALUES ('delete', old.id, old.title, old.details);
END;
CREATE TRIGGER listings_fts_update AFTER UPDATE OF title, details ON listings BEGIN
    INSERT INTO listings_fts (listings_fts, rowid, title, details)
        VALUES ('delete', old.id, old.title, old.details);
    INSERT INTO listings_fts (rowid, title, details) VALUES (new.id, new.title, new.details);
END;

-- A member told about a listing that fits them. Queued notices wait for send_after
-- (the daily cap or quiet hours); one notice per listing and member, ever.
CREATE TABLE match_notices (
    id          INTEGER PRIMARY KEY,
    listing_id  INTEGER NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    score       REAL NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'accepted', 'declined', 'dropped')),
    created_at  TEXT NOT NULL,
    send_after  TEXT NOT NULL,
    sent_at     TEXT,
    UNIQUE (listing_id, member_id)
);

CREATE INDEX match_notices_queue ON match_notices (status, send_after);
CREATE INDEX match_notices_by_member ON match_notices (member_id, sent_at);

-- Either member can block the other; the blocked member is never told.
CREATE TABLE blocks (
    blocker_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    blocked_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
) WITHOUT ROWID;

CREATE INDEX blocks_by_blocked ON blocks (blocked_id, blocker_id);

-- Two members brought together over a listing (or by an ambassador). Contact details are
-- revealed only when both have agreed to share.
CREATE TABLE introductions (
    id               INTEGER PRIMARY KEY,
    listing_id       INTEGER REFERENCES listings (id) ON DELETE SET NULL,
    owner_id         INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    responder_id     INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    brokered_by      INTEGER REFERENCES members (id) ON DELETE SET NULL,
    status           TEXT NOT NULL CHECK (status IN ('proposed', 'accepted', 'declined', 'ended')),
    owner_accepted     INTEGER NOT NULL DEFAULT 0,   -- brokered introductions need both
    responder_accepted INTEGER NOT NULL DEFAULT 0,
    owner_shares     INTEGER NOT NULL DEFAULT 0,
    responder_shares INTEGER NOT NULL DEFAULT 0,
    ended_by         INTEGER REFERENCES members (id) ON DELETE SET NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (listing_id, responder_id)
);

CREATE INDEX introductions_by_owner ON introductions (owner_id, status);
CREATE INDEX introductions_by_responder ON introductions (responder_id, status);
