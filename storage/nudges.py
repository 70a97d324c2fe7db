"""Gentle nudges' storage: finding the members who have been quiet long enough to be asked what
they could offer (each once per quiet spell), and how recently a member was active."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.domain.broadcasts import Hearing
from storage.database import Database
from storage.effects import Then, follow_in
from storage.preferences import wants_sql
from storage.timestamps import from_db, required_from_db, to_db

_ACTIVE_AT = "coalesce(m.last_active_at, m.joined_at)"


@dataclass(frozen=True)
class Quiet:
    """A member to nudge, and when they were last active (the spell the nudge belongs to)."""

    member_id: int
    active_at: datetime


def nudge_quiet_in(
    tx: sqlite3.Connection, now: datetime, quiet_since: datetime, limit: int
) -> list[Quiet]:
    """Up to `limit` active members quiet since `quiet_since`, not yet nudged in this spell, not
    paused, reachable and not having turned these off; each is marked nudged now, so never twice
    in one spell."""
    rows = tx.execute(
        f"SELECT m.id, {_ACTIVE_AT} AS active_at FROM members m"
        " WHERE m.status = 'active' AND m.paused = 0 AND m.telegram_id IS NOT NULL"
        " AND m.unreachable_since IS NULL"
        f" AND {_ACTIVE_AT} <= ?"
        f" AND (m.quiet_nudged_at IS NULL OR m.quiet_nudged_at <= {_ACTIVE_AT})"
        f" AND {wants_sql('m.id')} ORDER BY m.id LIMIT ?",
        (to_db(quiet_since), Hearing.QUIET_NUDGES.value, limit),
    ).fetchall()
    quiet = [Quiet(row["id"], required_from_db(row["active_at"], "active_at")) for row in rows]
    tx.executemany(
        "UPDATE members SET quiet_nudged_at = ? WHERE id = ?",
        [(to_db(now), member.member_id) for member in quiet],
    )
    return quiet


class NudgeRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def nudge_quiet(
        self,
        now: datetime,
        quiet_since: datetime,
        limit: int,
        then: Then[list[Quiet]] | None = None,
    ) -> list[Quiet]:
        """Mark the next quiet members nudged, with the notices `then` gives, in one write."""
        return await self._db.write(
            lambda tx: follow_in(tx, then, nudge_quiet_in(tx, now, quiet_since, limit), now)
        )

    async def active_at(self, member_id: int) -> datetime | None:
        """When the member was last active (or joined, if they have done nothing since)."""
        row = await self._db.fetch_one(
            f"SELECT {_ACTIVE_AT} AS active_at FROM members m WHERE m.id = ?", (member_id,)
        )
        return from_db(row["active_at"]) if row is not None else None
