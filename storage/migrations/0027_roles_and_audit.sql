-- Moderation (issue 12), its foundation: roles kept in the database, and the audit.

-- The staff's table becomes the roles: the config's admins and ambassadors, copied at each
-- start (source 'config': chat cannot take those away), and those given by /promote (source
-- 'chat', kept across restarts until /demote).
ALTER TABLE support_staff RENAME TO roles;
ALTER TABLE roles ADD COLUMN source TEXT NOT NULL DEFAULT 'config'
    CHECK (source IN ('config', 'chat'));
ALTER TABLE roles ADD COLUMN given_by INTEGER;  -- the member who promoted them (chat only)
ALTER TABLE roles ADD COLUMN given_at TEXT;

-- Every admin and ambassador action, written in the same transaction as the action: who, what,
-- whom, why, when. Rows are never changed or deleted (the triggers refuse it); a member erased
-- later shows as "a former member" (their members row is kept, emptied).
CREATE TABLE audit (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    action     TEXT NOT NULL,                      -- an AuditAction, e.g. 'warn', 'promote'
    actor_id   INTEGER REFERENCES members (id),    -- NULL: the bot itself (a warn limit, a flood)
    target_id  INTEGER REFERENCES members (id),    -- NULL: not about one member
    chat_id    INTEGER,                            -- the group chat it happened in, if any
    subject    INTEGER,                            -- what else it is about: a listing, a transfer
    reason     TEXT,
    details    TEXT NOT NULL DEFAULT '{}'          -- JSON: a duration, a role, an amount
);
CREATE INDEX audit_by_target ON audit (target_id, id);
CREATE INDEX audit_by_action ON audit (action, id);

CREATE TRIGGER audit_rows_are_kept BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit rows are kept as written');
END;
CREATE TRIGGER audit_rows_stay BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit rows are kept as written');
END;
