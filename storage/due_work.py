"""Due work: things to do at a time, kept in the database so they survive restarts."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storage.database import Database
from storage.timestamps import required_from_db, to_db


@dataclass(frozen=True)
class DueItem:
    id: int
    key: str
    kind: str
    member_id: int | None
    due_at: datetime
    attempts: int
    payload: dict[str, Any] = field(default_factory=dict)


class DueWorkRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def schedule(
        self,
        key: str,
        kind: str,
        due_at: datetime,
        *,
        member_id: int | None = None,
        payload: dict[str, Any] | None = None,
    ) -> None:
        """Schedule work under a key; scheduling the same key again moves it, never duplicates."""
        await self._db.write(
            lambda tx: schedule_in(tx, key, kind, due_at, member_id=member_id, payload=payload)
        )

    async def ensure(self, key: str, kind: str, due_at: datetime) -> None:
        """Schedule work under a key unless some is scheduled under it already (standing work,
        made at start-up, that reschedules itself)."""
        await self._db.write(
            lambda tx: tx.execute(
                "INSERT INTO due_work (key, kind, due_at, payload) VALUES (?, ?, ?, '{}')"
                " ON CONFLICT (key) DO NOTHING",
                (key, kind, to_db(due_at)),
            )
        )

    async def cancel(self, key: str) -> None:
        await self._db.write(lambda tx: cancel_in(tx, key))

    async def due(self, now: datetime, limit: int = 100) -> list[DueItem]:
        rows = await self._db.fetch_all(
            "SELECT * FROM due_work WHERE due_at <= ? ORDER BY due_at, id LIMIT ?",
            (to_db(now), limit),
        )
        return [_item(row) for row in rows]

    async def complete(self, item: DueItem) -> None:
        """Remove a done item, unless it was rescheduled while it was being done."""
        await self._db.write(lambda tx: complete_in(tx, item))

    async def retry_at(self, item: DueItem, when: datetime, error: str) -> None:
        await self._db.write(lambda tx: retry_at_in(tx, item, when, error))


def schedule_in(
    tx: sqlite3.Connection,
    key: str,
    kind: str,
    due_at: datetime,
    *,
    member_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> None:
    """Schedule work under a key, inside the caller's write; the same key again moves it."""
    tx.execute(
        "INSERT INTO due_work (key, kind, member_id, due_at, payload)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET kind = excluded.kind,"
        " member_id = excluded.member_id, due_at = excluded.due_at,"
        " payload = excluded.payload, attempts = 0, last_error = NULL",
        (key, kind, member_id, to_db(due_at), json.dumps(payload or {})),
    )


def cancel_in(tx: sqlite3.Connection, key: str) -> None:
    """Cancel the work under a key, inside the caller's write (none there: nothing happens)."""
    tx.execute("DELETE FROM due_work WHERE key = ?", (key,))


def complete_in(tx: sqlite3.Connection, item: DueItem) -> None:
    """Remove a done item inside the caller's write, unless it was rescheduled meanwhile."""
    tx.execute("DELETE FROM due_work WHERE id = ? AND due_at = ?", (item.id, to_db(item.due_at)))


def retry_at_in(tx: sqlite3.Connection, item: DueItem, when: datetime, error: str) -> None:
    tx.execute(
        "UPDATE due_work SET attempts = attempts + 1, due_at = ?, last_error = ?"
        " WHERE id = ? AND due_at = ?",
        (to_db(when), error[:500], item.id, to_db(item.due_at)),
    )


def _item(row: sqlite3.Row) -> DueItem:
    due_at = required_from_db(row["due_at"], "due_work.due_at")
    return DueItem(
        id=row["id"],
        key=row["key"],
        kind=row["kind"],
        member_id=row["member_id"],
        due_at=due_at,
        attempts=row["attempts"],
        payload=json.loads(row["payload"]),
    )
