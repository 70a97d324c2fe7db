"""The outbox: messages waiting to be sent, queued in the same transaction as their cause."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum
from typing import Any

from storage.database import Database
from storage.timestamps import required_from_db, to_db

ERROR_MAX = 300  # characters of the last error kept for coordinators


class Priority(IntEnum):
    """Who goes first when the sending budget is short: lower first."""

    REPLY = 0  # the direct answer to a member's own update; sent at once, never queued
    PERSONAL = 1  # a notice to one member about something of theirs
    BULK = 2  # one of many of the same (broadcasts, check-ins)


class State:
    PENDING = "pending"
    FAILED = "failed"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True)
class Notice:
    """A message to send later: what it is for, to whom and about what. Its words are chosen
    when it is sent, by the renderer registered for its purpose, in the member's language."""

    purpose: str
    member_id: int | None = None
    chat_id: int | None = None  # a chat that is not a member's
    about: int | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    priority: Priority = Priority.PERSONAL
    key: str | None = None  # queueing the same key twice queues it once
    not_before: datetime | None = None


@dataclass(frozen=True)
class OutboxItem:
    id: int
    purpose: str
    member_id: int | None
    chat_id: int | None  # where it goes: the member's Telegram chat, or the chat named
    about: int | None
    data: dict[str, Any]
    priority: Priority
    attempts: int
    state: str
    last_error: str | None
    created_at: datetime
    unreachable: bool  # the member has blocked the bot (or left): don't try
    gone: bool  # the member was erased or is not on Telegram: nothing to send to


def queue_in(tx: sqlite3.Connection, notices: Iterable[Notice], now: datetime) -> None:
    """Queue notices inside a write transaction (the one making the change they tell of)."""
    stamp = to_db(now)  # once: a bulk pass queues thousands
    # Each data written once when notices share it; the data is kept with its text so that
    # its id can't be reused by another dict (notices from a generator may be freed).
    texts: dict[int, tuple[Mapping[str, Any], str]] = {}

    def text_of(data: Mapping[str, Any]) -> str:
        cached = texts.get(id(data))
        if cached is not None and cached[0] is data:
            return cached[1]
        text = json.dumps(dict(data))
        texts[id(data)] = (data, text)
        return text

    tx.executemany(
        # A chat named by the id it had before it became a supergroup (the config's event
        # groups, say) is sent to under its new id.
        "INSERT INTO outbox (purpose, member_id, chat_id, about, data, priority, key,"
        " not_before, created_at) VALUES (?, ?,"
        " coalesce((SELECT g.chat_id FROM groups g WHERE g.migrated_from = ?), ?),"
        " ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
        [
            (
                notice.purpose,
                notice.member_id,
                notice.chat_id,
                notice.chat_id,
                notice.about,
                text_of(notice.data),
                int(notice.priority),
                notice.key,
                to_db(notice.not_before) if notice.not_before else stamp,
                stamp,
            )
            for notice in notices
            if notice.member_id is not None or notice.chat_id is not None
        ],
    )


def queue_selected_in(
    tx: sqlite3.Connection,
    purpose: str,
    priority: Priority,
    data: Mapping[str, Any],
    select: str,
    params: Mapping[str, Any],
    now: datetime,
) -> int:
    """Queue one notice to each member a query names, all with the same data: `select` gives
    `member_id`, `key` and `not_before` (a stored timestamp) for each, with named parameters.
    One statement, for passes over thousands; how many were queued (a key queued before is not
    queued again)."""
    cursor = tx.execute(
        "INSERT INTO outbox (purpose, member_id, data, priority, key, not_before, created_at)"
        " SELECT :queue_purpose, q.member_id, :queue_data, :queue_priority, q.key, q.not_before,"
        f" :queue_now FROM ({select}) AS q WHERE q.member_id IS NOT NULL"
        " ON CONFLICT (key) DO NOTHING",
        {
            **params,
            "queue_purpose": purpose,
            "queue_data": json.dumps(dict(data)),
            "queue_priority": int(priority),
            "queue_now": to_db(now),
        },
    )
    return cursor.rowcount


