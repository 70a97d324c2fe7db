-- Welsh search (issue 8): the full-text indexes hold words normalised in Python
-- (bot/domain/welsh.py: folded, Welsh mutations undone, common endings off), so "fy ngardd"
-- finds "garddio". Triggers cannot call Python, so the repositories write those words
-- (storage/search.py). The tables keep their own text now (not the listing's or member's),
-- with the normaliser's version: rows written here, or by the triggers below when a writer
-- forgets, have version 0 (the plain text, which searches as before, in English), and are
-- normalised again at start.

DROP TRIGGER listings_fts_insert;
DROP TRIGGER listings_fts_delete;
DROP TRIGGER listings_fts_update;
DROP TABLE listings_fts;

DROP TRIGGER members_offers_fts_insert;
DROP TRIGGER members_offers_fts_delete;
DROP TRIGGER members_offers_fts_update;
DROP TABLE members_offers_fts;

CREATE VIRTUAL TABLE listings_fts USING fts5(
    title, details, version UNINDEXED, tokenize = 'porter unicode61'
);
CREATE VIRTUAL TABLE members_offers_fts USING fts5(
    offers, version UNINDEXED, tokenize = 'porter unicode61'
);

INSERT INTO listings_fts (rowid, title, details, version)
    SELECT id, title, details, 0 FROM listings;
INSERT INTO members_offers_fts (rowid, offers, version)
    SELECT id, offers_text, 0 FROM members WHERE offers_text IS NOT NULL;

CREATE TRIGGER listings_fts_insert AFTER INSERT ON listings BEGIN
    INSERT INTO listings_fts (rowid, title, details, version)
        VALUES (new.id, new.title, new.details, 0);
END;
CREATE TRIGGER listings_fts_delete AFTER DELETE ON listings BEGIN
    DELETE FROM listings_fts WHERE rowid = old.id;
END;
CREATE TRIGGER listings_fts_update AFTER UPDATE OF title, details ON listings BEGIN
    DELETE FROM listings_fts WHERE rowid = old.id;
    INSERT INTO listings_fts (rowid, title, details, version)
        VALUES (new.id, new.title, new.details, 0);
END;

-- Erasure sets offers_text to NULL: the member's words leave the index with it.
CREATE TRIGGER members_offers_fts_insert AFTER INSERT ON members
WHEN new.offers_text IS NOT NULL BEGIN
    INSERT INTO members_offers_fts (rowid, offers, version) VALUES (new.id, new.offers_text, 0);
END;
CREATE TRIGGER members_offers_fts_delete AFTER DELETE ON members BEGIN
    DELETE FROM members_offers_fts WHERE rowid = old.id;
END;
CREATE TRIGGER members_offers_fts_update AFTER UPDATE OF offers_text ON members BEGIN
    DELETE FROM members_offers_fts WHERE rowid = old.id;
    INSERT INTO members_offers_fts (rowid, offers, version)
        SELECT new.id, new.offers_text, 0 WHERE new.offers_text IS NOT NULL;
END;
