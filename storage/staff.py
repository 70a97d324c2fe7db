"""Who the staff are (coordinators and ambassadors): the roles, kept in the database.

The config's [roles] are copied in at each start-up (bot/runtime/context.py); /promote and
/demote add and take away the others (source 'chat'). Every list of the staff is read here."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from storage.audit import AuditAction, AuditEntry, audit_in
from storage.database import Database, fetch_all_in, fetch_one_in
from storage.effects import Then, follow_in
from storage.timestamps import to_db


class StaffRole(StrEnum):
    AMBASSADOR = "ambassador"
    ADMIN = "admin"


class RoleSource(StrEnum):
    CONFIG = "config"  # named in the config file: only the config changes it
    CHAT = "chat"  # given by /promote, until /demote


@dataclass(frozen=True)
class RoleRow:
    telegram_id: int
    role: StaffRole
    source: RoleSource


class RoleChange(StrEnum):
    """What a /promote or /demote did (or why it did nothing)."""

    DONE = "done"
    SAME = "same"  # they have that role already (or, demoting, none at all)
    CONFIG = "config"  # the config file names them: not changed by chat


@dataclass(frozen=True)
class RoleRequest:
    """A role given or taken away by a coordinator (member ids; the target's Telegram id)."""

    actor_id: int
    target_id: int
    target_telegram_id: int
    role: StaffRole | None  # None: back to a plain member
    reason: str | None = None


def role_row_in(tx: sqlite3.Connection, telegram_id: int) -> RoleRow | None:
    row = fetch_one_in(tx, "SELECT * FROM roles WHERE telegram_id = ?", (telegram_id,))
    return _role_row(row) if row is not None else None


def _role_row(row: sqlite3.Row) -> RoleRow:
    return RoleRow(int(row["telegram_id"]), StaffRole(row["role"]), RoleSource(row["source"]))


def change_role_in(
    tx: sqlite3.Connection, request: RoleRequest, now: datetime, log_chat: int | None
) -> RoleChange:
    """Give the role (or take it away) with its audit row, in the caller's write; the same
    request again changes nothing."""
    held = role_row_in(tx, request.target_telegram_id)
    if held is not None and held.source is RoleSource.CONFIG:
        return RoleChange.CONFIG
    if (held.role if held is not None else None) == request.role:
        return RoleChange.SAME
    if request.role is None:
        tx.execute("DELETE FROM roles WHERE telegram_id = ?", (request.target_telegram_id,))
    else:
        tx.execute(
            "INSERT INTO roles (telegram_id, role, source, given_by, given_at)"
            " VALUES (?, ?, 'chat', ?, ?) ON CONFLICT (telegram_id) DO UPDATE SET"
            " role = excluded.role, given_by = excluded.given_by, given_at = excluded.given_at",
            (request.target_telegram_id, str(request.role), request.actor_id, to_db(now)),
        )
    action = AuditAction.DEMOTE if request.role is None else AuditAction.PROMOTE
    before = str(held.role) if held is not None else "member"
    entry = AuditEntry(
        action,
        actor_id=request.actor_id,
        target_id=request.target_id,
        reason=request.reason,
        details={"role": str(request.role or "member"), "before": before},
    )
    audit_in(tx, entry, now, log_chat)
    return RoleChange.DONE


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

    async def roles(self) -> list[RoleRow]:
        """Everyone with a role, as the database holds them now."""
        rows = await self._db.fetch_all("SELECT * FROM roles ORDER BY telegram_id")
        return [_role_row(row) for row in rows]

    async def change_role(
        self,
        request: RoleRequest,
        now: datetime,
        log_chat: int | None,
        *,
        then: Then[RoleChange] | None = None,
    ) -> RoleChange:
        """/promote or /demote: the role, its audit row and what `then` says follows (the
        member's notice), in one transaction."""
        return await self._db.write(
            lambda tx: follow_in(tx, then, change_role_in(tx, request, now, log_chat), now)
        )

    async def telegram_ids(self, role: StaffRole | None = None) -> list[int]:
        """The staff's Telegram ids, whether they have joined or not, in order."""
        rows = await self._db.fetch_all(
            "SELECT telegram_id FROM roles WHERE ? IS NULL OR role = ? ORDER BY telegram_id",
            (role, role),
        )
        return [int(row["telegram_id"]) for row in rows]
