-- Organisation credits through /grant (Spice-style): a coordinator's grant form remembers where
-- the credits come from, so the choice survives a restart. The organisation's name as
-- configured ([ledger] organisations); NULL means the community pot, as before.

ALTER TABLE ledger_drafts ADD COLUMN organisation TEXT;
