"""The words search finds listings and members' own words by, written by the repositories.

The full-text tables hold text normalised in Python (`bot.domain.welsh`: folded, Welsh
mutations undone, common endings off); SQLite triggers cannot call Python, so whoever writes a
listing's title or details, or a member's offers_text, calls `index_listing_in` /
`index_member_in` in the same write.
The triggers (migration 0010) index the plain text as version 0 meanwhile, so a forgotten
writer still searches as well as English did; `catch_up` normalises such rows again.
"""

from __future__ import annotations

import sqlite3
from functools import partial

from bot.domain import welsh
from storage.database import Database

BATCH = 200


def listing_words(title: str, details: str) -> tuple[str, str]:
    """A listing's title and details as indexed; Welsh or not is decided on both together."""
    is_welsh = welsh.looks_welsh(title, details)
    return welsh.index_text(title, is_welsh), welsh.index_text(details, is_welsh)


def index_listing_in(tx: sqlite3.Connection, listing_id: int, title: str, details: str) -> None:
    """Index a listing's words, inside the caller's write transaction."""
    tx.execute("DELETE FROM listings_fts WHERE rowid = ?", (listing_id,))
    tx.execute(
        "INSERT INTO listings_fts (rowid, title, details, version) VALUES (?, ?, ?, ?)",
        (listing_id, *listing_words(title, details), welsh.VERSION),
    )


def index_member_in(tx: sqlite3.Connection, member_id: int, offers_text: str | None) -> None:
    """Index a member's own words about what they offer (none: out of the index)."""
    tx.execute("DELETE FROM members_offers_fts WHERE rowid = ?", (member_id,))
    if offers_text:
        tx.execute(
            "INSERT INTO members_offers_fts (rowid, offers, version) VALUES (?, ?, ?)",
            (member_id, welsh.index_text(offers_text), welsh.VERSION),
        )


async def catch_up(db: Database) -> int:
    """Normalise again every row indexed as plain text or by an older normaliser; how many."""
    done = 0
    last = 0
    while True:  # in id order, a batch per transaction, so writers are not held up for long
        rows = await db.fetch_all(
            "SELECT l.id, l.title, l.details FROM listings AS l"
            " LEFT JOIN listings_fts AS f ON f.rowid = l.id"
            " WHERE l.id > ? AND f.version IS NOT ? ORDER BY l.id LIMIT ?",
            (last, welsh.VERSION, BATCH),
        )
        if not rows:
            break
        await db.write(partial(_index_listings_in, rows=rows))
        done, last = done + len(rows), rows[-1]["id"]
    last = 0
    while True:
        rows = await db.fetch_all(
            "SELECT m.id, m.offers_text FROM members AS m"
            " LEFT JOIN members_offers_fts AS f ON f.rowid = m.id"
            " WHERE m.id > ? AND m.offers_text != '' AND f.version IS NOT ? ORDER BY m.id LIMIT ?",
            (last, welsh.VERSION, BATCH),
        )
        if not rows:
            break
        await db.write(partial(_index_members_in, rows=rows))
        done, last = done + len(rows), rows[-1]["id"]
    return done


def _index_listings_in(tx: sqlite3.Connection, rows: list[sqlite3.Row]) -> None:
    for row in rows:
        index_listing_in(tx, row["id"], row["title"], row["details"])


def _index_members_in(tx: sqlite3.Connection, rows: list[sqlite3.Row]) -> None:
    for row in rows:
        index_member_in(tx, row["id"], row["offers_text"])
