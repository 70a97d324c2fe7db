-- Updates fetched from Telegram, kept from before they are acknowledged until they are handled,
-- so a crash loses none: whatever is still here is handled again on start, oldest first.
CREATE TABLE inbox (
    update_id INTEGER PRIMARY KEY,
    member_key INTEGER,
    payload TEXT NOT NULL,
    received_at TEXT NOT NULL
);