def hold_in(tx: sqlite3.Connection, purpose: str, about: int) -> None:
    """Hold back the messages of one purpose about one thing (a paused broadcast): the sender
    leaves them until they are released. Holding twice holds once."""
    tx.execute(
        "INSERT INTO outbox_holds (purpose, about) VALUES (?, ?) ON CONFLICT DO NOTHING",
        (purpose, about),
    )


def release_in(tx: sqlite3.Connection, purpose: str, about: int) -> None:
    """Let held messages go again (nothing held: nothing happens)."""
    tx.execute("DELETE FROM outbox_holds WHERE purpose = ? AND about = ?", (purpose, about))


def drop_pending_in(tx: sqlite3.Connection, purpose: str, about: int) -> int:
    """Drop the messages of one purpose about one thing not yet sent (a cancelled broadcast),
    and any hold on them; how many were dropped. Failed and unreachable ones stay on record."""
    release_in(tx, purpose, about)
    return tx.execute(
        "DELETE FROM outbox WHERE purpose = ? AND about = ? AND state = 'pending'",
        (purpose, about),
    ).rowcount


def move_chat_in(tx: sqlite3.Connection, old_chat_id: int, new_chat_id: int) -> int:
    """Send what is still waiting for a group to its new id (it became a supergroup); how many
    messages moved."""
    return tx.execute(
        "UPDATE outbox SET chat_id = ? WHERE chat_id = ? AND state = 'pending'",
        (new_chat_id, old_chat_id),
    ).rowcount


def fail_chat_in(tx: sqlite3.Connection, chat_id: int, error: str) -> int:
    """Give up on what is still waiting for a chat the bot can no longer post in (it was
    removed from the group), kept as failed with the reason; how many."""
    return tx.execute(
        "UPDATE outbox SET state = 'failed', last_error = ?"
        " WHERE chat_id = ? AND member_id IS NULL AND state = 'pending'",
        (error[:ERROR_MAX], chat_id),
    ).rowcount


_SELECT = (
    "SELECT o.*, coalesce(m.telegram_id, o.chat_id) AS recipient,"
    " m.unreachable_since IS NOT NULL AS member_unreachable,"
    " (o.member_id IS NOT NULL AND (m.telegram_id IS NULL OR m.status = 'erased')) AS member_gone"
    " FROM outbox o LEFT JOIN members m ON m.id = o.member_id"
)


class OutboxRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def queue(self, notices: Iterable[Notice], now: datetime) -> None:
        """Queue notices in a transaction of their own (when nothing else changes with them)."""
        ready = list(notices)
        await self._db.write(lambda tx: queue_in(tx, ready, now))

    async def next_batch(self, now: datetime, limit: int = 100) -> list[OutboxItem]:
        """Pending messages whose time has come, most urgent first, oldest first."""
        rows = await self._db.fetch_all(
            f"{_SELECT} WHERE o.state = 'pending' AND o.not_before <= ? AND NOT EXISTS"
            " (SELECT 1 FROM outbox_holds h WHERE h.purpose = o.purpose AND h.about = o.about)"
            " ORDER BY o.priority, o.id LIMIT ?",
            (to_db(now), limit),
        )
        return [_item(row) for row in rows]

    async def counts_about(self, purpose: str, about: int) -> dict[str, int]:
        """How many messages of one purpose about one thing are in each state (a broadcast's
        progress; sent ones are no longer here)."""
        rows = await self._db.fetch_all(
            "SELECT state, count(*) AS n FROM outbox WHERE purpose = ? AND about = ?"
            " GROUP BY state",
            (purpose, about),
        )
        found = {row["state"]: row["n"] for row in rows}
        return {
            state: found.get(state, 0) for state in (State.PENDING, State.FAILED, State.UNREACHABLE)
        }

    async def sent(self, item: OutboxItem) -> None:
        """Sent (or no longer needed): gone from the outbox."""
        await self._db.write(lambda tx: tx.execute("DELETE FROM outbox WHERE id = ?", (item.id,)))

    async def retry(self, item: OutboxItem, when: datetime, error: str) -> None:
        await self._db.write(
            lambda tx: tx.execute(
                "UPDATE outbox SET attempts = attempts + 1, not_before = ?, last_error = ?"
                " WHERE id = ?",
                (to_db(when), error[:ERROR_MAX], item.id),
            )
        )

    async def postpone(self, item: OutboxItem, when: datetime) -> None:
        """Not yet, and not a failure: looked at again at `when`, no attempt counted."""
        await self._db.write(
            lambda tx: tx.execute(
                "UPDATE outbox SET not_before = ? WHERE id = ?", (to_db(when), item.id)
            )
        )

    async def fail(self, item: OutboxItem, error: str) -> None:
        """Given up on: kept, as failed, for a coordinator to see and maybe try again."""
        await self._db.write(
            lambda tx: tx.execute(
                "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ?"
                " WHERE id = ?",
                (error[:ERROR_MAX], item.id),
            )
        )

    async def unreachable(
        self, item: OutboxItem, then: Iterable[Notice], *, now: datetime, error: str
    ) -> None:
        """The member can't be reached: remember it, keep this message as unreachable, and
        queue whatever the feature says instead (e.g. telling the other member), at once."""
        follow = list(then)

        def mark(tx: sqlite3.Connection) -> None:
            tx.execute(
                "UPDATE outbox SET state = 'unreachable', last_error = ? WHERE id = ?",
                (error[:ERROR_MAX], item.id),
            )
            if item.member_id is not None:
                tx.execute(
                    "UPDATE members SET unreachable_since = coalesce(unreachable_since, ?)"
                    " WHERE id = ?",
                    (to_db(now), item.member_id),
                )
            queue_in(tx, follow, now)

        await self._db.write(mark)

    async def set_reachable(self, telegram_id: int, reachable: bool, now: datetime) -> bool:
        """Mark a member reachable or not from what Telegram says; True if that changed it."""

        def mark(tx: sqlite3.Connection) -> bool:
            if reachable:
                cursor = tx.execute(
                    "UPDATE members SET unreachable_since = NULL"
                    " WHERE telegram_id = ? AND unreachable_since IS NOT NULL",
                    (telegram_id,),
                )
            else:
                cursor = tx.execute(
                    "UPDATE members SET unreachable_since = ?"
                    " WHERE telegram_id = ? AND unreachable_since IS NULL",
                    (to_db(now), telegram_id),
                )
            return cursor.rowcount > 0

        return await self._db.write(mark)

    async def problems(self, limit: int = 10) -> list[OutboxItem]:
        """Messages that could not be sent, newest first, for coordinators."""
        rows = await self._db.fetch_all(
            f"{_SELECT} WHERE o.state != 'pending' ORDER BY o.id DESC LIMIT ?", (limit,)
        )
        return [_item(row) for row in rows]

    async def counts(self) -> dict[str, int]:
        rows = await self._db.fetch_all("SELECT state, count(*) AS n FROM outbox GROUP BY state")
        found = {row["state"]: row["n"] for row in rows}
        return {
            state: found.get(state, 0) for state in (State.PENDING, State.FAILED, State.UNREACHABLE)
        }

    async def retry_failed(self, now: datetime) -> int:
        """Put every failed message back in the queue (a coordinator asked); how many."""
        return await self._db.write(
            lambda tx: (
                tx.execute(
                    "UPDATE outbox SET state = 'pending', attempts = 0, not_before = ?"
                    " WHERE state = 'failed'",
                    (to_db(now),),
                ).rowcount
            )
        )


def _item(row: sqlite3.Row) -> OutboxItem:
    return OutboxItem(
        id=row["id"],
        purpose=row["purpose"],
        member_id=row["member_id"],
        chat_id=row["recipient"],
        about=row["about"],
        data=json.loads(row["data"]),
        priority=Priority(row["priority"]),
        attempts=row["attempts"],
        state=row["state"],
        last_error=row["last_error"],
        created_at=required_from_db(row["created_at"], "outbox.created_at"),
        unreachable=bool(row["member_unreachable"]),
        gone=bool(row["member_gone"]),
    )
