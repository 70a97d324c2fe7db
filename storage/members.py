"""Members: joining, profiles, approval and erasure."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.membership import Status
from bot.domain.welsh import fold
from storage import search, support
from storage.barred import BarredFromJoining, bar_if_banned_in, barred_in
from storage.broadcasts import forget_author_in
from storage.database import Database, fetch_one_in, update_row_in
from storage.effects import Then, follow_in
from storage.events import forget_member_in
from storage.personal_data import (
    FORMS_ABOUT_MEMBER,
    OUTBOX_FROM_MEMBER,
    ROWS_ABOUT_MEMBER,
    rows_about,
)
from storage.timestamps import from_db, required_from_db, to_db

ELSEWHERE = "elsewhere"


@dataclass(frozen=True)
class Member:
    id: int
    telegram_id: int | None
    language: str
    status: Status
    paused: bool
    display_name: str | None
    area: str | None
    offer_categories: tuple[str, ...]
    offers_text: str | None
    what_matters: str | None
    consent_at: datetime | None
    joined_at: datetime | None
    created_at: datetime
    updated_at: datetime
    landing: str | None = None  # where their link pointed, while they wait for approval
    username: str | None = None  # their Telegram @username, as last seen (without the @)


# Only these columns can be set through MemberRepository.update.
_EDITABLE = frozenset(
    {
        "language",
        "status",
        "paused",
        "display_name",
        "area",
        "offers_text",
        "what_matters",
        "joined_at",
        "landing",
    }
)


class MemberRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def by_telegram_id(self, telegram_id: int) -> Member | None:
        row = await self._db.fetch_one(
            "SELECT * FROM members WHERE telegram_id = ?", (telegram_id,)
        )
        return await self._with_categories(row)

    async def get(self, member_id: int | None) -> Member | None:
        """The member with this id; None for no id (e.g. a transfer's pot side) or none found."""
        if member_id is None:
            return None
        row = await self._db.fetch_one("SELECT * FROM members WHERE id = ?", (member_id,))
        return await self._with_categories(row)

    async def join(self, telegram_id: int, language: str, now: datetime) -> Member:
        """Record consent and start joining; a second call returns the same member unchanged.
        Raises BarredFromJoining (nothing created) for an account banned and then erased."""
        await self._db.write(lambda tx: join_in(tx, telegram_id, language, now))
        member = await self.by_telegram_id(telegram_id)
        if member is None:
            raise RuntimeError("the member just added is missing")
        return member

    async def add_offline(self, display_name: str, language: str, now: datetime) -> Member:
        """A member a coordinator records exchanges for: active, named, not on Telegram."""
        stamp = to_db(now)
        cursor = await self._db.write(
            lambda tx: tx.execute(
                "INSERT INTO members (telegram_id, language, status, display_name, joined_at,"
                " created_at, updated_at) VALUES (NULL, ?, 'active', ?, ?, ?, ?)",
                (language, display_name, stamp, stamp, stamp),
            )
        )
        member_id = cursor.lastrowid
        if member_id is None:
            raise RuntimeError("the new member has no id")
        return await self._reload(member_id)

    async def find_by_name(
        self,
        words: str,
        limit: int = 8,
        exclude: tuple[int, ...] = (),
        statuses: tuple[Status, ...] = (Status.ACTIVE,),
    ) -> list[Member]:
        """Members (active ones, unless asked) whose name contains the words, ignoring case and
        accents' absence."""
        wanted = fold(words)  # "sian" finds "Siân"
        marks = ", ".join("?" for _ in statuses)
        rows = await self._db.fetch_all(
            f"SELECT id, display_name FROM members WHERE status IN ({marks})"
            " AND display_name IS NOT NULL ORDER BY display_name, id",
            statuses,
        )
        found = [
            row["id"]
            for row in rows
            if wanted and wanted in fold(row["display_name"]) and row["id"] not in exclude
        ]
        return [member for i in found[:limit] if (member := await self.get(i)) is not None]

    async def by_username(self, username: str) -> Member | None:
        """The member Telegram last showed with this @username (any case, without the @)."""
        row = await self._db.fetch_one(
            "SELECT * FROM members WHERE username = ? COLLATE NOCASE", (username,)
        )
        return await self._with_categories(row)

    async def update(
        self,
        member_id: int,
        now: datetime,
        *,
        then: Then[None] | None = None,
        **changes: object,
    ) -> Member:
        """Set the given columns, with what `then` says follows, in one transaction; returns
        the member as stored afterwards."""
        await self._db.write(
            lambda tx: follow_in(tx, then, update_in(tx, member_id, now, changes), now)
        )
        return await self._reload(member_id)

    async def set_offer_category(
        self, member_id: int, category: str, offered: bool, now: datetime
    ) -> Member:
        """Offer a category or stop offering it; setting the same twice changes nothing."""
        await self._db.write(
            lambda tx: set_offer_category_in(tx, member_id, category, offered, now)
        )
        return await self._reload(member_id)

    async def set_status_if(
        self,
        member_id: int,
        expected: Status,
        new: Status,
        now: datetime,
        *,
        then: Then[bool] | None = None,
    ) -> bool:
        """Move a member from one status to another; False if they were no longer `expected`.
        `then` says what follows (given whether they moved), in the same transaction."""
        return await self._db.write(
            lambda tx: follow_in(tx, then, set_status_if_in(tx, member_id, expected, new, now), now)
        )

    async def with_status(self, status: Status, limit: int = 50) -> list[Member]:
        rows = await self._db.fetch_all(
            "SELECT * FROM members WHERE status = ? ORDER BY updated_at, id LIMIT ?",
            (status, limit),
        )
        return [member for row in rows if (member := await self._with_categories(row))]

    async def count_with_status(self, status: Status) -> int:
        row = await self._db.fetch_one("SELECT count(*) FROM members WHERE status = ?", (status,))
        return int(row[0]) if row else 0

    async def personal_data(self, member_id: int) -> dict[str, list[dict[str, Any]]]:
        """Everything held about the member, table by table (for /mydata)."""
        return await rows_about(self._db, member_id)

    async def erase(
        self,
        member_id: int,
        now: datetime,
        *,
        only_if: Status | None = None,
        then: Then[bool] | None = None,
    ) -> bool:
        """Remove everything that identifies the member, keeping an anonymous row for the ledger.

        Returns False if the member was already erased (or, with `only_if`, was no longer in
        that status: a coordinator's decline cannot erase someone approved meanwhile). `then`
        says what follows (given whether they were erased), in the same transaction.
        """
        erased = await self._db.write(
            lambda tx: follow_in(tx, then, erase_in(tx, member_id, now, only_if=only_if), now)
        )
        if erased:
            await self._db.scrub()
        return erased

    async def _reload(self, member_id: int) -> Member:
        member = await self.get(member_id)
        if member is None:
            raise LookupError(f"member {member_id} does not exist")
        return member

    async def _with_categories(self, row: sqlite3.Row | None) -> Member | None:
        if row is None:
            return None
        categories = await self._db.fetch_all(
            "SELECT category FROM member_offer_categories WHERE member_id = ? ORDER BY category",
            (row["id"],),
        )
        created_at = required_from_db(row["created_at"], "members.created_at")
        updated_at = required_from_db(row["updated_at"], "members.updated_at")
        return Member(
            id=row["id"],
            telegram_id=row["telegram_id"],
            language=row["language"],
            status=Status(row["status"]),
            paused=bool(row["paused"]),
            display_name=row["display_name"],
            area=row["area"],
            offer_categories=tuple(category["category"] for category in categories),
            offers_text=row["offers_text"],
            what_matters=row["what_matters"],
            consent_at=from_db(row["consent_at"]),
            joined_at=from_db(row["joined_at"]),
            created_at=created_at,
            updated_at=updated_at,
            landing=row["landing"],
            username=row["username"],
        )


def join_in(tx: sqlite3.Connection, telegram_id: int, language: str, now: datetime) -> None:
    """Record consent and start joining, inside the caller's write; a second time, nothing.
    An account banned and then erased is refused (BarredFromJoining)."""
    if barred_in(tx, telegram_id):
        raise BarredFromJoining
    stamp = to_db(now)
    tx.execute(
        "INSERT INTO members (telegram_id, language, status, consent_at, created_at,"
        " updated_at) VALUES (?, ?, 'joining', ?, ?, ?)"
        " ON CONFLICT (telegram_id) DO NOTHING",
        (telegram_id, language, stamp, stamp, stamp),
    )


def keep_username_in(tx: sqlite3.Connection, telegram_id: int, username: str | None) -> bool:
    """The @username Telegram shows for the user now (None: they have none); taken from anyone
    who held it before, as Telegram moves usernames between users. False if the user is not a
    member (yet). Kept from every update, in the inbox's write (storage/inbox.py)."""
    if fetch_one_in(tx, "SELECT 1 FROM members WHERE telegram_id = ?", (telegram_id,)) is None:
        return False
    if username is not None:
        tx.execute(
            "UPDATE members SET username = NULL WHERE username = ? COLLATE NOCASE"
            " AND telegram_id IS NOT ?",
            (username, telegram_id),
        )
    tx.execute(
        "UPDATE members SET username = ? WHERE telegram_id = ? AND username IS NOT ?",
        (username, telegram_id, username),
    )
    return True


def update_in(
    tx: sqlite3.Connection, member_id: int, now: datetime, changes: dict[str, object]
) -> None:
    """Set the given columns (only editable ones), indexing new offers_text for search."""
    update_row_in(tx, "members", ("id", member_id), changes, _EDITABLE, now)
    if "offers_text" in changes:
        row = fetch_one_in(tx, "SELECT offers_text FROM members WHERE id = ?", (member_id,))
        if row is not None:
            search.index_member_in(tx, member_id, row["offers_text"])


def set_offer_category_in(
    tx: sqlite3.Connection, member_id: int, category: str, offered: bool, now: datetime
) -> None:
    if offered:
        tx.execute(
            "INSERT INTO member_offer_categories (member_id, category) VALUES (?, ?)"
            " ON CONFLICT DO NOTHING",
            (member_id, category),
        )
    else:
        tx.execute(
            "DELETE FROM member_offer_categories WHERE member_id = ? AND category = ?",
            (member_id, category),
        )
    tx.execute("UPDATE members SET updated_at = ? WHERE id = ?", (to_db(now), member_id))


def set_status_if_in(
    tx: sqlite3.Connection, member_id: int, expected: Status, new: Status, now: datetime
) -> bool:
    """Move a member from one status to another; False if they were no longer `expected`.
    A link kept while they waited has then been followed or is out of date: it goes."""
    cursor = tx.execute(
        "UPDATE members SET status = ?, landing = NULL, updated_at = ? WHERE id = ? AND status = ?",
        (new, to_db(now), member_id, expected),
    )
    return cursor.rowcount == 1


def erase_in(
    tx: sqlite3.Connection, member_id: int, now: datetime, *, only_if: Status | None = None
) -> bool:
    """Erase the member inside the caller's write (see MemberRepository.erase); False if they
    were erased already or not in `only_if`. The caller runs Database.scrub after it commits."""
    found = fetch_one_in(tx, "SELECT telegram_id FROM members WHERE id = ?", (member_id,))
    telegram_id = found["telegram_id"] if found else None
    cursor = tx.execute(
        "UPDATE members SET telegram_id = NULL, status = 'erased', paused = 0,"
        " display_name = NULL, area = NULL, offers_text = NULL, what_matters = NULL,"
        " consent_at = NULL, joined_at = NULL, language = 'en', safety_advice_at = NULL,"
        " last_active_at = NULL, quiet_nudged_at = NULL, landing = NULL, username = NULL,"
        " updated_at = ?"
        " WHERE id = ? AND status != 'erased' AND status = coalesce(?, status)",
        (to_db(now), member_id, only_if),
    )
    if cursor.rowcount == 0:
        return False
    # Before their sanctions go: a ban in force outlives them, as their Telegram id's digest.
    bar_if_banned_in(tx, member_id, telegram_id, now)
    forget_member_in(tx, member_id, now)  # before their answers go: places they held are given
    forget_author_in(tx, member_id)
    support.forget_member_in(tx, member_id)
    for table, column, _shown in ROWS_ABOUT_MEMBER:
        tx.execute(f"DELETE FROM {table} WHERE {column} = ?", (member_id,))
    tx.execute(FORMS_ABOUT_MEMBER, (member_id,))
    tx.execute(OUTBOX_FROM_MEMBER, (member_id,))
    if telegram_id is not None:  # their updates not yet handled hold their words too
        tx.execute("DELETE FROM inbox WHERE member_key = ?", (telegram_id,))
        tx.execute("DELETE FROM helpline_replies WHERE chat_id = ?", (telegram_id,))
        # A role given by chat ends with them (one the config names is the config's).
        tx.execute("DELETE FROM roles WHERE telegram_id = ? AND source = 'chat'", (telegram_id,))
    # The ledger keeps amounts, dates and states (balances must still add up), linked to this
    # anonymous row, the "former member"; the words about them go.
    tx.execute(
        "UPDATE transfers SET note = NULL, reason = NULL WHERE from_account_id IN"
        " (SELECT id FROM accounts WHERE member_id = ?) OR to_account_id IN"
        " (SELECT id FROM accounts WHERE member_id = ?)",
        (member_id, member_id),
    )
    return True
