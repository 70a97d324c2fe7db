-- Delivery (issue 9): every message that is not the direct answer to a member's own update waits
-- here, written in the same transaction as the change that causes it, until the one sender has
-- sent it. A row is deleted once sent; one that cannot be sent stays, as failed or unreachable,
-- where coordinators can see it (/deliveries).

CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    purpose     TEXT NOT NULL,                 -- which renderer words it, e.g. 'exchange.ask'
    member_id   INTEGER REFERENCES members (id) ON DELETE CASCADE,
    chat_id     INTEGER,                       -- a chat that is not a member's (a group, an admin)
    about       INTEGER,                       -- what it is about: a transfer, a listing, ...
    data        TEXT NOT NULL DEFAULT '{}',    -- anything else the renderer needs, as JSON
    priority    INTEGER NOT NULL,              -- 1 personal, 2 bulk (0 is a direct reply)
    key         TEXT UNIQUE,                   -- the same key is queued once
    state       TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'failed', 'unreachable')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    not_before  TEXT NOT NULL,
    last_error  TEXT,
    created_at  TEXT NOT NULL,
    CHECK (member_id IS NOT NULL OR chat_id IS NOT NULL)
);

CREATE INDEX outbox_next ON outbox (state, priority, not_before, id);
CREATE INDEX outbox_member ON outbox (member_id);

-- Set when Telegram says the member has blocked the bot; cleared when they come back.
ALTER TABLE members ADD COLUMN unreachable_since TEXT;
