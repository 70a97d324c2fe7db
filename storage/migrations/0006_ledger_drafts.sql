-- Time-credit forms in progress (issue 4): what a member or coordinator has chosen so far in
-- /log, /grant, /record or /reverse, kept until they send or cancel, so nothing is lost to a
-- restart. One per person and purpose; a new start replaces it (and gets a new id, which the
-- transfer's idempotency key is made from, so a double-tapped "Send" records one transfer).

CREATE TABLE ledger_drafts (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: keys are made from it
    member_id        INTEGER NOT NULL REFERENCES members (id),  -- who is filling it in
    purpose          TEXT NOT NULL CHECK (purpose IN ('log', 'grant', 'record', 'reverse')),
    other_id         INTEGER REFERENCES members (id),  -- log: the other member; grant: who gets
                                                       -- it; record: who helped; reverse: whose
    second_id        INTEGER REFERENCES members (id),  -- record: who was helped
    gave             INTEGER,                           -- log: 1 I helped them, 0 they helped me
    minutes          INTEGER,
    happened_on      TEXT,                              -- YYYY-MM-DD
    note             TEXT,                              -- what it was for, or the reason
    introduction_id  INTEGER REFERENCES introductions (id) ON DELETE SET NULL,
    listing_id       INTEGER REFERENCES listings (id) ON DELETE SET NULL,
    transfer_id      INTEGER REFERENCES transfers (id),  -- reverse: the transfer to undo
    sent_transfer_id INTEGER REFERENCES transfers (id),  -- once sent, what it made
    updated_at       TEXT NOT NULL,
    UNIQUE (member_id, purpose)
);

CREATE INDEX ledger_drafts_other ON ledger_drafts (other_id);
CREATE INDEX ledger_drafts_second ON ledger_drafts (second_id);
