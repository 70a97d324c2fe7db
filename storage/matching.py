"""Matching: finding candidates for a listing, and the queue of match notices."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from bot.domain.matching import REMOTE, Candidate, fts_query
from storage import search
from storage.database import Database
from storage.listings import Listing
from storage.timestamps import from_db, required_from_db, to_db

# How many members each source (category, listings' words, members' words...) may put
# forward before ranking: the best few are picked from these, so this bounds the work.
POOL = 80
# Text search scores only the newest this-many listings (or members) sharing a word, so common
# words cannot make it slow; newer listings are the ones most likely still wanted.
TEXT_WINDOW = 400

# Who may be told anything at all: active, reachable (on Telegram, and has not blocked the
# bot), notices on, and for this category.
# Named parameters :owner (the listing's owner) and :category; `m` is the member.
_MAY_BE_TOLD = (
    "m.status = 'active' AND m.telegram_id IS NOT NULL AND m.notices_enabled = 1"
    " AND m.unreachable_since IS NULL AND m.id != :owner"
    " AND (NOT EXISTS (SELECT 1 FROM notice_categories AS nc WHERE nc.member_id = m.id)"
    "   OR EXISTS (SELECT 1 FROM notice_categories AS nc"
    "     WHERE nc.member_id = m.id AND nc.category = :category))"
    " AND NOT EXISTS (SELECT 1 FROM blocks AS b"
    "   WHERE b.blocker_id = :owner AND b.blocked_id = m.id)"
    " AND NOT EXISTS (SELECT 1 FROM blocks AS b"
    "   WHERE b.blocker_id = m.id AND b.blocked_id = :owner)"
)


@dataclass(frozen=True)
class Notice:
    id: int
    listing_id: int
    member_id: int
    score: float
    status: str  # queued, sent, accepted, declined, dropped
    created_at: datetime
    send_after: datetime
    sent_at: datetime | None


@dataclass(frozen=True)
class NoticePreferences:
    enabled: bool
    categories: frozenset[str]  # the kinds they want; empty means every kind

    def wants(self, category: str) -> bool:
        return self.enabled and (not self.categories or category in self.categories)


class MatchingRepository:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._words_ready = False

    # --- candidates -------------------------------------------------------------------------

    async def candidates(
        self, listing: Listing, since_day: datetime, since_week: datetime, pool: int = POOL
    ) -> list[Candidate]:
        """Members who might hear about `listing`, before ranking.

        For a request: members who offer its category, have open offers in it, or whose offers
        (listings or own words) share its words. For an offer: members with open requests in
        its category or sharing its words. Never the owner, anyone not active, anyone with
        notices off or limited to other kinds, anyone blocked either way with the owner, or
        anyone already told about this listing.
        """
        if not self._words_ready:
            # Once a start: words indexed as plain text (before migration 0010, or by a
            # writer that forgot) or by an older normaliser are normalised again.
            await search.catch_up(self._db)
            self._words_ready = True
        other_kind = "offer" if listing.kind == "request" else "request"
        query = fts_query(listing.title, listing.details)
        # Each source: (member_id, category fit, relevance, place, availability) rows. One
        # statement in all, so SQLite does the work in one go; the named parameters are below.
        sources = [
            # Open listings of the other kind in the same category, newest first.
            "SELECT member_id, 1 AS fit, 0.0 AS rel, place, availability, 1 AS listed"
            " FROM listings WHERE status = 'open' AND kind = :other_kind AND category = :category"
            " ORDER BY created_at DESC LIMIT :pool"
        ]
        if query is not None:
            # Open listings of the other kind sharing words (normalised, see storage.search),
            # most relevant first.
            sources.append(
                "SELECT l.member_id, l.category = :category, -f.b, l.place, l.availability, 1 FROM"
                " (SELECT rowid AS id, bm25(listings_fts, 2.0, 1.0) AS b FROM listings_fts"
                "   WHERE listings_fts MATCH :words ORDER BY rowid DESC LIMIT :window) AS f"
                " JOIN listings AS l ON l.id = f.id"
                " WHERE l.status = 'open' AND l.kind = :other_kind"
                " ORDER BY f.b LIMIT :pool"
            )
        if listing.kind == "request":
            # Members who offer the category, most recently active first, and nearby ones.
            offering = (
                "SELECT m.id, 1, 0.0, NULL, NULL, 0 FROM members AS m"
                " WHERE m.status = 'active' AND m.notices_enabled = 1{area}"
                " AND EXISTS (SELECT 1 FROM member_offer_categories AS c"
                "   WHERE c.member_id = m.id AND c.category = :category)"
                " ORDER BY m.last_active_at DESC LIMIT :pool"
            )
            sources.append(offering.format(area=""))
            if listing.place != REMOTE:
                sources.append(offering.format(area=" AND m.area = :place"))
            if query is not None:
                # Members whose own words about what they offer fit.
                sources.append(
                    "SELECT id, 0, -b, NULL, NULL, 0 FROM (SELECT rowid AS id,"
                    " bm25(members_offers_fts) AS b FROM members_offers_fts"
                    " WHERE members_offers_fts MATCH :words ORDER BY rowid DESC LIMIT :window)"
                    " ORDER BY b LIMIT :pool"
                )
        pools = ", ".join(f"s{n} AS ({sql})" for n, sql in enumerate(sources))
        union = " UNION ALL ".join(f"SELECT * FROM s{n}" for n in range(len(sources)))
        rows = await self._db.fetch_all(
            f"WITH {pools}, found (member_id, fit, rel, place, availability, listed) AS"
            f" ({union}),"
            " fits AS (SELECT member_id, max(fit) AS fit, max(rel) AS rel,"
            "   group_concat(DISTINCT place) AS places,"
            "   group_concat(DISTINCT availability) AS times,"
            "   sum(listed AND availability IS NULL) AS any_time, sum(listed) AS listed"
            "   FROM found GROUP BY member_id)"
            " SELECT m.id, m.telegram_id, m.language, m.area,"
            " coalesce(m.last_active_at, m.joined_at) AS active_at,"
            " f.fit OR (:is_request AND EXISTS (SELECT 1 FROM member_offer_categories AS c"
            "   WHERE c.member_id = m.id AND c.category = :category)) AS fit,"
            " f.rel, f.places, f.times, f.any_time, f.listed,"
            " (SELECT count(*) FROM match_notices AS n"
            "   WHERE n.member_id = m.id AND n.sent_at >= :since_day) AS today,"
            " (SELECT count(*) FROM match_notices AS n"
            "   WHERE n.member_id = m.id AND n.sent_at >= :since_week) AS week"
            " FROM fits AS f JOIN members AS m ON m.id = f.member_id"
            f" WHERE {_MAY_BE_TOLD}"
            " AND NOT EXISTS (SELECT 1 FROM match_notices AS n"
            "   WHERE n.listing_id = :listing AND n.member_id = m.id)",
            {
                "owner": listing.member_id,
                "category": listing.category,
                "other_kind": other_kind,
                "pool": pool,
                "words": query or "",
                "window": TEXT_WINDOW,
                "place": listing.place,
                "is_request": listing.kind == "request",
                "since_day": to_db(since_day),
                "since_week": to_db(since_week),
                "listing": listing.id,
            },
        )
        return [
            Candidate(
                member_id=row["id"],
                telegram_id=row["telegram_id"],
                language=row["language"],
                category_fit=bool(row["fit"]),
                text_relevance=row["rel"],
                area=row["area"],
                places=frozenset(row["places"].split(",") if row["places"] else ()),
                availability=None
                if not row["listed"] or row["any_time"] or not row["times"]
                else frozenset(row["times"].split(",")),
                last_active_at=from_db(row["active_at"]),
                sent_today=row["today"],
                sent_week=row["week"],
            )
            for row in rows
        ]

    async def deliverable(self, notice_id: int) -> bool:
        """Whether a notice may still go out: the listing is open, its owner active, and the
        member may still be told (active, notices on for this kind, no block either way)."""
        return await self._db.fetch_one(_DELIVERABLE, {"notice": notice_id}) is not None

    # --- the notice queue -------------------------------------------------------------------

    async def record(
        self, listing_id: int, planned: list[tuple[int, float, datetime]], now: datetime
    ) -> list[Notice]:
        """Queue notices (member id, score, send after) for a listing; one per member, ever, so
        recording again changes nothing. Returns the listing's notices."""
        await self._db.write(lambda tx: record_in(tx, listing_id, planned, now))
        return await self.for_listing(listing_id)

    async def get(self, notice_id: int) -> Notice | None:
        row = await self._db.fetch_one("SELECT * FROM match_notices WHERE id = ?", (notice_id,))
        return _notice(row) if row else None

    async def for_listing(self, listing_id: int) -> list[Notice]:
        rows = await self._db.fetch_all(
            "SELECT * FROM match_notices WHERE listing_id = ? ORDER BY score DESC, id",
            (listing_id,),
        )
        return [_notice(row) for row in rows]

    async def claim(self, notice: Notice, now: datetime, since_day: datetime, cap: int) -> bool:
        """Mark a queued notice sent, if the member is still under today's cap; False if not
        (already sent, or the cap is used up). Sending goes through `send_due_in` instead."""
        cursor = await self._db.write(
            lambda tx: tx.execute(
                "UPDATE match_notices SET status = 'sent', sent_at = ?"
                " WHERE id = ? AND status = 'queued' AND (SELECT count(*) FROM match_notices"
                "   WHERE member_id = ? AND sent_at >= ?) < ?",
                (to_db(now), notice.id, notice.member_id, to_db(since_day), cap),
            )
        )
        return cursor.rowcount == 1

    async def drop(self, notice_id: int) -> None:
        """A notice that will never go out (listing closed, member gone or unreachable)."""
        await self._db.write(
            lambda tx: tx.execute(
                "UPDATE match_notices SET status = 'dropped' WHERE id = ? AND status = 'queued'",
                (notice_id,),
            )
        )

    async def decline(self, notice_id: int, member_id: int) -> bool:
        """ "Not this time", by the member the notice was for; False if it was not theirs or
        was already answered."""
        cursor = await self._db.write(
            lambda tx: tx.execute(
                "UPDATE match_notices SET status = 'declined'"
                " WHERE id = ? AND member_id = ? AND status = 'sent'",
                (notice_id, member_id),
            )
        )
        return cursor.rowcount == 1

    async def accept(self, listing_id: int, member_id: int) -> bool:
        """The member answered the notice with "I can help" / "I'd like this"."""
        return await self._db.write(lambda tx: accept_in(tx, listing_id, member_id))

    async def prune(self, before: datetime) -> int:
        """Forget notices made and sent before `before`, except those matching may still need;
        how many went (see prune_in)."""
        return await self._db.write(lambda tx: prune_in(tx, before))

    async def sent_since(self, member_id: int, since: datetime) -> int:
        row = await self._db.fetch_one(
            "SELECT count(*) FROM match_notices WHERE member_id = ? AND sent_at >= ?",
            (member_id, to_db(since)),
        )
        return int(row[0]) if row else 0

    async def touch(self, member_id: int, now: datetime) -> None:
        """The member did something: recent activity counts in matching."""
        await self._db.write(lambda tx: touch_in(tx, member_id, now))

    # --- preferences ------------------------------------------------------------------------

    async def preferences(self, member_id: int) -> NoticePreferences:
        row = await self._db.fetch_one(
            "SELECT notices_enabled FROM members WHERE id = ?", (member_id,)
        )
        rows = await self._db.fetch_all(
            "SELECT category FROM notice_categories WHERE member_id = ?", (member_id,)
        )
        return NoticePreferences(
            enabled=bool(row and row[0]), categories=frozenset(r["category"] for r in rows)
        )

    async def set_enabled(self, member_id: int, enabled: bool) -> NoticePreferences:
        await self._db.write(
            lambda tx: tx.execute(
                "UPDATE members SET notices_enabled = ? WHERE id = ?", (int(enabled), member_id)
            )
        )
        return await self.preferences(member_id)

    async def set_category(
        self, member_id: int, category: str, wanted: bool, every: frozenset[str]
    ) -> NoticePreferences | None:
        """Want notices for a kind, or not; setting the same twice changes nothing. `every` is
        all the configured kinds. None if that would leave no kind at all (turn notices off
        instead)."""
        chose = await self._db.write(
            lambda tx: _set_category_in(tx, member_id, category, wanted, every)
        )
        return await self.preferences(member_id) if chose else None


