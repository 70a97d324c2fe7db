-- Support (issue 11): check-in and wellbeing answers are kept apart from identity, under a
-- pseudonym per member; "please get in touch" requests and reports wait in one queue for
-- ambassadors and coordinators.

CREATE TABLE wellbeing_keys (
    member_id   INTEGER PRIMARY KEY REFERENCES members (id),
    pseudonym   TEXT NOT NULL UNIQUE
);

CREATE TABLE support_requests (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('contact', 'report')),
    member_id   INTEGER REFERENCES members (id),  -- who asked to be contacted, or who reported
    reason      TEXT NOT NULL,  -- contact: checkin | crisis | wellbeing; report: member | listing | message
    subject_id  INTEGER,        -- a report's member, listing or relayed message
    details     TEXT,           -- a report's words
    state       TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'claimed', 'closed')),
    claimed_by  INTEGER REFERENCES members (id),
    claimed_at  TEXT,
    closed_at   TEXT,
    note        TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- One open "please get in touch" per member: asking again while one waits changes nothing.
CREATE UNIQUE INDEX support_requests_one_open_contact
    ON support_requests (member_id) WHERE kind = 'contact' AND state != 'closed';
CREATE INDEX support_requests_by_state ON support_requests (state, created_at);
