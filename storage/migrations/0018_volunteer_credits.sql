-- Volunteers' credits for an event (issue 10): the transfer that credited each volunteer, so the
-- organiser's "Credit volunteers" credits each once and the card can say how many were credited.

ALTER TABLE event_answers ADD COLUMN credited_transfer_id INTEGER REFERENCES transfers (id);