_DELIVERABLE = (
    "SELECT 1 FROM match_notices AS n JOIN listings AS l ON l.id = n.listing_id"
    " JOIN members AS o ON o.id = l.member_id JOIN members AS m ON m.id = n.member_id"
    " WHERE n.id = :notice AND l.status = 'open' AND o.status = 'active'"
    f" AND {_MAY_BE_TOLD.replace(':owner', 'l.member_id').replace(':category', 'l.category')}"
)


def touch_in(tx: sqlite3.Connection, member_id: int, now: datetime) -> None:
    """The member did something: recent activity counts in matching."""
    tx.execute("UPDATE members SET last_active_at = ? WHERE id = ?", (to_db(now), member_id))


def record_in(
    tx: sqlite3.Connection,
    listing_id: int,
    planned: list[tuple[int, float, datetime]],
    now: datetime,
) -> None:
    """Queue notices (member id, score, send after) for a listing, inside the caller's write;
    one per member, ever, so recording again changes nothing."""
    tx.executemany(
        "INSERT INTO match_notices (listing_id, member_id, score, status, created_at,"
        " send_after) VALUES (?, ?, ?, 'queued', ?, ?)"
        " ON CONFLICT (listing_id, member_id) DO NOTHING",
        [
            (listing_id, member_id, score, to_db(now), to_db(when))
            for member_id, score, when in planned
        ],
    )


