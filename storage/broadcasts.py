"""Broadcasts: a community notice from an ambassador, its audience, approval, and its messages.

Starting one queues a bulk outbox message per recipient in the same transaction that marks it
sending; pausing holds those messages in the outbox, resuming releases them, cancelling drops
the ones not yet sent. How far it has got is read from what is still in the outbox.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.broadcasts import (
    NEWS,
    Audience,
    AudienceKind,
    Progress,
    Status,
    needs_approval,
)
from storage.database import Database, fetch_one_in
from storage.effects import Then, follow_in
from storage.outbox import (
    Notice,
    OutboxRepository,
    Priority,
    drop_pending_in,
    hold_in,
    queue_in,
    release_in,
)
from storage.preferences import wants_sql
from storage.timestamps import from_db, required_from_db, to_db

MESSAGE = "broadcast.message"  # the outbox purpose of a broadcast's messages to members


@dataclass(frozen=True)
class Broadcast:
    id: int
    author_id: int
    audience: Audience
    text_en: str | None
    text_cy: str | None
    status: Status
    approved_by: int | None
    declined_by: int | None
    total: int
    dropped: int
    delivered: int
    progress_chat_id: int | None
    progress_message_id: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def audience_sql(audience: Audience, wanting: str = NEWS) -> tuple[str, list[Any]]:
    """The ids of the members a broadcast (or an event announcement) reaches: active, on
    Telegram, reachable, and wanting that kind of notice (`wanting`: community news, or event
    announcements); in the area, or offering or following the category, when it says so."""
    sql = (
        "SELECT m.id FROM members m WHERE m.status = 'active' AND m.telegram_id IS NOT NULL"
        f" AND m.unreachable_since IS NULL AND {wants_sql('m.id')}"
    )
    params: list[Any] = [wanting]
    if audience.kind is AudienceKind.AREA:
        sql += " AND m.area = ?"
        params.append(audience.key)
    elif audience.kind is AudienceKind.INTEREST:
        sql += (
            " AND (EXISTS (SELECT 1 FROM member_offer_categories c"
            " WHERE c.member_id = m.id AND c.category = ?)"
            " OR EXISTS (SELECT 1 FROM notice_categories n"
            " WHERE n.member_id = m.id AND n.category = ?))"
        )
        params += [audience.key, audience.key]
    return sql, params


class BroadcastRepository:
    def __init__(self, db: Database, outbox: OutboxRepository) -> None:
        self._db = db
        self._outbox = outbox

    async def count_audience(self, audience: Audience) -> int:
        sql, params = audience_sql(audience)
        row = await self._db.fetch_one(f"SELECT count(*) AS n FROM ({sql})", params)
        return int(row["n"]) if row is not None else 0

    async def get(self, broadcast_id: int) -> Broadcast | None:
        row = await self._db.fetch_one("SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,))
        return _broadcast(row) if row is not None else None

    async def in_progress(self) -> list[Broadcast]:
        """Broadcasts sending or paused: the ones whose progress may change."""
        rows = await self._db.fetch_all(
            "SELECT * FROM broadcasts WHERE status IN ('sending', 'paused') ORDER BY id"
        )
        return [_broadcast(row) for row in rows]

    async def create(
        self,
        author_id: int,
        audience: Audience,
        text_en: str | None,
        text_cy: str | None,
        form_id: int,
        now: datetime,
        *,
        approval_above: int,
        then: Then[Broadcast] | None = None,
    ) -> tuple[Broadcast, bool]:
        """Make the broadcast of a form, once (False if that form had made it already): sending
        at once, or awaiting approval when it reaches more than `approval_above` members, with
        what `then` says follows (the approval cards)."""

        def create(tx: sqlite3.Connection) -> tuple[Broadcast, bool]:
            made = fetch_one_in(tx, "SELECT * FROM broadcasts WHERE form_id = ?", (form_id,))
            if made is not None:
                return _broadcast(made), False
            sql, params = audience_sql(audience)
            count = tx.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]
            waiting = needs_approval(count, approval_above)
            status = Status.AWAITING_APPROVAL if waiting else Status.SENDING
            broadcast_id = tx.execute(
                "INSERT INTO broadcasts (author_id, audience, audience_key, text_en, text_cy,"
                " status, form_id, total, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    author_id,
                    audience.kind.value,
                    audience.key,
                    text_en,
                    text_cy,
                    status.value,
                    form_id,
                    count,
                    to_db(now),
                ),
            ).lastrowid
            if broadcast_id is None:
                raise RuntimeError("no id for the new broadcast")
            if not waiting:
                _start_in(tx, broadcast_id, now)
            return follow_in(tx, then, _get_in(tx, broadcast_id), now), True

        return await self._db.write(create)

    async def approve(
        self, broadcast_id: int, approver: int, now: datetime, then: Then[Broadcast] | None = None
    ) -> tuple[Broadcast | None, bool]:
        """The second person's yes: start sending, once (False if it was no longer waiting)."""

        def approve(tx: sqlite3.Connection) -> tuple[Broadcast | None, bool]:
            changed = tx.execute(
                "UPDATE broadcasts SET approved_by = ? WHERE id = ? AND status = ?",
                (approver, broadcast_id, Status.AWAITING_APPROVAL.value),
            ).rowcount
            if changed:
                _start_in(tx, broadcast_id, now)
                return follow_in(tx, then, _get_in(tx, broadcast_id), now), True
            return _find_in(tx, broadcast_id), False

        return await self._db.write(approve)

    async def decline(
        self, broadcast_id: int, decliner: int, now: datetime, then: Then[Broadcast] | None = None
    ) -> tuple[Broadcast | None, bool]:
        """The second person's no: cancelled before anything was sent (False if not waiting)."""

        def decline(tx: sqlite3.Connection) -> tuple[Broadcast | None, bool]:
            changed = tx.execute(
                "UPDATE broadcasts SET status = 'cancelled', declined_by = ?, finished_at = ?"
                " WHERE id = ? AND status = ?",
                (decliner, to_db(now), broadcast_id, Status.AWAITING_APPROVAL.value),
            ).rowcount
            if changed:
                return follow_in(tx, then, _get_in(tx, broadcast_id), now), True
            return _find_in(tx, broadcast_id), False

        return await self._db.write(decline)

    async def pause(self, broadcast_id: int) -> tuple[Broadcast | None, bool]:
        """Hold its messages still to send (False if it was not sending)."""

        def pause(tx: sqlite3.Connection) -> tuple[Broadcast | None, bool]:
            changed = _move_in(tx, broadcast_id, Status.SENDING, Status.PAUSED)
            if changed:
                hold_in(tx, MESSAGE, broadcast_id)
            return _find_in(tx, broadcast_id), changed

        return await self._db.write(pause)

    async def resume(self, broadcast_id: int) -> tuple[Broadcast | None, bool]:
        """Let its held messages go again (False if it was not paused)."""

        def resume(tx: sqlite3.Connection) -> tuple[Broadcast | None, bool]:
            changed = _move_in(tx, broadcast_id, Status.PAUSED, Status.SENDING)
            if changed:
                release_in(tx, MESSAGE, broadcast_id)
            return _find_in(tx, broadcast_id), changed

        return await self._db.write(resume)

    async def cancel(self, broadcast_id: int, now: datetime) -> tuple[Broadcast | None, bool]:
        """Drop its messages not yet sent, or withdraw it while it waits for approval (False if
        it was over already)."""

        def cancel(tx: sqlite3.Connection) -> tuple[Broadcast | None, bool]:
            changed = tx.execute(
                "UPDATE broadcasts SET status = 'cancelled', finished_at = ?"
                " WHERE id = ? AND status IN ('awaiting_approval', 'sending', 'paused')",
                (to_db(now), broadcast_id),
            ).rowcount
            if changed:
                dropped = drop_pending_in(tx, MESSAGE, broadcast_id)
                tx.execute(
                    "UPDATE broadcasts SET dropped = ? WHERE id = ?", (dropped, broadcast_id)
                )
            return _find_in(tx, broadcast_id), bool(changed)

        return await self._db.write(cancel)

    async def finish_if_done(
        self, broadcast_id: int, now: datetime, then: Then[bool] | None = None
    ) -> bool:
        """Mark a sending broadcast done once none of its messages waits; True if it just was.
        `then` says what follows (the author's summary), in the same write."""

        def finish(tx: sqlite3.Connection) -> bool:
            done = (
                tx.execute(
                    "UPDATE broadcasts SET status = 'done', finished_at = ?"
                    " WHERE id = ? AND status = 'sending' AND NOT EXISTS (SELECT 1 FROM outbox"
                    " WHERE purpose = ? AND about = ? AND state = 'pending')",
                    (to_db(now), broadcast_id, MESSAGE, broadcast_id),
                ).rowcount
                > 0
            )
            return follow_in(tx, then, done, now)

        return await self._db.write(finish)

    async def progress(self, broadcast: Broadcast) -> Progress:
        counts = await self._outbox.counts_about(MESSAGE, broadcast.id)
        return Progress(
            total=broadcast.total,
            pending=counts["pending"],
            unreachable=counts["unreachable"],
            failed=counts["failed"],
            dropped=broadcast.dropped,
            delivered=broadcast.delivered,
        )

    async def delivered(self, broadcast_id: int) -> None:
        """One more of its messages taken by Telegram (a crash just before this undercounts
        by the one in flight; edits and summaries need not be exact)."""
        await self._db.write(
            lambda tx: tx.execute(
                "UPDATE broadcasts SET delivered = delivered + 1 WHERE id = ?", (broadcast_id,)
            )
        )

    async def set_progress_message(self, broadcast_id: int, chat_id: int, message_id: int) -> None:
        """Where the author's live progress message is (edited as the broadcast goes)."""
        await self._db.write(
            lambda tx: tx.execute(
                "UPDATE broadcasts SET progress_chat_id = ?, progress_message_id = ? WHERE id = ?",
                (chat_id, message_id, broadcast_id),
            )
        )


