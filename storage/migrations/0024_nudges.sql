-- Gentle nudges (issue 11): when a quiet member was last asked what they could offer, so that
-- it is asked at most once per quiet spell (a spell ends when they are active again).

ALTER TABLE members ADD COLUMN quiet_nudged_at TEXT;

-- Activity was not recorded before this: the 60 quiet days count from the upgrade, or the
-- first daily look would nudge almost every established member. The format is to_db's.
UPDATE members SET last_active_at = strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')
    WHERE last_active_at IS NULL AND status != 'erased';
