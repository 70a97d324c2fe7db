-- Community events (issue 10): an ambassador's event, with its start as the community's wall time
-- (local_day, local_time, zone: what the organiser chose, kept across clock changes) and as UTC
-- (starts_at, derived from them, for ordering and reminders); and members' answers to it.

CREATE TABLE events (
    id                 INTEGER PRIMARY KEY,
    title              TEXT NOT NULL,
    local_day          TEXT NOT NULL,               -- YYYY-MM-DD in the zone
    local_time         TEXT NOT NULL,               -- HH:MM in the zone
    zone               TEXT NOT NULL,               -- e.g. Europe/London
    starts_at          TEXT NOT NULL,               -- UTC
    place              TEXT NOT NULL,
    area               TEXT NOT NULL,               -- an area key, or 'online'
    kind               TEXT NOT NULL,               -- one of the config's categories
    description        TEXT NOT NULL,
    capacity           INTEGER CHECK (capacity IS NULL OR capacity > 0),
    volunteers_wanted  INTEGER CHECK (volunteers_wanted IS NULL OR volunteers_wanted > 0),
    credit_minutes     INTEGER,                     -- credited per volunteer hour
    organisation       TEXT,                        -- who gives those credits; NULL: the pot
    created_by         INTEGER REFERENCES members (id),
    status             TEXT NOT NULL DEFAULT 'published'
                       CHECK (status IN ('draft', 'published', 'cancelled')),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);

CREATE INDEX events_upcoming ON events (status, starts_at);

CREATE TABLE event_answers (
    event_id            INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    member_id           INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    answer              TEXT NOT NULL CHECK (answer IN ('going', 'maybe', 'no')),
    waitlisted          INTEGER,                    -- order on the waitlist; NULL: not waiting
    wants_to_volunteer  INTEGER NOT NULL DEFAULT 0,
    attended            INTEGER NOT NULL DEFAULT 0,
    volunteered         INTEGER NOT NULL DEFAULT 0,
    answered_at         TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    PRIMARY KEY (event_id, member_id),
    CHECK (waitlisted IS NULL OR answer = 'going')
);

CREATE INDEX event_answers_member ON event_answers (member_id);
