"""Listing drafts: what a member has written so far, kept until they post or cancel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.database import Database
from storage.listings import Listing
from storage.timestamps import to_db

_FIELDS = frozenset({"category", "title", "details", "place", "availability", "days"})


@dataclass(frozen=True)
class Draft:
    member_id: int
    listing_id: int | None
    kind: str
    category: str | None
    title: str | None
    details: str | None
    place: str | None
    availability: str | None
    days: int | None


class DraftRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def start(self, member_id: int, kind: str, now: datetime) -> Draft:
        """A fresh draft, replacing any earlier one."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT OR REPLACE INTO listing_drafts (member_id, kind, updated_at)"
                " VALUES (?, ?, ?)",
                (member_id, kind, to_db(now)),
            )
        return await self._reload(member_id)

    async def start_from(self, listing: Listing, now: datetime) -> Draft:
        """A draft holding an existing listing, for editing it."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT OR REPLACE INTO listing_drafts (member_id, listing_id, kind, category,"
                " title, details, place, availability, days, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
                (
                    listing.member_id,
                    listing.id,
                    listing.kind,
                    listing.category,
                    listing.title,
                    listing.details,
                    listing.place,
                    listing.availability,
                    to_db(now),
                ),
            )
        return await self._reload(listing.member_id)

    async def get(self, member_id: int) -> Draft | None:
        row = await self._db.fetch_one(
            "SELECT * FROM listing_drafts WHERE member_id = ?", (member_id,)
        )
        if row is None:
            return None
        return Draft(**{key: row[key] for key in Draft.__dataclass_fields__})

    async def set(self, member_id: int, now: datetime, **values: object) -> Draft:
        await self._db.update_row("listing_drafts", ("member_id", member_id), values, _FIELDS, now)
        return await self._reload(member_id)

    async def discard(self, member_id: int) -> None:
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM listing_drafts WHERE member_id = ?", (member_id,))

    async def _reload(self, member_id: int) -> Draft:
        draft = await self.get(member_id)
        if draft is None:
            raise LookupError(f"member {member_id} has no draft")
        return draft
