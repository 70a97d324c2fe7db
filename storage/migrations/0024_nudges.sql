-- Gentle nudges (issue 11): when a quiet member was last asked what they could offer, so that
-- it is asked at most once per quiet spell (a spell ends when they are active again).

ALTER TABLE members ADD COLUMN quiet_nudged_at TEXT;
