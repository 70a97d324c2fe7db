"""Messages already answered with the helplines, so that the same update delivered again (a
restart before Telegram learnt it had arrived) is not answered twice. Only which message in
which chat, and when: never its words."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from storage.database import Database
from storage.timestamps import to_db

# Telegram delivers an update again for at most a day, so a re-delivered one is always found.
MEMORY = timedelta(days=2)


def record_in(tx: sqlite3.Connection, chat_id: int, message_id: int, now: datetime) -> None:
    """The message has been answered (recording it twice records it once); those remembered
    long enough are forgotten in the same write."""
    tx.execute(
        "INSERT OR IGNORE INTO helpline_replies (chat_id, message_id, answered_at)"
        " VALUES (?, ?, ?)",
        (chat_id, message_id, to_db(now)),
    )
    tx.execute("DELETE FROM helpline_replies WHERE answered_at < ?", (to_db(now - MEMORY),))


class HelplineReplyRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def answered(self, chat_id: int, message_id: int) -> bool:
        """Whether this message has been answered with the helplines already."""
        row = await self._db.fetch_one(
            "SELECT 1 FROM helpline_replies WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
        return row is not None

    async def record(self, chat_id: int, message_id: int, now: datetime) -> None:
        await self._db.write(lambda tx: record_in(tx, chat_id, message_id, now))
