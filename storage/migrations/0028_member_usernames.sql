-- Moderation (issue 12): a member's Telegram @username, as Telegram last showed it, so that a
-- coordinator can name them by it (/promote @ann ambassador). Kept from each update they send;
-- one member at most holds a username (Telegram moves a username from one user to another);
-- /forget empties it with the rest of the row.
ALTER TABLE members ADD COLUMN username TEXT;
CREATE UNIQUE INDEX members_by_username ON members (username COLLATE NOCASE);
