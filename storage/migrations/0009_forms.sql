-- One table for every multi-step form a member has in progress (joining, profile edits, offers
-- and requests, /log, /donate, /browse, the coordinators' credit forms): which form, which step
-- it is on, and the answers so far as JSON. One row per member; starting a form replaces it.
-- A finished form keeps its row (and what it made) until the next one starts, so a
-- re-delivered "Send" can say what happened instead of doing it twice.
CREATE TABLE forms (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,  -- in every button, so old buttons do nothing
    member_id   INTEGER NOT NULL UNIQUE REFERENCES members (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,                      -- which form: "join", "log", "grant", ...
    step        TEXT NOT NULL,                      -- the question it is waiting on
    answers     TEXT NOT NULL DEFAULT '{}',         -- JSON, the form's own answers dataclass
    seen        TEXT NOT NULL DEFAULT '[]',         -- JSON list: steps answered at least once
    outcome     INTEGER,                            -- what sending made (a transfer, a listing)
    finished_at TEXT,                               -- NULL while in progress
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- Members part-way through joining keep their place.
INSERT INTO forms (member_id, name, step, created_at, updated_at)
SELECT id, 'join', step, updated_at, updated_at FROM members
WHERE status = 'joining' AND step IN ('name', 'area', 'offers', 'offers_text', 'matters');
