"""Introductions between two members, and blocks between them.

Every change of state is a compare-and-set inside one serialised transaction, so a double tap
or two members pressing at once change each thing exactly once.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from storage.database import Database, fetch_one_in
from storage.effects import Then, follow_in
from storage.forms import finish_in
from storage.listings import Listing, listing_from_row
from storage.timestamps import required_from_db, to_db

ACTIVE = ("proposed", "accepted")
_BY_ID = "SELECT * FROM introductions WHERE id = ?"


@dataclass(frozen=True)
class Introduction:
    id: int
    listing_id: int | None
    owner_id: int  # who posted the listing
    responder_id: int  # who offered to help, asked for the offer, or was suggested by a broker
    brokered_by: int | None
    status: str  # proposed, accepted, declined, ended
    owner_accepted: bool
    responder_accepted: bool
    owner_shares: bool
    responder_shares: bool
    ended_by: int | None
    created_at: datetime
    updated_at: datetime
    owner_card: int | None = None  # the message showing it to the owner, with its buttons
    responder_card: int | None = None

    @property
    def both_share(self) -> bool:
        return self.owner_shares and self.responder_shares

    def involves(self, member_id: int) -> bool:
        return member_id in (self.owner_id, self.responder_id)

    def other(self, member_id: int) -> int:
        return self.responder_id if member_id == self.owner_id else self.owner_id

    def has_accepted(self, member_id: int) -> bool:
        return self.owner_accepted if member_id == self.owner_id else self.responder_accepted

    def shares(self, member_id: int) -> bool:
        return self.owner_shares if member_id == self.owner_id else self.responder_shares

    def card_of(self, member_id: int) -> int | None:
        """The message id of the member's live card for this introduction, if any."""
        return self.owner_card if member_id == self.owner_id else self.responder_card


@dataclass(frozen=True)
class Created:
    introduction: Introduction
    created: bool  # False: it already existed (a double tap), nothing changed


@dataclass(frozen=True)
class Changed:
    introduction: Introduction
    changed: bool  # False: it was already so, or no longer possible
    # Members introduced for the first time ever by this change: they get the safety advice.
    advised: frozenset[int] = frozenset()


class IntroductionRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        listing_id: int,
        owner_id: int,
        responder_id: int,
        now: datetime,
        brokered_by: int | None = None,
        then: Then[Created] | None = None,
    ) -> Created:
        """Propose an introduction; one per listing and responder, however often it is asked.

        A member who asks has accepted already; a brokered one needs both members to accept.
        """
        return await self._db.write(
            lambda tx: follow_in(
                tx, then, create_in(tx, listing_id, owner_id, responder_id, now, brokered_by), now
            )
        )

    async def get(self, introduction_id: int) -> Introduction | None:
        row = await self._db.fetch_one(_BY_ID, (introduction_id,))
        return _introduction(row) if row else None

    async def accept(
        self,
        introduction_id: int,
        member_id: int,
        now: datetime,
        then: Then[Changed] | None = None,
    ) -> Changed:
        """Record the member's yes; `changed` is True only for the yes that completes it."""
        return await self._db.write(
            lambda tx: follow_in(tx, then, accept_in(tx, introduction_id, member_id, now), now)
        )

    async def decline(
        self,
        introduction_id: int,
        member_id: int,
        now: datetime,
        then: Then[Changed] | None = None,
    ) -> Changed:
        """Say no to a proposed introduction; only the first no changes anything."""
        return await self._db.write(
            lambda tx: follow_in(tx, then, decline_in(tx, introduction_id, member_id, now), now)
        )

    async def end(
        self,
        introduction_id: int,
        member_id: int,
        now: datetime,
        then: Then[Changed] | None = None,
    ) -> Changed:
        """End a proposed or accepted introduction; ending it twice changes nothing."""
        return await self._db.write(
            lambda tx: follow_in(tx, then, end_in(tx, introduction_id, member_id, now), now)
        )

    async def set_share(
        self,
        introduction_id: int,
        member_id: int,
        share: bool,
        now: datetime,
        then: Then[Changed] | None = None,
    ) -> Changed:
        """Agree (or not yet) to share one's contact in an accepted introduction.

        Once both have agreed the contacts are out, so it can no longer be taken back.
        """
        return await self._db.write(
            lambda tx: follow_in(
                tx, then, set_share_in(tx, introduction_id, member_id, share, now), now
            )
        )

    async def pass_on(
        self, form_id: int, introduction_id: int, now: datetime, then: Then[bool]
    ) -> bool:
        """A message typed in the relay form: the form finishes, once, together with what
        follows (the message queued for the other member); False if it had finished already."""
        return await self._db.write(
            lambda tx: follow_in(tx, then, finish_in(tx, form_id, now, introduction_id), now)
        )

    async def set_card(
        self, introduction_id: int, member_id: int, message_id: int | None
    ) -> int | None:
        """Make `message_id` the member's live card for the introduction; returns the one it
        replaces (whose buttons should go), if any and different."""
        return await self._db.write(
            lambda tx: set_card_in(tx, introduction_id, member_id, message_id)
        )

    async def replace_card(
        self, introduction_id: int, member_id: int, expected: int | None, message_id: int | None
    ) -> bool:
        """Make `message_id` the member's live card only if it is still `expected` (a new card
        sent meanwhile stays live); True if it was."""
        return await self._db.write(
            lambda tx: replace_card_in(tx, introduction_id, member_id, expected, message_id)
        )

    async def active_for(self, member_id: int, limit: int = 20) -> list[Introduction]:
        """The member's proposed and accepted introductions, newest first."""
        rows = await self._db.fetch_all(
            "SELECT * FROM introductions WHERE (owner_id = ? OR responder_id = ?)"
            " AND status IN ('proposed', 'accepted') ORDER BY created_at DESC, id DESC LIMIT ?",
            (member_id, member_id, limit),
        )
        return [_introduction(row) for row in rows]

    async def partners_of(self, member_id: int, limit: int = 6) -> list[Introduction]:
        """The member's introductions both accepted (still open or ended), one per other
        member, the latest first: the people they are likely to exchange time with."""
        rows = await self._db.fetch_all(
            "SELECT * FROM introductions WHERE (owner_id = ? OR responder_id = ?)"
            " AND status IN ('accepted', 'ended') AND owner_accepted AND responder_accepted"
            " ORDER BY updated_at DESC, id DESC",
            (member_id, member_id),
        )
        seen: set[int] = set()
        partners = []
        for intro in map(_introduction, rows):
            if intro.other(member_id) not in seen:
                seen.add(intro.other(member_id))
                partners.append(intro)
        return partners[:limit]

    async def latest_between(self, member_id: int, other_id: int) -> Introduction | None:
        """The latest introduction of these two that both accepted (open or ended), if any."""
        row = await self._db.fetch_one(
            "SELECT * FROM introductions WHERE ((owner_id = ? AND responder_id = ?)"
            " OR (owner_id = ? AND responder_id = ?))"
            " AND status IN ('accepted', 'ended') AND owner_accepted AND responder_accepted"
            " ORDER BY updated_at DESC, id DESC LIMIT 1",
            (member_id, other_id, other_id, member_id),
        )
        return _introduction(row) if row else None

    async def unanswered_requests(self, offset: int, limit: int) -> tuple[list[Listing], bool]:
        """Open requests of active members with no accepted introduction, oldest first."""
        rows = await self._db.fetch_all(
            "SELECT l.* FROM listings AS l JOIN members AS m ON m.id = l.member_id"
            " WHERE l.status = 'open' AND l.kind = 'request' AND m.status = 'active'"
            " AND NOT EXISTS (SELECT 1 FROM introductions AS i"
            "   WHERE i.listing_id = l.id AND i.status = 'accepted')"
            " ORDER BY l.created_at, l.id LIMIT ? OFFSET ?",
            (limit + 1, offset),
        )
        listings = [listing_from_row(row) for row in rows]
        return listings[:limit], len(listings) > limit

    async def possible_helpers(self, listing: Listing, limit: int = 5) -> list[int]:
        """Ids of active members who offer the listing's category and could be introduced:
        not its owner, not blocked either way, not already introduced for it. Nearby first."""
        rows = await self._db.fetch_all(
            "SELECT m.id FROM member_offer_categories AS c JOIN members AS m ON m.id = c.member_id"
            " WHERE c.category = ? AND m.status = 'active' AND m.telegram_id IS NOT NULL"
            " AND m.id != ?"
            " AND NOT EXISTS (SELECT 1 FROM blocks AS b WHERE (b.blocker_id = ? AND"
            "   b.blocked_id = m.id) OR (b.blocker_id = m.id AND b.blocked_id = ?))"
            " AND NOT EXISTS (SELECT 1 FROM introductions AS i"
            "   WHERE i.listing_id = ? AND i.responder_id = m.id)"
            " ORDER BY (m.area = ?) DESC, m.last_active_at DESC, m.id LIMIT ?",
            (
                listing.category,
                listing.member_id,
                listing.member_id,
                listing.member_id,
                listing.id,
                listing.place,
                limit,
            ),
        )
        return [row["id"] for row in rows]


class BlockRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def block(self, blocker_id: int, blocked_id: int, now: datetime) -> bool:
        """Block a member; True the first time. In the same transaction, any active introduction
        between them ends and queued match notices between them are dropped."""
        return await self._db.write(lambda tx: block_in(tx, blocker_id, blocked_id, now))

    async def is_blocked_either_way(self, a: int, b: int) -> bool:
        row = await self._db.fetch_one(
            "SELECT 1 FROM blocks WHERE (blocker_id = ? AND blocked_id = ?)"
            " OR (blocker_id = ? AND blocked_id = ?)",
            (a, b, b, a),
        )
        return row is not None


def create_in(
    tx: sqlite3.Connection,
    listing_id: int,
    owner_id: int,
    responder_id: int,
    now: datetime,
    brokered_by: int | None = None,
) -> Created:
    """Propose an introduction inside the caller's write (see IntroductionRepository.create)."""
    stamp = to_db(now)
    cursor = tx.execute(
        "INSERT INTO introductions (listing_id, owner_id, responder_id, brokered_by,"
        " status, owner_accepted, responder_accepted, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, 'proposed', 0, ?, ?, ?)"
        " ON CONFLICT (listing_id, responder_id) DO NOTHING",
        (
            listing_id,
            owner_id,
            responder_id,
            brokered_by,
            0 if brokered_by is not None else 1,
            stamp,
            stamp,
        ),
    )
    created = cursor.rowcount == 1
    row = fetch_one_in(
        tx,
        "SELECT * FROM introductions WHERE listing_id = ? AND responder_id = ?",
        (listing_id, responder_id),
    )
    if row is None:
        raise RuntimeError("the introduction just written is missing")
    return Created(_introduction(row), created)


def accept_in(
    tx: sqlite3.Connection, introduction_id: int, member_id: int, now: datetime
) -> Changed:
    """Record the member's yes inside the caller's write; `changed` only for the yes that
    completes it (a request it settles is matched in the same write, and members introduced
    for the first time ever are marked as given the safety advice)."""
    stamp = to_db(now)
    for side in ("owner", "responder"):
        tx.execute(
            f"UPDATE introductions SET {side}_accepted = 1, updated_at = ?"
            f" WHERE id = ? AND status = 'proposed' AND {side}_id = ?"
            f" AND {side}_accepted = 0",
            (stamp, introduction_id, member_id),
        )
    cursor = tx.execute(
        "UPDATE introductions SET status = 'accepted', updated_at = ?"
        " WHERE id = ? AND status = 'proposed' AND owner_accepted = 1"
        " AND responder_accepted = 1",
        (stamp, introduction_id),
    )
    changed = cursor.rowcount == 1
    intro = _reloaded(tx, introduction_id)
    if not changed:
        return Changed(intro, False)
    # A request has found its helper; an offer stays open for others.
    tx.execute(
        "UPDATE listings SET status = 'matched', updated_at = ? WHERE kind = 'request'"
        " AND status = 'open'"
        " AND id = (SELECT listing_id FROM introductions WHERE id = ?)",
        (stamp, introduction_id),
    )
    advised = frozenset(
        member
        for member in (intro.owner_id, intro.responder_id)
        if tx.execute(
            "UPDATE members SET safety_advice_at = ? WHERE id = ? AND safety_advice_at IS NULL"
            " AND telegram_id IS NOT NULL",
            (stamp, member),
        ).rowcount
        == 1
    )
    return Changed(intro, True, advised)


def decline_in(
    tx: sqlite3.Connection, introduction_id: int, member_id: int, now: datetime
) -> Changed:
    """Say no to a proposed introduction inside the caller's write; only the first no counts."""
    return _finish_in(tx, introduction_id, member_id, "declined", ("proposed",), now)


def end_in(tx: sqlite3.Connection, introduction_id: int, member_id: int, now: datetime) -> Changed:
    """End a proposed or accepted introduction inside the caller's write; once."""
    return _finish_in(tx, introduction_id, member_id, "ended", ACTIVE, now)


def set_share_in(
    tx: sqlite3.Connection, introduction_id: int, member_id: int, share: bool, now: datetime
) -> Changed:
    """Agree (or not yet) to share one's contact, inside the caller's write; once both have
    agreed it can no longer be taken back."""
    stamp = to_db(now)
    changed = False
    for side in ("owner", "responder"):
        result = tx.execute(
            f"UPDATE introductions SET {side}_shares = ?, updated_at = ?"
            f" WHERE id = ? AND status = 'accepted' AND {side}_id = ?"
            f" AND {side}_shares = ? AND NOT (owner_shares = 1 AND responder_shares = 1)",
            (int(share), stamp, introduction_id, member_id, int(not share)),
        )
        changed = changed or result.rowcount == 1
    return Changed(_reloaded(tx, introduction_id), changed)


