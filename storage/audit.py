"""The audit: every admin and ambassador action, written in the same transaction as the action,
and a line for the log chat queued with it. Rows are only ever added (the database refuses to
change or delete one)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from storage.database import Database, fetch_one_in
from storage.outbox import Notice, Priority, queue_in
from storage.timestamps import required_from_db, to_db

LOG_PURPOSE = "audit.log"  # the outbox purpose of a log chat line
PAGE = 10  # audit rows shown at once by /audit


class AuditAction(StrEnum):
    """What was done; the log chat's hashtag is its name in capitals (#WARN)."""

    PROMOTE = "promote"
    DEMOTE = "demote"
    WARN = "warn"
    UNWARN = "unwarn"
    SUSPEND = "suspend"
    UNSUSPEND = "unsuspend"
    BAN = "ban"
    UNBAN = "unban"
    KICK = "kick"
    MUTE = "mute"
    UNMUTE = "unmute"
    REMOVE_LISTING = "remove_listing"
    APPROVE = "approve"  # a newcomer let in
    DECLINE = "decline"  # a newcomer not let in
    GRANT = "grant"  # credits given from the community pot
    REVERSE = "reverse"  # a ledger correction
    RECORD = "record"  # an exchange logged for members
    SETTLE = "settle"  # an exchange waiting for a coordinator, recorded or not
    BROADCAST = "broadcast"  # a big broadcast approved or declined
    REPORT = "report"  # a report acted on
    APPEAL = "appeal"  # an appeal decided
    REFUSED = "refused"  # repeated tries at something the member may not do

    @property
    def hashtag(self) -> str:
        return f"#{self.value.upper()}"


@dataclass(frozen=True)
class AuditEntry:
    """One action: who did it (a member id; None for the bot itself), to whom, why."""

    action: AuditAction
    actor_id: int | None
    target_id: int | None = None
    reason: str | None = None
    chat_id: int | None = None  # the group chat it happened in
    subject: int | None = None  # a listing, a transfer, an appeal...
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    action: AuditAction
    actor_id: int | None
    actor_name: str | None  # None: the bot, or a former member (see `actor_erased`)
    actor_erased: bool
    target_id: int | None
    target_name: str | None
    target_erased: bool
    chat_id: int | None
    subject: int | None
    reason: str | None
    details: dict[str, Any]


def audit_in(tx: sqlite3.Connection, entry: AuditEntry, now: datetime, log_chat: int | None) -> int:
    """Write the audit row (inside the action's own transaction) and, if there is a log chat,
    queue its line; the row's id."""
    cursor = tx.execute(
        "INSERT INTO audit (at, action, actor_id, target_id, chat_id, subject, reason, details)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            to_db(now),
            entry.action.value,
            entry.actor_id,
            entry.target_id,
            entry.chat_id,
            entry.subject,
            entry.reason,
            json.dumps(dict(entry.details)),
        ),
    )
    audit_id = int(cursor.lastrowid or 0)
    if log_chat is not None:
        queue_in(
            tx,
            [
                Notice(
                    LOG_PURPOSE,
                    chat_id=log_chat,
                    about=audit_id,
                    priority=Priority.BULK,
                    key=f"{LOG_PURPOSE}:{audit_id}",
                )
            ],
            now,
        )
    return audit_id


_SELECT = (
    "SELECT a.*, actor.display_name AS actor_name, actor.status = 'erased' AS actor_erased,"
    " target.display_name AS target_name, target.status = 'erased' AS target_erased"
    " FROM audit a LEFT JOIN members actor ON actor.id = a.actor_id"
    " LEFT JOIN members target ON target.id = a.target_id"
)


def _record(row: sqlite3.Row) -> AuditRecord:
    return AuditRecord(
        id=row["id"],
        at=required_from_db(row["at"], "audit.at"),
        action=AuditAction(row["action"]),
        actor_id=row["actor_id"],
        actor_name=row["actor_name"],
        actor_erased=bool(row["actor_erased"]),
        target_id=row["target_id"],
        target_name=row["target_name"],
        target_erased=bool(row["target_erased"]),
        chat_id=row["chat_id"],
        subject=row["subject"],
        reason=row["reason"],
        details=json.loads(row["details"]),
    )


def record_in(tx: sqlite3.Connection, audit_id: int) -> AuditRecord | None:
    row = fetch_one_in(tx, f"{_SELECT} WHERE a.id = ?", (audit_id,))
    return _record(row) if row is not None else None


class AuditRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, entry: AuditEntry, now: datetime, log_chat: int | None) -> int:
        """An action that is nothing but its audit row (e.g. repeated refusals)."""
        return await self._db.write(lambda tx: audit_in(tx, entry, now, log_chat))

    async def get(self, audit_id: int) -> AuditRecord | None:
        row = await self._db.fetch_one(f"{_SELECT} WHERE a.id = ?", (audit_id,))
        return _record(row) if row is not None else None

    async def recent(
        self,
        *,
        target_id: int | None = None,
        action: AuditAction | None = None,
        before: int | None = None,
        limit: int = PAGE,
    ) -> list[AuditRecord]:
        """The newest first, optionally about one member and of one kind; `before` pages on
        (the smallest id of the page before)."""
        rows = await self._db.fetch_all(
            f"{_SELECT} WHERE (:target IS NULL OR a.target_id = :target)"
            " AND (:action IS NULL OR a.action = :action)"
            " AND (:before IS NULL OR a.id < :before) ORDER BY a.id DESC LIMIT :limit",
            {
                "target": target_id,
                "action": action.value if action else None,
                "before": before,
                "limit": limit,
            },
        )
        return [_record(row) for row in rows]

    async def newer(
        self,
        *,
        after: int,
        target_id: int | None = None,
        action: AuditAction | None = None,
        limit: int = PAGE,
    ) -> tuple[bool, int | None]:
        """Whether rows newer than `after` exist, and the `before` of the page of them (None:
        the newest page)."""
        rows = await self._db.fetch_all(
            "SELECT id FROM audit WHERE (:target IS NULL OR target_id = :target)"
            " AND (:action IS NULL OR action = :action) AND id > :after"
            " ORDER BY id LIMIT :limit",
            {
                "target": target_id,
                "action": action.value if action else None,
                "after": after,
                "limit": limit + 1,
            },
        )
        if not rows:
            return False, None
        if len(rows) <= limit:
            return True, None
        return True, int(rows[limit - 1]["id"]) + 1
