"""Who the staff are (coordinators and ambassadors): the roles, kept in the database.

The config's [roles] are copied in at each start-up (bot/runtime/context.py); /promote and
/demote add and take away the others (source 'chat'). Every list of the staff is read here."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from enum import StrEnum

from storage.database import Database, fetch_all_in


class StaffRole(StrEnum):
    AMBASSADOR = "ambassador"
    ADMIN = "admin"


def staff_members_in(
    tx: sqlite3.Connection, *, role: StaffRole | None = None, exclude: int | None = None
) -> list[int]:
    """The member ids of the active members among the staff (or only those of one role)."""
    rows = fetch_all_in(
        tx,
        "SELECT m.id FROM roles s JOIN members m ON m.telegram_id = s.telegram_id"
        " WHERE m.status = 'active' AND (? IS NULL OR s.role = ?) AND m.id IS NOT ?"
        " ORDER BY m.id",
        (role, role, exclude),
    )
    return [int(row["id"]) for row in rows]


def set_staff_in(tx: sqlite3.Connection, admins: Iterable[int], ambassadors: Iterable[int]) -> None:
    """The config's roles, as it names them now (a coordinator who is also an ambassador counts
    as one). Roles given by chat stay, unless the config now names that person itself."""
    tx.execute("DELETE FROM roles WHERE source = 'config'")
    chosen = {telegram_id: StaffRole.AMBASSADOR for telegram_id in ambassadors}
    chosen.update({telegram_id: StaffRole.ADMIN for telegram_id in admins})
    tx.executemany(
        "INSERT INTO roles (telegram_id, role, source) VALUES (?, ?, 'config')"
        " ON CONFLICT (telegram_id) DO UPDATE SET role = excluded.role, source = 'config',"
        " given_by = NULL, given_at = NULL",
        [(telegram_id, str(role)) for telegram_id, role in sorted(chosen.items())],
    )


class StaffRepository:
    """Every list of the staff is read here (inside a write: `staff_members_in`)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def set_staff(self, admins: Iterable[int], ambassadors: Iterable[int]) -> None:
        """The staff as the config names them (at start-up)."""
        await self._db.write(lambda tx: set_staff_in(tx, admins, ambassadors))

    async def telegram_ids(self, role: StaffRole | None = None) -> list[int]:
        """The staff's Telegram ids, whether they have joined or not, in order."""
        rows = await self._db.fetch_all(
            "SELECT telegram_id FROM roles WHERE ? IS NULL OR role = ? ORDER BY telegram_id",
            (role, role),
        )
        return [int(row["telegram_id"]) for row in rows]
