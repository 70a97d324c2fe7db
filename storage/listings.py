"""Listings: offers and requests for help."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from storage import search
from storage.database import Database, fetch_one_in, update_row_in
from storage.effects import Then, follow_in
from storage.forms import made_by_in, record_made_in
from storage.timestamps import required_from_db, to_db


@dataclass(frozen=True)
class Listing:
    id: int
    member_id: int
    kind: str  # 'offer' or 'request'
    category: str
    title: str
    details: str
    place: str  # an area key, 'elsewhere' or 'remote'
    availability: str | None
    status: str  # open, paused, matched, closed, expired
    created_at: datetime
    updated_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class Page:
    listings: list[Listing]
    has_more: bool


# What else posting a listing writes, in the same transaction (its due work, its notices).
Along = Callable[[sqlite3.Connection, Listing], None]

_EDITABLE = frozenset({"category", "title", "details", "place", "availability", "expires_at"})


class ListingRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        member_id: int,
        kind: str,
        category: str,
        title: str,
        details: str,
        place: str,
        availability: str | None,
        now: datetime,
        expires_at: datetime,
        *,
        form_id: int | None = None,
        along: Along | None = None,
    ) -> Listing:
        """Post a listing, and whatever `along` writes with it, in one transaction. Made by a
        form (`form_id`), it is posted once: the form's outcome records it in the same
        transaction, so a repeated Post, even after a restart, returns the first one (and
        `along` is not called again)."""
        made = await self._db.write(
            lambda tx: create_in(
                tx,
                member_id,
                kind,
                category,
                title,
                details,
                place,
                availability,
                now,
                expires_at,
                form_id=form_id,
                along=along,
            )
        )
        return await self._reload(made)

    async def get(self, listing_id: int) -> Listing | None:
        row = await self._db.fetch_one("SELECT * FROM listings WHERE id = ?", (listing_id,))
        return listing_from_row(row) if row else None

    async def update(
        self,
        listing_id: int,
        now: datetime,
        *,
        then: Then[Listing] | None = None,
        **changes: object,
    ) -> Listing:
        """Change a listing; `then` says what follows from it as changed (e.g. its due work)."""

        def change(tx: sqlite3.Connection) -> None:
            update_in(tx, listing_id, now, changes)
            if then is not None:
                follow_in(tx, then, listing_in(tx, listing_id), now)

        await self._db.write(change)
        return await self._reload(listing_id)

    async def set_status_if(
        self,
        listing_id: int,
        expected: tuple[str, ...],
        new: str,
        now: datetime,
        expires_at: datetime | None = None,
        *,
        then: Then[bool] | None = None,
    ) -> bool:
        """Move a listing to `new` if it is in one of `expected`; False if it was not. `then`
        says what follows (given whether it moved), written in the same transaction."""
        return await self._db.write(
            lambda tx: follow_in(
                tx, then, set_status_if_in(tx, listing_id, expected, new, now, expires_at), now
            )
        )

    async def by_member(self, member_id: int) -> list[Listing]:
        rows = await self._db.fetch_all(
            "SELECT * FROM listings WHERE member_id = ? AND status IN ('open', 'paused', 'matched')"
            " ORDER BY created_at DESC, id DESC",
            (member_id,),
        )
        return [listing_from_row(row) for row in rows]

    async def browse(
        self,
        kind: str,
        category: str | None,
        place: str | None,
        offset: int,
        limit: int,
        exclude_member: int | None = None,
    ) -> Page:
        """Open listings, newest first; `place` keeps that area's and remote ones."""
        # A suspended member's listings are hidden while they are away.
        clauses = [
            "status = 'open'",
            "kind = ?",
            "member_id IN (SELECT id FROM members WHERE status = 'active')",
        ]
        params: list[object] = [kind]
        if category:
            clauses.append("category = ?")
            params.append(category)
        if place:
            clauses.append("place IN (?, 'remote')")
            params.append(place)
        if exclude_member is not None:
            clauses.append("member_id != ?")
            params.append(exclude_member)
        rows = await self._db.fetch_all(
            f"SELECT * FROM listings WHERE {' AND '.join(clauses)}"
            " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
            (*params, limit + 1, offset),
        )
        listings = [listing_from_row(row) for row in rows]
        return Page(listings[:limit], has_more=len(listings) > limit)

    async def has_accepted_introduction(self, listing_id: int) -> bool:
        row = await self._db.fetch_one(
            "SELECT 1 FROM introductions WHERE listing_id = ? AND status = 'accepted' LIMIT 1",
            (listing_id,),
        )
        return row is not None

    async def _reload(self, listing_id: int) -> Listing:
        listing = await self.get(listing_id)
        if listing is None:
            raise LookupError(f"listing {listing_id} does not exist")
        return listing


