"""The inbox: updates fetched but not yet handled, so a crash loses none."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from storage.database import Database
from storage.members import keep_username_in
from storage.timestamps import to_db


@dataclass(frozen=True)
class Sender:
    """A person who sent an update, with the @username Telegram showed (None: they have none)."""

    telegram_id: int
    username: str | None


@dataclass(frozen=True)
class InboxEntry:
    update_id: int
    member_key: int | None
    payload: str
    sender: Sender | None = None  # None: no person sent it (or it was kept before a restart)


class InboxRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def store(self, entries: Iterable[InboxEntry], now: datetime) -> None:
        """Keep a fetched batch, in one transaction (an update kept already stays as it is);
        the members who sent it were active now (gentle nudges and matching read that), and
        their @usernames are as Telegram showed them (coordinators name members by them)."""
        kept = list(entries)
        rows = [(e.update_id, e.member_key, e.payload, to_db(now)) for e in kept]
        senders = [(to_db(now), key) for key in sorted({e.member_key for e in kept} - {None})]
        usernames = {e.sender.telegram_id: e.sender.username for e in kept if e.sender}

        def store_in(tx: sqlite3.Connection) -> None:
            tx.executemany(
                "INSERT OR IGNORE INTO inbox (update_id, member_key, payload, received_at)"
                " VALUES (?, ?, ?, ?)",
                rows,
            )
            tx.executemany("UPDATE members SET last_active_at = ? WHERE telegram_id = ?", senders)
            for telegram_id, username in sorted(usernames.items()):
                keep_username_in(tx, telegram_id, username)

        await self._db.write(store_in)

    async def pending(self) -> list[InboxEntry]:
        """Every update kept and not yet handled, oldest first."""
        rows = await self._db.fetch_all(
            "SELECT update_id, member_key, payload FROM inbox ORDER BY update_id"
        )
        return [InboxEntry(row["update_id"], row["member_key"], row["payload"]) for row in rows]

    async def remove(self, update_ids: Iterable[int]) -> None:
        """Forget handled updates, in one transaction."""
        ids = [(update_id,) for update_id in update_ids]

        def remove_in(tx: sqlite3.Connection) -> None:
            tx.executemany("DELETE FROM inbox WHERE update_id = ?", ids)

        await self._db.write(remove_in)
