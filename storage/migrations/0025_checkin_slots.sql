-- The check-in pass (issue 11) moves every schedule of one slot on at once. Kept in rowid order,
-- those schedules were spread over the whole table, so a pass of a thousand wrote a thousand
-- pages. Ordered by weekday and hour, the schedules of one slot sit together, and the member
-- index holds no column the pass changes.

CREATE TABLE checkin_schedules_by_slot (
    member_id     INTEGER NOT NULL UNIQUE REFERENCES members (id),
    cadence       TEXT NOT NULL CHECK (cadence IN ('off', 'weekly', 'fortnightly', 'monthly')),
    weekday       INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),  -- 0 Monday
    hour          INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),    -- local, community zone
    paused_until  TEXT,            -- a local date: check-ins start again on it
    next_due_at   TEXT,            -- UTC, with the member's spread; NULL when off
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (weekday, hour, member_id)
) WITHOUT ROWID;

INSERT INTO checkin_schedules_by_slot
    (member_id, cadence, weekday, hour, paused_until, next_due_at, updated_at)
    SELECT member_id, cadence, weekday, hour, paused_until, next_due_at, updated_at
    FROM checkin_schedules;

DROP TABLE checkin_schedules;
ALTER TABLE checkin_schedules_by_slot RENAME TO checkin_schedules;

-- The due pass reads a range of this index and nothing else.
CREATE INDEX checkin_schedules_due ON checkin_schedules (next_due_at)
    WHERE next_due_at IS NOT NULL;