def create_in(
    tx: sqlite3.Connection,
    member_id: int,
    kind: str,
    category: str,
    title: str,
    details: str,
    place: str,
    availability: str | None,
    now: datetime,
    expires_at: datetime,
    *,
    form_id: int | None = None,
    along: Along | None = None,
) -> int:
    """Post a listing inside the caller's write, with whatever `along` writes with it; its id.
    Made by a form, it is posted once: the form's outcome records it, and a repeated call
    returns the first one's id (without calling `along` again)."""
    if form_id is not None and (made := made_by_in(tx, form_id)) is not None:
        return made
    cursor = tx.execute(
        "INSERT INTO listings (member_id, kind, category, title, details, place,"
        " availability, status, created_at, updated_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)",
        (
            member_id,
            kind,
            category,
            title,
            details,
            place,
            availability,
            to_db(now),
            to_db(now),
            to_db(expires_at),
        ),
    )
    made = cursor.lastrowid
    if made is None:
        raise RuntimeError("the new listing has no id")
    search.index_listing_in(tx, made, title, details)
    if form_id is not None:
        record_made_in(tx, form_id, made)
    if along is not None:
        along(tx, listing_in(tx, made))
    return made


def listing_in(tx: sqlite3.Connection, listing_id: int) -> Listing:
    """A listing as it stands inside the caller's write."""
    row = fetch_one_in(tx, "SELECT * FROM listings WHERE id = ?", (listing_id,))
    if row is None:
        raise LookupError(f"listing {listing_id} does not exist")
    return listing_from_row(row)


def update_in(
    tx: sqlite3.Connection, listing_id: int, now: datetime, changes: dict[str, object]
) -> None:
    """Change a listing's editable columns, indexing new words for search."""
    update_row_in(tx, "listings", ("id", listing_id), changes, _EDITABLE, now)
    if "title" in changes or "details" in changes:
        row = fetch_one_in(tx, "SELECT title, details FROM listings WHERE id = ?", (listing_id,))
        if row is not None:
            search.index_listing_in(tx, listing_id, row["title"], row["details"])


def set_status_if_in(
    tx: sqlite3.Connection,
    listing_id: int,
    expected: tuple[str, ...],
    new: str,
    now: datetime,
    expires_at: datetime | None = None,
) -> bool:
    """Move a listing to `new` (renewed, closed, expired...) if it is in one of `expected`,
    inside the caller's write; False if it was not."""
    marks = ", ".join("?" for _ in expected)
    expiry_sql = ", expires_at = ?" if expires_at else ""
    expiry_value = (to_db(expires_at),) if expires_at else ()
    cursor = tx.execute(
        f"UPDATE listings SET status = ?, updated_at = ?{expiry_sql}"
        f" WHERE id = ? AND status IN ({marks})",
        (new, to_db(now), *expiry_value, listing_id, *expected),
    )
    return cursor.rowcount == 1


def listing_from_row(row: sqlite3.Row) -> Listing:
    created_at = required_from_db(row["created_at"], "listings.created_at")
    updated_at = required_from_db(row["updated_at"], "listings.updated_at")
    expires_at = required_from_db(row["expires_at"], "listings.expires_at")
    return Listing(
        id=row["id"],
        member_id=row["member_id"],
        kind=row["kind"],
        category=row["category"],
        title=row["title"],
        details=row["details"],
        place=row["place"],
        availability=row["availability"],
        status=row["status"],
        created_at=created_at,
        updated_at=updated_at,
        expires_at=expires_at,
    )
