"""Who works the support queue, as the config's roles say, kept in the database so that a
request and the notices to everyone who should hear of it are written in one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from enum import StrEnum

from storage.database import fetch_all_in


class StaffRole(StrEnum):
    AMBASSADOR = "ambassador"
    ADMIN = "admin"


def staff_members_in(
    tx: sqlite3.Connection, *, role: StaffRole | None = None, exclude: int | None = None
) -> list[int]:
    """The member ids of the active members who work the queue (or only those of one role)."""
    rows = fetch_all_in(
        tx,
        "SELECT m.id FROM support_staff s JOIN members m ON m.telegram_id = s.telegram_id"
        " WHERE m.status = 'active' AND (? IS NULL OR s.role = ?) AND m.id IS NOT ?"
        " ORDER BY m.id",
        (role, role, exclude),
    )
    return [int(row["id"]) for row in rows]


def set_staff_in(tx: sqlite3.Connection, admins: Iterable[int], ambassadors: Iterable[int]) -> None:
    """Copy the config's roles (a coordinator who is also an ambassador counts as one)."""
    tx.execute("DELETE FROM support_staff")
    chosen = {telegram_id: StaffRole.AMBASSADOR for telegram_id in ambassadors}
    chosen.update({telegram_id: StaffRole.ADMIN for telegram_id in admins})
    tx.executemany(
        "INSERT INTO support_staff (telegram_id, role) VALUES (?, ?)",
        [(telegram_id, str(role)) for telegram_id, role in sorted(chosen.items())],
    )