def forget_author_in(tx: sqlite3.Connection, member_id: int) -> None:
    """Their broadcasts go when an author is erased: the messages still to send (held or not)
    go with them, since nothing is left to say."""
    for row in tx.execute("SELECT id FROM broadcasts WHERE author_id = ?", (member_id,)):
        drop_pending_in(tx, MESSAGE, row["id"])


def _start_in(tx: sqlite3.Connection, broadcast_id: int, now: datetime) -> None:
    """Queue one bulk message per recipient and mark it sending (done at once if nobody)."""
    broadcast = _get_in(tx, broadcast_id)
    sql, params = audience_sql(broadcast.audience)
    recipients = [row[0] for row in tx.execute(sql, params)]
    queue_in(
        tx,
        (
            Notice(MESSAGE, member_id=member_id, about=broadcast_id, priority=Priority.BULK)
            for member_id in recipients
        ),
        now,
    )
    status = Status.SENDING if recipients else Status.DONE
    tx.execute(
        "UPDATE broadcasts SET status = ?, total = ?, started_at = ?,"
        " finished_at = CASE WHEN ? = 'done' THEN ? END WHERE id = ?",
        (status.value, len(recipients), to_db(now), status.value, to_db(now), broadcast_id),
    )


def _move_in(tx: sqlite3.Connection, broadcast_id: int, was: Status, to: Status) -> bool:
    return (
        tx.execute(
            "UPDATE broadcasts SET status = ? WHERE id = ? AND status = ?",
            (to.value, broadcast_id, was.value),
        ).rowcount
        > 0
    )


def _find_in(tx: sqlite3.Connection, broadcast_id: int) -> Broadcast | None:
    row = fetch_one_in(tx, "SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,))
    return _broadcast(row) if row is not None else None


def _get_in(tx: sqlite3.Connection, broadcast_id: int) -> Broadcast:
    found = _find_in(tx, broadcast_id)
    if found is None:
        raise LookupError(f"no broadcast {broadcast_id}")
    return found


def _broadcast(row: sqlite3.Row) -> Broadcast:
    return Broadcast(
        id=row["id"],
        author_id=row["author_id"],
        audience=Audience(AudienceKind(row["audience"]), row["audience_key"]),
        text_en=row["text_en"],
        text_cy=row["text_cy"],
        status=Status(row["status"]),
        approved_by=row["approved_by"],
        declined_by=row["declined_by"],
        total=row["total"],
        dropped=row["dropped"],
        delivered=row["delivered"],
        progress_chat_id=row["progress_chat_id"],
        progress_message_id=row["progress_message_id"],
        created_at=required_from_db(row["created_at"], "broadcasts.created_at"),
        started_at=from_db(row["started_at"]),
        finished_at=from_db(row["finished_at"]),
    )
