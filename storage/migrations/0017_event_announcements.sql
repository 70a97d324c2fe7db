-- Event announcements (issue 10): an organiser announces a published event to everyone, its area,
-- members interested in its kind, or the community group chats. Each (event, audience) once; and
-- each member hears of an event once, however many of its audiences they are in. The messages
-- are bulk outbox rows (purpose 'event.announcement' / 'event.group_post', about = the event),
-- queued in the transaction that records the announcement.

CREATE TABLE event_announcements (
    event_id     INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    audience     TEXT NOT NULL CHECK (audience IN ('everyone', 'area', 'interest', 'group')),
    recipients   INTEGER NOT NULL,            -- messages queued
    created_at   TEXT NOT NULL,
    PRIMARY KEY (event_id, audience)
) WITHOUT ROWID;

CREATE TABLE event_heard (
    event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, member_id)
) WITHOUT ROWID;
