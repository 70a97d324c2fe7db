-- Scheduled check-ins (issue 11): each member's choice and when their next one is due, and
-- their answers, kept under their wellbeing pseudonym (not their member id), by day only.

CREATE TABLE checkin_schedules (
    member_id     INTEGER PRIMARY KEY REFERENCES members (id),
    cadence       TEXT NOT NULL CHECK (cadence IN ('off', 'weekly', 'fortnightly', 'monthly')),
    weekday       INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),  -- 0 Monday
    hour          INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),    -- local, community zone
    paused_until  TEXT,            -- a local date: check-ins start again on it
    next_due_at   TEXT,            -- UTC, with the member's spread; NULL when off
    updated_at    TEXT NOT NULL
);

-- The due pass reads a range of this index and nothing else.
CREATE INDEX checkin_schedules_due ON checkin_schedules (next_due_at)
    WHERE next_due_at IS NOT NULL;

CREATE TABLE checkin_answers (
    pseudonym  TEXT NOT NULL,
    day        TEXT NOT NULL,      -- the local date of the check-in answered
    answer     INTEGER NOT NULL CHECK (answer BETWEEN 1 AND 5),  -- 1 very good .. 5 bad
    PRIMARY KEY (pseudonym, day)
);
