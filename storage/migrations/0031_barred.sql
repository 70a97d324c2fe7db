-- Bans that outlive erasure (issue 12): when a banned member erases themselves (/forget), all
-- that is kept is a keyed one-way digest of their Telegram id (HMAC-SHA256 with a secret kept
-- in settings), so that the same account cannot /start again as a new member. No name, no
-- Telegram id, no member id: the digest can only be matched by someone who already knows the id.
-- The sanction's own row goes with the rest of their data; its id still finds the ban's audit
-- row (audit.subject), so lifting it later can be audited against it.
CREATE TABLE barred (
    digest      TEXT PRIMARY KEY,  -- hex HMAC-SHA256 of the Telegram id
    sanction_id INTEGER NOT NULL,  -- the ban (no foreign key: its row is erased)
    at          TEXT NOT NULL      -- when they were erased
);