def send_due_in(
    tx: sqlite3.Connection,
    now: datetime,
    since_day: datetime,
    when: Callable[[int], datetime],
    listing_id: int | None = None,
) -> list[Notice]:
    """Queued notices whose time has come (of one listing, or all), each checked again inside
    the caller's write: no longer wanted, dropped; held back by quiet hours or the daily cap
    (`when(sent today)` is later than now), moved to then; the rest marked sent and returned,
    for the caller to put their messages in the outbox in the same write."""
    only = " AND listing_id = ?" if listing_id is not None else ""
    rows = tx.execute(
        "SELECT * FROM match_notices WHERE status = 'queued' AND send_after <= ?"
        f"{only} ORDER BY send_after, score DESC, id",
        (to_db(now), *(() if listing_id is None else (listing_id,))),
    ).fetchall()
    sent: list[Notice] = []
    for notice in map(_notice, rows):
        if tx.execute(_DELIVERABLE, {"notice": notice.id}).fetchone() is None:
            tx.execute("UPDATE match_notices SET status = 'dropped' WHERE id = ?", (notice.id,))
            continue
        today = tx.execute(
            "SELECT count(*) FROM match_notices WHERE member_id = ? AND sent_at >= ?",
            (notice.member_id, to_db(since_day)),
        ).fetchone()[0]
        later = when(int(today))
        if later > now:
            tx.execute(
                "UPDATE match_notices SET send_after = ? WHERE id = ?", (to_db(later), notice.id)
            )
            continue
        tx.execute(
            "UPDATE match_notices SET status = 'sent', sent_at = ? WHERE id = ?",
            (to_db(now), notice.id),
        )
        sent.append(replace(notice, status="sent", sent_at=now))
    return sent


