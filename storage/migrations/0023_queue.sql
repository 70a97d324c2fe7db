-- The support queue (issue 11): who works it, reports' reasons and context, and reminders and
-- escalation kept in the database.

-- Who may work the queue, copied from the config's [roles] at every start, so that a request
-- and the notices to everyone who should hear of it are written in one transaction.
CREATE TABLE support_staff (
    telegram_id INTEGER PRIMARY KEY,
    role        TEXT NOT NULL CHECK (role IN ('ambassador', 'admin'))
);

-- A report's reason (unkind | spam | misleading | other), whom it is about, and the words it
-- is about as they were (a listing's text, a relayed message): erased with that member.
ALTER TABLE support_requests ADD COLUMN category TEXT;
ALTER TABLE support_requests ADD COLUMN subject_member INTEGER REFERENCES members (id);
ALTER TABLE support_requests ADD COLUMN excerpt TEXT;
-- How it ended (a report: dismissed | taken_down | handled) and by whom.
ALTER TABLE support_requests ADD COLUMN outcome TEXT;
ALTER TABLE support_requests ADD COLUMN closed_by INTEGER REFERENCES members (id);
-- Reminders and escalation: when the queue last reminded of it, and when (once) it went to
-- the coordinators for waiting too long.
ALTER TABLE support_requests ADD COLUMN reminded_at TEXT;
ALTER TABLE support_requests ADD COLUMN escalated_at TEXT;
