-- Where a newcomer's link pointed (issue 10), kept while a coordinator approves them, so that
-- their welcome can take them there; cleared when their status next changes.

ALTER TABLE members ADD COLUMN landing TEXT;