def set_card_in(
    tx: sqlite3.Connection, introduction_id: int, member_id: int, message_id: int | None
) -> int | None:
    """Make `message_id` the member's live card, inside the caller's write; the one it
    replaces, if any and different."""
    row = fetch_one_in(tx, _BY_ID, (introduction_id,))
    if row is None:
        return None
    side = "owner" if row["owner_id"] == member_id else "responder"
    if row[f"{side}_id"] != member_id:
        return None
    tx.execute(
        f"UPDATE introductions SET {side}_card = ? WHERE id = ?", (message_id, introduction_id)
    )
    previous: int | None = row[f"{side}_card"]
    return previous if previous != message_id else None


def replace_card_in(
    tx: sqlite3.Connection,
    introduction_id: int,
    member_id: int,
    expected: int | None,
    message_id: int | None,
) -> bool:
    """Make `message_id` the member's live card if it is still `expected`, inside the
    caller's write; True if it was."""
    row = fetch_one_in(tx, _BY_ID, (introduction_id,))
    if row is None or member_id not in (row["owner_id"], row["responder_id"]):
        return False
    side = "owner" if row["owner_id"] == member_id else "responder"
    cursor = tx.execute(
        f"UPDATE introductions SET {side}_card = ? WHERE id = ? AND {side}_card IS ?",
        (message_id, introduction_id, expected),
    )
    return cursor.rowcount == 1


def block_in(tx: sqlite3.Connection, blocker_id: int, blocked_id: int, now: datetime) -> bool:
    """Block a member inside the caller's write; True the first time. Any active introduction
    between them ends and queued match notices between them are dropped."""
    stamp = to_db(now)
    cursor = tx.execute(
        "INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES (?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        (blocker_id, blocked_id, stamp),
    )
    blocked = cursor.rowcount == 1
    tx.execute(
        "UPDATE introductions SET status = 'ended', ended_by = ?, updated_at = ?"
        " WHERE status IN ('proposed', 'accepted') AND ((owner_id = ? AND responder_id = ?)"
        " OR (owner_id = ? AND responder_id = ?))",
        (blocker_id, stamp, blocker_id, blocked_id, blocked_id, blocker_id),
    )
    tx.execute(
        "UPDATE match_notices SET status = 'dropped' WHERE status = 'queued' AND ("
        " (member_id = ? AND listing_id IN (SELECT id FROM listings WHERE member_id = ?))"
        " OR (member_id = ? AND listing_id IN"
        "   (SELECT id FROM listings WHERE member_id = ?)))",
        (blocker_id, blocked_id, blocked_id, blocker_id),
    )
    return blocked


def _finish_in(
    tx: sqlite3.Connection,
    introduction_id: int,
    member_id: int,
    status: str,
    expected: tuple[str, ...],
    now: datetime,
) -> Changed:
    marks = ", ".join("?" for _ in expected)
    cursor = tx.execute(
        f"UPDATE introductions SET status = ?, ended_by = ?, updated_at = ?"
        f" WHERE id = ? AND status IN ({marks}) AND ? IN (owner_id, responder_id)",
        (status, member_id, to_db(now), introduction_id, *expected, member_id),
    )
    return Changed(_reloaded(tx, introduction_id), cursor.rowcount == 1)


def _reloaded(tx: sqlite3.Connection, introduction_id: int) -> Introduction:
    row = fetch_one_in(tx, _BY_ID, (introduction_id,))
    if row is None:
        raise LookupError(f"introduction {introduction_id} does not exist")
    return _introduction(row)


def _introduction(row: sqlite3.Row) -> Introduction:
    created_at = required_from_db(row["created_at"], "introductions.created_at")
    updated_at = required_from_db(row["updated_at"], "introductions.updated_at")
    return Introduction(
        id=row["id"],
        listing_id=row["listing_id"],
        owner_id=row["owner_id"],
        responder_id=row["responder_id"],
        brokered_by=row["brokered_by"],
        status=row["status"],
        owner_accepted=bool(row["owner_accepted"]),
        responder_accepted=bool(row["responder_accepted"]),
        owner_shares=bool(row["owner_shares"]),
        responder_shares=bool(row["responder_shares"]),
        ended_by=row["ended_by"],
        created_at=created_at,
        updated_at=updated_at,
        owner_card=row["owner_card"],
        responder_card=row["responder_card"],
    )
