-- Moderation (issue 12): warnings and suspensions given by coordinators.

-- A warning counts until it expires ([moderation] warn_expiry_days) or is taken back (/unwarn);
-- enough live warnings ([moderation] warn_limit) suspend the member.
CREATE TABLE warnings (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members (id),
    given_by   INTEGER REFERENCES members (id),
    reason     TEXT,
    given_at   TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    lifted_at  TEXT,                       -- taken back by /unwarn or an appeal
    lifted_by  INTEGER REFERENCES members (id)
);
CREATE INDEX warnings_by_member ON warnings (member_id, id);

-- A suspension or a ban: the member's status is 'suspended' while one is in force (a ban is a
-- suspension with no end that also closed their listings and ended their introductions).
-- At most one is in force per member.
CREATE TABLE sanctions (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members (id),
    kind       TEXT NOT NULL CHECK (kind IN ('suspend', 'ban')),
    given_by   INTEGER REFERENCES members (id),   -- NULL: the bot itself (the warn limit)
    reason     TEXT,
    given_at   TEXT NOT NULL,
    until      TEXT,                              -- NULL: until lifted
    ended_at   TEXT,                              -- lifted, or over (a timed one)
    ended_by   INTEGER REFERENCES members (id)
);
CREATE UNIQUE INDEX sanctions_in_force ON sanctions (member_id) WHERE ended_at IS NULL;

-- A member's appeal against a warning or a sanction: it goes to the coordinators other than
-- the one who acted; the first to decide (uphold or lift) decides it.
CREATE TABLE appeals (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members (id),
    warning_id  INTEGER REFERENCES warnings (id),
    sanction_id INTEGER REFERENCES sanctions (id),
    acted_by    INTEGER REFERENCES members (id),  -- who gave the warning or sanction
    text        TEXT NOT NULL,
    at          TEXT NOT NULL,
    decided_by  INTEGER REFERENCES members (id),
    decided_at  TEXT,
    lifted      INTEGER,                         -- 1: lifted, 0: upheld
    CHECK ((warning_id IS NULL) != (sanction_id IS NULL))
);
CREATE UNIQUE INDEX appeals_once_per_warning ON appeals (warning_id) WHERE warning_id IS NOT NULL;
CREATE UNIQUE INDEX appeals_once_per_sanction ON appeals (sanction_id)
    WHERE sanction_id IS NOT NULL;
