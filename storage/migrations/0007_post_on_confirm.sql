-- Confirmation posts the entries itself (issue 4): the moment a transfer becomes confirmed,
-- by an update (the other member said yes; a coordinator settled it) or by being recorded
-- confirmed (donations, grants, starter credits, reversals), its two entries are written in the
-- same statement: -amount on the source, +amount on the destination. The schema now says
-- "only confirmation writes entries" on its own, and each confirmation is one statement fewer.
-- entries' UNIQUE (transfer_id, account_id) still refuses a second posting.

CREATE TRIGGER transfers_post_when_confirmed AFTER UPDATE OF state ON transfers
WHEN new.state = 'confirmed' AND old.state != 'confirmed'
BEGIN
    INSERT INTO entries (transfer_id, account_id, amount, created_at)
    VALUES (new.id, new.from_account_id, -new.amount, new.updated_at),
           (new.id, new.to_account_id, new.amount, new.updated_at);
END;

CREATE TRIGGER transfers_post_when_recorded_confirmed AFTER INSERT ON transfers
WHEN new.state = 'confirmed'
BEGIN
    INSERT INTO entries (transfer_id, account_id, amount, created_at)
    VALUES (new.id, new.from_account_id, -new.amount, new.updated_at),
           (new.id, new.to_account_id, new.amount, new.updated_at);
END;
