-- The time-credit ledger (issue 4): double entry, amounts in whole minutes.
--
-- A transfer moves `amount` minutes from one account to another. Only when it is confirmed
-- does it get its two entries (-amount on the source, +amount on the destination), in the
-- same transaction as the state change; a trigger moves the two cached balances with them.
-- So the sum of all entries is always zero and every balance is the sum of its entries. Nothing is ever deleted;
-- entries are never edited; a mistake is corrected by a reversing transfer with a reason.

CREATE TABLE accounts (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('member', 'pot', 'organisation', 'issuance')),
    member_id  INTEGER UNIQUE REFERENCES members (id),  -- erased members keep theirs
    name       TEXT,                                    -- for the accounts that are not a member's
    balance    INTEGER NOT NULL DEFAULT 0,              -- minutes; the sum of its entries
    created_at TEXT NOT NULL,
    CHECK ((kind = 'member') = (member_id IS NOT NULL)),
    CHECK (kind = 'member' OR name IS NOT NULL)
);

-- One community pot and one issuance account; organisations by name.
CREATE UNIQUE INDEX accounts_single ON accounts (kind) WHERE kind IN ('pot', 'issuance');
CREATE UNIQUE INDEX accounts_organisation_name ON accounts (name) WHERE kind = 'organisation';

INSERT INTO accounts (kind, name, created_at)
    VALUES ('pot', 'community pot', strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')),
           ('issuance', 'issuance', strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));

CREATE TABLE transfers (
    id                   INTEGER PRIMARY KEY,
    idempotency_key      TEXT NOT NULL UNIQUE,  -- a re-delivered update finds the same transfer
    kind                 TEXT NOT NULL CHECK (kind IN ('exchange', 'donation', 'grant', 'starter',
                                                       'recorded', 'organisation', 'reversal')),
    from_account_id      INTEGER NOT NULL REFERENCES accounts (id),  -- pays (was helped)
    to_account_id        INTEGER NOT NULL REFERENCES accounts (id),  -- earns (helped)
    amount               INTEGER NOT NULL CHECK (amount > 0),        -- minutes
    state                TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'declined',
                                                        'disputed', 'expired', 'reversed')),
    needs_approval       INTEGER NOT NULL DEFAULT 0,  -- agreed, but beyond the balance floor
    happened_on          TEXT NOT NULL,               -- the day of the exchange, YYYY-MM-DD
    note                 TEXT,                        -- what it was for (erased with a member)
    reason               TEXT,                        -- why a coordinator acted (ditto)
    created_by           INTEGER REFERENCES members (id),  -- NULL: the system (starter credits)
    confirmed_by         INTEGER REFERENCES members (id),
    disputed_by          INTEGER REFERENCES members (id),  -- who said "something's wrong"
    settled_by           INTEGER REFERENCES members (id),  -- the coordinator who decided
    listing_id           INTEGER REFERENCES listings (id) ON DELETE SET NULL,
    introduction_id      INTEGER REFERENCES introductions (id) ON DELETE SET NULL,
    reverses_transfer_id INTEGER UNIQUE REFERENCES transfers (id),  -- each reversed at most once
    counters_transfer_id INTEGER UNIQUE REFERENCES transfers (id),  -- a "change the time" reply
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    confirmed_at         TEXT,
    CHECK (from_account_id != to_account_id)
);

CREATE INDEX transfers_from ON transfers (from_account_id, happened_on);
CREATE INDEX transfers_to ON transfers (to_account_id, happened_on);
CREATE INDEX transfers_open ON transfers (state, created_at) WHERE state IN ('pending', 'disputed', 'expired');

CREATE TABLE entries (
    id          INTEGER PRIMARY KEY,
    transfer_id INTEGER NOT NULL REFERENCES transfers (id),
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    amount      INTEGER NOT NULL CHECK (amount != 0),  -- signed minutes
    created_at  TEXT NOT NULL,
    UNIQUE (transfer_id, account_id)  -- so a transfer can never be posted twice
);

CREATE INDEX entries_by_account ON entries (account_id);

-- The cached balance moves with every entry, in the same statement: it cannot drift.
CREATE TRIGGER entries_move_balances AFTER INSERT ON entries BEGIN
    UPDATE accounts SET balance = balance + new.amount WHERE id = new.account_id;
END;

-- What the schema itself refuses, whatever the code above it does.
CREATE TRIGGER entries_never_change BEFORE UPDATE ON entries BEGIN
    SELECT RAISE(ABORT, 'ledger entries are never edited');
END;
CREATE TRIGGER entries_never_go BEFORE DELETE ON entries BEGIN
    SELECT RAISE(ABORT, 'ledger entries are never deleted');
END;
CREATE TRIGGER transfers_never_go BEFORE DELETE ON transfers BEGIN
    SELECT RAISE(ABORT, 'transfers are never deleted');
END;
CREATE TRIGGER transfers_fixed BEFORE UPDATE OF
    idempotency_key, kind, from_account_id, to_account_id, amount, happened_on, created_by,
    created_at, reverses_transfer_id, counters_transfer_id ON transfers
WHEN old.idempotency_key IS NOT new.idempotency_key OR old.kind IS NOT new.kind
    OR old.from_account_id IS NOT new.from_account_id OR old.to_account_id IS NOT new.to_account_id
    OR old.amount IS NOT new.amount OR old.happened_on IS NOT new.happened_on
    OR old.created_by IS NOT new.created_by OR old.created_at IS NOT new.created_at
    OR old.reverses_transfer_id IS NOT new.reverses_transfer_id
    OR old.counters_transfer_id IS NOT new.counters_transfer_id
BEGIN
    SELECT RAISE(ABORT, 'a transfer''s amount, accounts and origin are never edited');
END;
-- pending -> confirmed | declined | disputed | expired; disputed, expired -> confirmed | declined
-- (a coordinator settles); confirmed -> reversed. Nothing else.
CREATE TRIGGER transfers_state_moves_forward BEFORE UPDATE OF state ON transfers
WHEN old.state IS NOT new.state AND NOT (
    (old.state = 'pending' AND new.state IN ('confirmed', 'declined', 'disputed', 'expired'))
    OR (old.state IN ('disputed', 'expired') AND new.state IN ('confirmed', 'declined'))
    OR (old.state = 'confirmed' AND new.state = 'reversed')
)
BEGIN
    SELECT RAISE(ABORT, 'a transfer cannot go back to an earlier state');
END;
