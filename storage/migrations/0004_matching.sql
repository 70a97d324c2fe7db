-- Matching (issue 3): the words of what members say they could offer, searchable with FTS5
-- like listings are, so a request can find helpers by their own words, not only categories.
-- Every member has a row (an empty one when they wrote nothing), so deletes always match.

CREATE VIRTUAL TABLE members_offers_fts USING fts5(
    offers_text, content = 'members', content_rowid = 'id', tokenize = 'porter unicode61'
);

INSERT INTO members_offers_fts (rowid, offers_text) SELECT id, offers_text FROM members;

CREATE TRIGGER members_offers_fts_insert AFTER INSERT ON members BEGIN
    INSERT INTO members_offers_fts (rowid, offers_text) VALUES (new.id, new.offers_text);
END;
CREATE TRIGGER members_offers_fts_delete AFTER DELETE ON members BEGIN
    INSERT INTO members_offers_fts (members_offers_fts, rowid, offers_text)
        VALUES ('delete', old.id, old.offers_text);
END;
CREATE TRIGGER members_offers_fts_update AFTER UPDATE OF offers_text ON members BEGIN
    INSERT INTO members_offers_fts (members_offers_fts, rowid, offers_text)
        VALUES ('delete', old.id, old.offers_text);
    INSERT INTO members_offers_fts (rowid, offers_text) VALUES (new.id, new.offers_text);
END;

-- Who may be asked, most recently active first (and nearby): the category pools walk these.
CREATE INDEX members_matchable ON members (status, notices_enabled, last_active_at);
CREATE INDEX members_matchable_by_area ON members (status, notices_enabled, area, last_active_at);
