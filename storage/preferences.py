"""Which notices each member wants, by kind ('news' for broadcasts; events may add their own).

A kind a member has never changed is on: only a row with enabled = 0 turns it off. Audiences
filter with `wants_sql` so that the rule lives in one place."""

from __future__ import annotations

import sqlite3

from storage.database import Database


def wants_sql(member_column: str) -> str:
    """SQL true when the member in `member_column` wants the kind bound as the next parameter."""
    return (
        "NOT EXISTS (SELECT 1 FROM notice_preferences p"
        f" WHERE p.member_id = {member_column} AND p.kind = ? AND p.enabled = 0)"
    )


def set_in(tx: sqlite3.Connection, member_id: int, kind: str, enabled: bool) -> bool:
    """Turn a kind on or off; True if that changed anything (a second tap changes nothing)."""
    was = tx.execute(
        "SELECT enabled FROM notice_preferences WHERE member_id = ? AND kind = ?",
        (member_id, kind),
    ).fetchone()
    if (bool(was[0]) if was is not None else True) == enabled:
        return False
    tx.execute(
        "INSERT INTO notice_preferences (member_id, kind, enabled) VALUES (?, ?, ?)"
        " ON CONFLICT (member_id, kind) DO UPDATE SET enabled = excluded.enabled",
        (member_id, kind, int(enabled)),
    )
    return True


class PreferenceRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def wants(self, member_id: int, kind: str) -> bool:
        row = await self._db.fetch_one(f"SELECT {wants_sql('?')} AS wants", (member_id, kind))
        return bool(row["wants"]) if row is not None else True

    async def set(self, member_id: int, kind: str, enabled: bool) -> bool:
        """Turn a kind of notice on or off; True if that changed anything."""
        return await self._db.write(lambda tx: set_in(tx, member_id, kind, enabled))
