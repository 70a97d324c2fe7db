-- A listing being written or edited, one per member, so a restart loses nothing.
CREATE TABLE listing_drafts (
    member_id    INTEGER PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    listing_id   INTEGER REFERENCES listings (id) ON DELETE CASCADE,  -- set when editing
    kind         TEXT NOT NULL CHECK (kind IN ('offer', 'request')),
    category     TEXT,
    title        TEXT,
    details      TEXT,
    place        TEXT,
    availability TEXT,
    days         INTEGER,
    updated_at   TEXT NOT NULL
);
