-- Ambassador broadcasts (issue 10): a community notice to everyone, an area or an interest, in
-- English and/or Welsh. Its messages are bulk outbox rows (purpose 'broadcast.message', about =
-- the broadcast's id), queued in the transaction that starts it; what is still in the outbox
-- says how far it has got (sent rows are deleted, so dealt with = total - what is left - dropped);
-- `delivered` counts those Telegram took, as each is sent.

CREATE TABLE broadcasts (
    id                  INTEGER PRIMARY KEY,
    author_id           INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    audience            TEXT NOT NULL CHECK (audience IN ('everyone', 'area', 'interest')),
    audience_key        TEXT,                -- the area or category key; NULL for everyone
    text_en             TEXT,
    text_cy             TEXT,
    status              TEXT NOT NULL
                        CHECK (status IN ('awaiting_approval', 'sending', 'paused', 'cancelled', 'done')),
    form_id             INTEGER UNIQUE,      -- the form it was sent from: Send twice makes one
    approved_by         INTEGER,             -- the Telegram id of who approved it (two-person rule)
    declined_by         INTEGER,             -- or declined it (it is then cancelled)
    total               INTEGER NOT NULL DEFAULT 0,  -- messages queued when it started
    dropped             INTEGER NOT NULL DEFAULT 0,  -- messages not sent because it was cancelled
    delivered           INTEGER NOT NULL DEFAULT 0,  -- messages Telegram took, counted as sent
    progress_chat_id    INTEGER,             -- the author's live progress message
    progress_message_id INTEGER,
    created_at          TEXT NOT NULL,
    started_at          TEXT,
    finished_at         TEXT,
    CHECK (text_en IS NOT NULL OR text_cy IS NOT NULL),
    CHECK ((audience = 'everyone') = (audience_key IS NULL))
);

CREATE INDEX broadcasts_status ON broadcasts (status);

-- Which notices a member wants, by kind ('news': broadcasts; events may add kinds). A missing
-- row means the kind's default, which is on.
CREATE TABLE notice_preferences (
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind      TEXT NOT NULL,
    enabled   INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    PRIMARY KEY (member_id, kind)
) WITHOUT ROWID;

-- Outbox rows held back: while a (purpose, about) is here, the sender leaves its rows alone
-- (a paused broadcast); removing it lets them go again.
CREATE TABLE outbox_holds (
    purpose TEXT NOT NULL,
    about   INTEGER NOT NULL,
    PRIMARY KEY (purpose, about)
) WITHOUT ROWID;

CREATE INDEX outbox_about ON outbox (purpose, about, state);
