"""Appeals: a member's appeal against their warning or sanction, and the first coordinator's
decision on it (lifting undoes it), each with its audit row in one transaction."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from storage.audit import AuditAction, AuditEntry, audit_in
from storage.database import Database, fetch_one_in
from storage.effects import Then, follow_in
from storage.moderation import Alongside, in_force_in, lift_in, live_warnings_in, unwarn_in
from storage.staff import StaffRole, staff_members_in
from storage.timestamps import from_db, required_from_db, to_db


@dataclass(frozen=True)
class Appeal:
    id: int
    member_id: int
    warning_id: int | None
    sanction_id: int | None
    acted_by: int | None  # who gave the warning or sanction (None: the bot)
    text: str
    at: datetime
    decided_by: int | None
    decided_at: datetime | None
    lifted: bool | None  # None: not decided yet


def _appeal(row: sqlite3.Row) -> Appeal:
    return Appeal(
        id=row["id"],
        member_id=row["member_id"],
        warning_id=row["warning_id"],
        sanction_id=row["sanction_id"],
        acted_by=row["acted_by"],
        text=row["text"],
        at=required_from_db(row["at"], "appeals.at"),
        decided_by=row["decided_by"],
        decided_at=from_db(row["decided_at"]),
        lifted=None if row["lifted"] is None else bool(row["lifted"]),
    )


@dataclass(frozen=True)
class Appealed:
    """An appeal made, and the coordinators it goes to (those other than the one who acted;
    all of them if there is no other)."""

    appeal: Appeal
    reviewers: list[int]


def appeal_by_id_in(tx: sqlite3.Connection, appeal_id: int) -> Appeal | None:
    row = fetch_one_in(tx, "SELECT * FROM appeals WHERE id = ?", (appeal_id,))
    return _appeal(row) if row is not None else None


def appeal_in(
    tx: sqlite3.Connection,
    member_id: int,
    text: str,
    now: datetime,
    *,
    warning_id: int | None = None,
    sanction_id: int | None = None,
) -> Appealed | None:
    """The member's appeal against their own live warning or sanction in force, once each;
    None if there is nothing (any more) to appeal, or it has been appealed already."""
    if warning_id is not None:
        found = next((w for w in live_warnings_in(tx, member_id, now) if w.id == warning_id), None)
        acted_by = found.given_by if found is not None else None
    else:
        held = in_force_in(tx, member_id)
        found = held if held is not None and held.id == sanction_id else None
        acted_by = held.given_by if held is not None else None
    if found is None:
        return None
    cursor = tx.execute(
        "INSERT INTO appeals (member_id, warning_id, sanction_id, acted_by, text, at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (member_id, warning_id, sanction_id, acted_by, text, to_db(now)),
    )
    appeal = appeal_by_id_in(tx, int(cursor.lastrowid or 0)) if cursor.rowcount == 1 else None
    if appeal is None:
        return None
    reviewers = staff_members_in(tx, role=StaffRole.ADMIN, exclude=acted_by)
    return Appealed(appeal, reviewers or staff_members_in(tx, role=StaffRole.ADMIN))


def may_decide_in(tx: sqlite3.Connection, appeal: Appeal, admin_id: int) -> bool:
    """Another coordinator decides; the one who acted only when there is no other."""
    if appeal.acted_by != admin_id:
        return True
    return not staff_members_in(tx, role=StaffRole.ADMIN, exclude=admin_id)


def decide_in(
    tx: sqlite3.Connection,
    appeal_id: int,
    admin_id: int,
    lift: bool,
    now: datetime,
    log_chat: int | None,
    alongside: Alongside | None = None,
) -> Appeal | None:
    """The first coordinator's decision (not the one who acted, unless no other coordinator
    is there): lifting undoes the warning or the sanction, with the audit rows; None if it was
    decided already (a double tap) or is not theirs to decide."""
    appeal = appeal_by_id_in(tx, appeal_id)
    if appeal is None or not may_decide_in(tx, appeal, admin_id):
        return None
    cursor = tx.execute(
        "UPDATE appeals SET decided_by = ?, decided_at = ?, lifted = ?"
        " WHERE id = ? AND decided_at IS NULL",
        (admin_id, to_db(now), int(lift), appeal_id),
    )
    if cursor.rowcount != 1:
        return None
    if lift and appeal.warning_id is not None:
        unwarn_in(tx, appeal.member_id, admin_id, now, log_chat, warning_id=appeal.warning_id)
    elif lift:
        lift_in(
            tx,
            appeal.member_id,
            admin_id,
            now,
            log_chat,
            sanction_id=appeal.sanction_id,
            alongside=alongside,
        )
    entry = AuditEntry(
        AuditAction.APPEAL,
        admin_id,
        appeal.member_id,
        subject=appeal.id,
        details={
            "decision": "lift" if lift else "uphold",
            "about": "warning" if appeal.warning_id is not None else "sanction",
        },
    )
    audit_in(tx, entry, now, log_chat)
    return appeal


class AppealRepository:
    """`services.appeals`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def appeal(
        self,
        member_id: int,
        text: str,
        now: datetime,
        *,
        warning_id: int | None = None,
        sanction_id: int | None = None,
        then: Then[Appealed | None] | None = None,
    ) -> Appealed | None:
        return await self._db.write(
            lambda tx: follow_in(
                tx,
                then,
                appeal_in(tx, member_id, text, now, warning_id=warning_id, sanction_id=sanction_id),
                now,
            )
        )

    async def decide(
        self,
        appeal_id: int,
        admin_id: int,
        lift: bool,
        now: datetime,
        log_chat: int | None,
        *,
        alongside: Alongside | None = None,
        then: Then[Appeal | None] | None = None,
    ) -> Appeal | None:
        return await self._db.write(
            lambda tx: follow_in(
                tx, then, decide_in(tx, appeal_id, admin_id, lift, now, log_chat, alongside), now
            )
        )

    async def get(self, appeal_id: int) -> Appeal | None:
        row = await self._db.fetch_one("SELECT * FROM appeals WHERE id = ?", (appeal_id,))
        return _appeal(row) if row is not None else None