def next_due_in(tx: sqlite3.Connection) -> datetime | None:
    """When the earliest queued notice may go out, if any is queued."""
    row = tx.execute("SELECT min(send_after) FROM match_notices WHERE status = 'queued'").fetchone()
    return from_db(row[0]) if row else None


def prune_in(tx: sqlite3.Connection, before: datetime) -> int:
    """Delete notices made and sent before `before`, keeping any still queued (still to be
    sent or dropped) and those of listings still live (open, paused or matched: the record that
    their members were told stops anyone being told twice, and answers their buttons). The
    caller keeps `before` at least a week back, for the daily cap and the weekly fairness count."""
    stamp = to_db(before)
    cursor = tx.execute(
        "DELETE FROM match_notices WHERE created_at < ? AND (sent_at IS NULL OR sent_at < ?)"
        " AND status != 'queued' AND listing_id NOT IN"
        " (SELECT id FROM listings WHERE status IN ('open', 'paused', 'matched'))",
        (stamp, stamp),
    )
    return cursor.rowcount


def accept_in(tx: sqlite3.Connection, listing_id: int, member_id: int) -> bool:
    """The member answered the notice with "I can help" / "I'd like this"; False if there was
    no notice to answer."""
    cursor = tx.execute(
        "UPDATE match_notices SET status = 'accepted'"
        " WHERE listing_id = ? AND member_id = ? AND status IN ('sent', 'declined')",
        (listing_id, member_id),
    )
    return cursor.rowcount == 1


def _set_category_in(
    tx: sqlite3.Connection, member_id: int, category: str, wanted: bool, every: frozenset[str]
) -> bool:
    rows = tx.execute(
        "SELECT category FROM notice_categories WHERE member_id = ?", (member_id,)
    ).fetchall()
    current = frozenset(r[0] for r in rows) & every or every
    chosen = current | {category} if wanted else current - {category}
    if not chosen:
        return False
    tx.execute("DELETE FROM notice_categories WHERE member_id = ?", (member_id,))
    if chosen != every:
        tx.executemany(
            "INSERT INTO notice_categories (member_id, category) VALUES (?, ?)",
            [(member_id, key) for key in sorted(chosen)],
        )
    return True


def _notice(row: sqlite3.Row) -> Notice:
    created_at = required_from_db(row["created_at"], "match_notices.created_at")
    send_after = required_from_db(row["send_after"], "match_notices.send_after")
    return Notice(
        id=row["id"],
        listing_id=row["listing_id"],
        member_id=row["member_id"],
        score=row["score"],
        status=row["status"],
        created_at=created_at,
        send_after=send_after,
        sent_at=from_db(row["sent_at"]),
    )
