"""Warnings, suspensions and bans: each written with its audit row (and what follows from it) in
one transaction; the same request again changes nothing."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from enum import StrEnum

from bot.domain import moderation
from bot.domain.membership import Status
from storage.audit import AuditAction, AuditEntry, audit_in
from storage.database import Database, fetch_all_in, fetch_one_in
from storage.due_work import cancel_in, schedule_in
from storage.effects import Then, follow_in
from storage.group_bans import ban_from_groups_in, unban_from_groups_in
from storage.members import set_status_if_in
from storage.timestamps import from_db, required_from_db, to_db

END_KIND = "moderation.end"  # due work: a timed suspension is over


def end_key(sanction_id: int) -> str:
    return f"{END_KIND}:{sanction_id}"


class SanctionKind(StrEnum):
    SUSPEND = "suspend"
    BAN = "ban"


@dataclass(frozen=True)
class GivenWarning:
    id: int
    member_id: int
    given_by: int | None
    reason: str | None
    given_at: datetime
    expires_at: datetime
    lifted_at: datetime | None

    @property
    def times(self) -> moderation.WarningTimes:
        return moderation.WarningTimes(self.given_at, self.expires_at, self.lifted_at)


@dataclass(frozen=True)
class Sanction:
    id: int
    member_id: int
    kind: SanctionKind
    given_by: int | None  # None: the bot itself (the warn limit)
    reason: str | None
    given_at: datetime
    until: datetime | None  # None: until lifted
    ended_at: datetime | None
    ended_by: int | None


@dataclass(frozen=True)
class Warned:
    """A warning given: how many now count, and the suspension it led to (if it did)."""

    warning: GivenWarning
    live: int
    suspension: Sanction | None


@dataclass(frozen=True)
class WarnRequest:
    member_id: int
    actor_id: int | None  # None: someone in a group chat who is not a member (see details)
    reason: str | None
    expiry_days: int
    limit: int
    chat_id: int | None = None  # the group chat it was given in
    details: Mapping[str, object] = field(default_factory=dict)  # for the audit row
    zone: tzinfo = UTC  # the community's: a warning ends at the time of day it was given


@dataclass(frozen=True)
class SanctionRequest:
    member_id: int
    kind: SanctionKind
    actor_id: int | None
    reason: str | None
    until: datetime | None
    details: dict[str, object] | None = None


# What else changes with a sanction (listings closed and introductions ended by a ban): run in
# the same transaction, after the sanction is written.
Alongside = Callable[[sqlite3.Connection, "Sanction"], None]


def _warning(row: sqlite3.Row) -> GivenWarning:
    return GivenWarning(
        id=row["id"],
        member_id=row["member_id"],
        given_by=row["given_by"],
        reason=row["reason"],
        given_at=required_from_db(row["given_at"], "warnings.given_at"),
        expires_at=required_from_db(row["expires_at"], "warnings.expires_at"),
        lifted_at=from_db(row["lifted_at"]),
    )


def _sanction(row: sqlite3.Row) -> Sanction:
    return Sanction(
        id=row["id"],
        member_id=row["member_id"],
        kind=SanctionKind(row["kind"]),
        given_by=row["given_by"],
        reason=row["reason"],
        given_at=required_from_db(row["given_at"], "sanctions.given_at"),
        until=from_db(row["until"]),
        ended_at=from_db(row["ended_at"]),
        ended_by=row["ended_by"],
    )


def introduced_to_in(tx: sqlite3.Connection, member_id: int) -> list[tuple[int, int]]:
    """The member's open introductions (proposed or agreed): each one's id and the other
    member in it."""
    rows = fetch_all_in(
        tx,
        "SELECT id, CASE WHEN owner_id = ? THEN responder_id ELSE owner_id END AS other"
        " FROM introductions WHERE status IN ('proposed', 'accepted')"
        " AND ? IN (owner_id, responder_id) ORDER BY id",
        (member_id, member_id),
    )
    return [(int(row["id"]), int(row["other"])) for row in rows]


def remove_from_bank_in(
    tx: sqlite3.Connection, member_id: int, now: datetime
) -> list[tuple[int, int]]:
    """A ban: the member's listings closed, their open introductions ended and match notices
    about them dropped (the ledger is kept); the introductions ended, as `introduced_to_in`."""
    ended = introduced_to_in(tx, member_id)
    stamp = to_db(now)
    tx.execute(
        "UPDATE listings SET status = 'closed', updated_at = ?"
        " WHERE member_id = ? AND status IN ('open', 'paused', 'matched')",
        (stamp, member_id),
    )
    tx.execute(
        "UPDATE introductions SET status = 'ended', ended_by = ?, updated_at = ?"
        " WHERE status IN ('proposed', 'accepted') AND ? IN (owner_id, responder_id)",
        (member_id, stamp, member_id),
    )
    tx.execute(
        "UPDATE match_notices SET status = 'dropped' WHERE status = 'queued' AND (member_id = ?"
        " OR listing_id IN (SELECT id FROM listings WHERE member_id = ?))",
        (member_id, member_id),
    )
    return ended


def live_warnings_in(tx: sqlite3.Connection, member_id: int, now: datetime) -> list[GivenWarning]:
    """The warnings that count now, oldest first."""
    rows = fetch_all_in(tx, "SELECT * FROM warnings WHERE member_id = ? ORDER BY id", (member_id,))
    return [w for w in map(_warning, rows) if w.times.live_at(now)]


def in_force_in(tx: sqlite3.Connection, member_id: int) -> Sanction | None:
    row = fetch_one_in(
        tx, "SELECT * FROM sanctions WHERE member_id = ? AND ended_at IS NULL", (member_id,)
    )
    return _sanction(row) if row is not None else None


def sanction_in(
    tx: sqlite3.Connection,
    request: SanctionRequest,
    now: datetime,
    log_chat: int | None,
    alongside: Alongside | None = None,
) -> Sanction | None:
    """Suspend or ban an active member (a ban also replaces a suspension in force), with its
    audit row and, for a timed one, its end as due work; None if nothing changed."""
    held = in_force_in(tx, request.member_id)
    if held is not None and (held.kind is SanctionKind.BAN or request.kind is SanctionKind.SUSPEND):
        return None
    if held is not None:  # a suspension becomes a ban
        tx.execute(
            "UPDATE sanctions SET ended_at = ?, ended_by = ? WHERE id = ?",
            (to_db(now), request.actor_id, held.id),
        )
        cancel_in(tx, end_key(held.id))
    elif not set_status_if_in(tx, request.member_id, Status.ACTIVE, Status.SUSPENDED, now):
        return None
    cursor = tx.execute(
        "INSERT INTO sanctions (member_id, kind, given_by, reason, given_at, until)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            request.member_id,
            request.kind.value,
            request.actor_id,
            request.reason,
            to_db(now),
            to_db(request.until) if request.until is not None else None,
        ),
    )
    sanction_id = int(cursor.lastrowid or 0)
    if request.kind is SanctionKind.BAN:
        ban_from_groups_in(tx, request.member_id, sanction_id, request.actor_id, now)
    if request.until is not None:
        schedule_in(tx, end_key(sanction_id), END_KIND, request.until, member_id=request.member_id)
    details: dict[str, object] = dict(request.details or {})
    if request.until is not None:
        details["until"] = to_db(request.until)
    action = AuditAction.BAN if request.kind is SanctionKind.BAN else AuditAction.SUSPEND
    entry = AuditEntry(
        action,
        request.actor_id,
        request.member_id,
        reason=request.reason,
        subject=sanction_id,
        details=details,
    )
    audit_in(tx, entry, now, log_chat)
    sanction = in_force_in(tx, request.member_id)
    if sanction is not None and alongside is not None:
        alongside(tx, sanction)
    return sanction


def lift_in(
    tx: sqlite3.Connection,
    member_id: int,
    actor_id: int | None,
    now: datetime,
    log_chat: int | None,
    *,
    sanction_id: int | None = None,
    reason: str | None = None,
    alongside: Alongside | None = None,
) -> Sanction | None:
    """End the sanction in force (only that one, if `sanction_id`): the member is active again,
    with its audit row (and what `alongside` adds); None if there was none to end."""
    held = in_force_in(tx, member_id)
    if held is None or (sanction_id is not None and held.id != sanction_id):
        return None
    tx.execute(
        "UPDATE sanctions SET ended_at = ?, ended_by = ? WHERE id = ?",
        (to_db(now), actor_id, held.id),
    )
    cancel_in(tx, end_key(held.id))
    set_status_if_in(tx, member_id, Status.SUSPENDED, Status.ACTIVE, now)
    if held.kind is SanctionKind.BAN:
        unban_from_groups_in(tx, member_id, held.id, actor_id, now)
    action = AuditAction.UNBAN if held.kind is SanctionKind.BAN else AuditAction.UNSUSPEND
    audit_in(
        tx, AuditEntry(action, actor_id, member_id, reason=reason, subject=held.id), now, log_chat
    )
    if alongside is not None:
        alongside(tx, held)
    return held


def end_due_in(
    tx: sqlite3.Connection,
    sanction_id: int,
    now: datetime,
    log_chat: int | None,
    alongside: Alongside | None = None,
) -> Sanction | None:
    """A timed suspension whose time is up ends (by the bot); None if it was lifted already."""
    row = fetch_one_in(tx, "SELECT * FROM sanctions WHERE id = ?", (sanction_id,))
    held = _sanction(row) if row is not None else None
    if held is None or held.ended_at is not None or held.until is None or held.until > now:
        return None
    return lift_in(
        tx, held.member_id, None, now, log_chat, sanction_id=sanction_id, alongside=alongside
    )


def warn_in(
    tx: sqlite3.Connection,
    request: WarnRequest,
    now: datetime,
    log_chat: int | None,
    alongside: Alongside | None = None,
) -> Warned:
    """Give a warning with its audit row; at the warn limit the bot suspends the member."""
    expires_at = moderation.expires(now, request.expiry_days, request.zone)
    cursor = tx.execute(
        "INSERT INTO warnings (member_id, given_by, reason, given_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (request.member_id, request.actor_id, request.reason, to_db(now), to_db(expires_at)),
    )
    warning_id = int(cursor.lastrowid or 0)
    live = live_warnings_in(tx, request.member_id, now)
    entry = AuditEntry(
        AuditAction.WARN,
        request.actor_id,
        request.member_id,
        reason=request.reason,
        chat_id=request.chat_id,
        subject=warning_id,
        details={
            **request.details,
            "live": len(live),
            "limit": request.limit,
            "expires": to_db(expires_at),
        },
    )
    audit_in(tx, entry, now, log_chat)
    suspension = None
    if moderation.reaches_limit(len(live), request.limit):
        suspension = sanction_in(
            tx,
            SanctionRequest(
                request.member_id,
                SanctionKind.SUSPEND,
                None,
                request.reason,
                None,
                details={"warn_limit": request.limit},
            ),
            now,
            log_chat,
            alongside,
        )
    warning = next(w for w in live if w.id == warning_id)
    return Warned(warning, len(live), suspension)


def unwarn_in(
    tx: sqlite3.Connection,
    member_id: int,
    actor_id: int | None,
    now: datetime,
    log_chat: int | None,
    *,
    warning_id: int | None = None,
    chat_id: int | None = None,
    details: Mapping[str, object] | None = None,
) -> GivenWarning | None:
    """Take back the newest live warning (or that one), with its audit row; None if none."""
    live = live_warnings_in(tx, member_id, now)
    chosen = [w for w in live if warning_id is None or w.id == warning_id]
    if not chosen:
        return None
    newest = chosen[-1]
    tx.execute(
        "UPDATE warnings SET lifted_at = ?, lifted_by = ? WHERE id = ? AND lifted_at IS NULL",
        (to_db(now), actor_id, newest.id),
    )
    entry = AuditEntry(
        AuditAction.UNWARN,
        actor_id,
        member_id,
        chat_id=chat_id,
        subject=newest.id,
        details={**(details or {}), "live": len(live) - 1},
    )
    audit_in(tx, entry, now, log_chat)
    return newest


class ModerationRepository:
    """`services.moderation`: warnings and sanctions."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def unwarn(
        self,
        member_id: int,
        actor_id: int | None,
        now: datetime,
        log_chat: int | None,
        *,
        chat_id: int | None = None,
        details: Mapping[str, object] | None = None,
        then: Then[GivenWarning | None] | None = None,
    ) -> GivenWarning | None:
        """Take back the newest live warning (in a group chat: `chat_id`, and `details` of
        who did it for the audit row)."""
        return await self._db.write(
            lambda tx: follow_in(
                tx,
                then,
                unwarn_in(tx, member_id, actor_id, now, log_chat, chat_id=chat_id, details=details),
                now,
            )
        )

    async def lift(
        self,
        member_id: int,
        actor_id: int | None,
        now: datetime,
        log_chat: int | None,
        *,
        sanction_id: int | None = None,
        alongside: Alongside | None = None,
        then: Then[Sanction | None] | None = None,
    ) -> Sanction | None:
        return await self._db.write(
            lambda tx: follow_in(
                tx,
                then,
                lift_in(
                    tx,
                    member_id,
                    actor_id,
                    now,
                    log_chat,
                    sanction_id=sanction_id,
                    alongside=alongside,
                ),
                now,
            )
        )

    async def end_due(
        self,
        sanction_id: int,
        now: datetime,
        log_chat: int | None,
        *,
        alongside: Alongside | None = None,
        then: Then[Sanction | None] | None = None,
    ) -> Sanction | None:
        return await self._db.write(
            lambda tx: follow_in(
                tx, then, end_due_in(tx, sanction_id, now, log_chat, alongside), now
            )
        )

    async def live_warnings(self, member_id: int, now: datetime) -> list[GivenWarning]:
        """The warnings that count now, oldest first."""
        rows = await self._db.fetch_all(
            "SELECT * FROM warnings WHERE member_id = ? ORDER BY id", (member_id,)
        )
        return [w for w in map(_warning, rows) if w.times.live_at(now)]

    async def in_force(self, member_id: int) -> Sanction | None:
        row = await self._db.fetch_one(
            "SELECT * FROM sanctions WHERE member_id = ? AND ended_at IS NULL", (member_id,)
        )
        return _sanction(row) if row is not None else None

    async def sanction_by_id(self, sanction_id: int) -> Sanction | None:
        row = await self._db.fetch_one("SELECT * FROM sanctions WHERE id = ?", (sanction_id,))
        return _sanction(row) if row is not None else None

    async def warning_by_id(self, warning_id: int) -> GivenWarning | None:
        row = await self._db.fetch_one("SELECT * FROM warnings WHERE id = ?", (warning_id,))
        return _warning(row) if row is not None else None
