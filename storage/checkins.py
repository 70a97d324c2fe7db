"""Check-ins: each member's schedule, the due pass that queues the check-ins whose time has
come, and the answers, kept under the member's wellbeing pseudonym by day only."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Any

from bot.domain.checkins import (
    TOO_LATE,
    Cadence,
    Schedule,
    after_pass,
    following,
    next_due,
    spread_of,
    too_late,
)
from bot.domain.matching import send_after
from storage.database import Database
from storage.outbox import Notice, Priority, queue_in, queue_selected_in
from storage.support import pseudonym_in
from storage.timestamps import from_db, to_db
from storage.wellbeing import consented_in

PURPOSE = "checkin"  # the outbox purpose of a check-in message
PASS_BATCH = 5_000  # check-ins one pass looks at; more than this and the pass goes again


@dataclass(frozen=True)
class MemberSchedule:
    member_id: int
    schedule: Schedule
    next_due_at: datetime | None


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time


@dataclass(frozen=True)
class PassResult:
    queued: int  # check-ins queued for sending
    skipped: int  # found too late (the bot was down) or for someone no longer a member
    more: bool  # the batch was full: run again at once


def checkin_key(member_id: int, due_text: str) -> str:
    """One check-in per member and slot (its time as stored), however often the pass sees it."""
    return f"checkin:{member_id}:{due_text}"


@lru_cache(maxsize=1024)
def schedule_from(cadence: str, weekday: int, hour: int, paused_until: str | None) -> Schedule:
    return Schedule(
        Cadence(cadence),
        weekday,
        hour,
        date.fromisoformat(paused_until) if paused_until else None,
    )


def get_in(tx: sqlite3.Connection, member_id: int) -> MemberSchedule | None:
    row = tx.execute("SELECT * FROM checkin_schedules WHERE member_id = ?", (member_id,)).fetchone()
    return _member_schedule(row) if row is not None else None


def choose_in(
    tx: sqlite3.Connection, member_id: int, schedule: Schedule, now: datetime, tz: tzinfo
) -> MemberSchedule:
    """Keep the member's choice and when their next check-in is due (None when off)."""
    due = next_due(schedule, now, tz, spread_of(member_id))
    tx.execute(
        "INSERT INTO checkin_schedules"
        " (member_id, cadence, weekday, hour, paused_until, next_due_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (member_id) DO UPDATE SET"
        " cadence = excluded.cadence, weekday = excluded.weekday, hour = excluded.hour,"
        " paused_until = excluded.paused_until, next_due_at = excluded.next_due_at,"
        " updated_at = excluded.updated_at",
        (
            member_id,
            schedule.cadence.value,
            schedule.weekday,
            schedule.hour,
            schedule.paused_until.isoformat() if schedule.paused_until else None,
            to_db(due) if due is not None else None,
            to_db(now),
        ),
    )
    return MemberSchedule(member_id, schedule, due)


def answer_in(tx: sqlite3.Connection, member_id: int, day: date, answer: int) -> bool:
    """Keep the answer to the check-in of that day, only with the member's wellbeing consent;
    False if nothing was kept: no consent, or answered already (a second tap, or a
    re-delivered press, changes nothing)."""
    if not 1 <= answer <= 5:
        raise ValueError(f"no check-in answer {answer}")
    if not consented_in(tx, member_id):
        return False
    cursor = tx.execute(
        "INSERT OR IGNORE INTO checkin_answers (pseudonym, day, answer) VALUES (?, ?, ?)",
        (pseudonym_in(tx, member_id), day.isoformat(), answer),
    )
    return cursor.rowcount == 1


# Within a pass, a schedule at or before this bound (its due moment, then its member id): a
# pass takes at most `limit` of them, in that order.
_IN_PASS = "s.next_due_at <= :cut_due AND (s.next_due_at < :cut_due OR s.member_id <= :cut_member)"
# The schedules of one slot: the same local day and hour, cadence and pause, so the same way to
# send and to move on. (One local hour is one or two UTC hours, each its own group.)
_IN_SLOT = (
    f"{_IN_PASS} AND s.weekday = :weekday AND s.hour = :hour AND s.cadence = :cadence"
    " AND s.paused_until IS :paused_until AND substr(s.next_due_at, 1, 13) = :utc_hour"
)
_LAST_MEMBER = 2**63 - 1


def _shifted(column: str, seconds: str) -> str:
    """SQL for a stored timestamp moved on by some seconds, stored the same way (to_db's)."""
    return (
        f"CASE WHEN {seconds} = 0 THEN {column} ELSE strftime('%Y-%m-%dT%H:%M:%S+00:00',"
        f" unixepoch({column}) + {seconds}, 'unixepoch') END"
    )


# The check-ins of one slot to queue: the members still here, found in time, each sent at
# `_send_at`'s moment (the slot's offsets, worked out once, make it one expression).
_DUE_IN_SLOT = (
    "SELECT s.member_id AS member_id,"
    f" '{PURPOSE}:' || s.member_id || ':' || s.next_due_at AS key,"
    " CASE WHEN s.next_due_at >= :now THEN "
    + _shifted("s.next_due_at", ":on_time")
    + " WHEN :late IS NULL THEN :now ELSE "
    + _shifted("s.next_due_at", ":late")
    + " END AS not_before"
    " FROM checkin_schedules s JOIN members m ON m.id = s.member_id"
    f" WHERE {_IN_SLOT} AND m.status = 'active' AND m.telegram_id IS NOT NULL"
    " AND s.next_due_at >= :too_late_before ORDER BY s.next_due_at"
)


@dataclass(frozen=True)
class _SlotSending:
    """How every check-in of one slot is sent, as `_send_at` says, as offsets from its due
    moment: one on time goes `on_time` after it; one found late goes `late` after it, or, if
    None, now."""

    on_time: timedelta
    late: timedelta | None


def due_pass_in(
    tx: sqlite3.Connection,
    now: datetime,
    tz: tzinfo,
    quiet: QuietHours,
    *,
    ahead: timedelta = timedelta(0),
    limit: int = PASS_BATCH,
) -> PassResult:
    """Queue every check-in due by `now + ahead` (each to be sent at its own time, or after
    quiet hours), skip those found too late, and move each schedule on: one write.

    The schedules of one slot share when they go and how far they move on, so a slot is two
    statements, however many it holds. One that quiet hours touch in part, or one found after
    a downtime longer than its cadence, goes member by member."""
    bound = tx.execute(
        "SELECT next_due_at, member_id FROM checkin_schedules"
        " WHERE next_due_at IS NOT NULL AND next_due_at <= ?"
        " ORDER BY next_due_at, member_id LIMIT 1 OFFSET ?",
        (to_db(now + ahead), limit - 1),
    ).fetchone()
    cut = {
        "cut_due": bound[0] if bound else to_db(now + ahead),
        "cut_member": bound[1] if bound else _LAST_MEMBER,
    }
    slots = tx.execute(
        "SELECT s.weekday, s.hour, s.cadence, s.paused_until,"
        " substr(s.next_due_at, 1, 13) AS utc_hour, min(s.next_due_at) AS first_due"
        f" FROM checkin_schedules s WHERE {_IN_PASS}"
        " GROUP BY s.weekday, s.hour, s.cadence, s.paused_until, utc_hour ORDER BY first_due",
        cut,
    ).fetchall()
    # Those found late go now, or after quiet hours if it is night: worked out once.
    now_or_morning = send_after(now, tz, quiet.start, quiet.end, 0, 1)
    queued = skipped = 0
    for weekday, hour, cadence, paused_until, utc_hour, first_due in slots:
        local = datetime.fromisoformat(first_due).astimezone(tz)
        slot_start = local.replace(minute=0, second=0, microsecond=0).astimezone(UTC)
        params = {
            **cut,
            "weekday": weekday,
            "hour": hour,
            "cadence": cadence,
            "paused_until": paused_until,
            "utc_hour": utc_hour,
        }
        data = {"day": local.date().isoformat(), "hour": local.hour}
        upcoming = following(schedule_from(cadence, weekday, hour, paused_until), slot_start, tz)
        sending = _slot_sending(slot_start, now, now_or_morning, tz, quiet)
        if sending is None or (upcoming is not None and upcoming <= now):
            slot_queued, slot_skipped = _member_by_member_in(
                tx, params, data, now, now_or_morning, slot_start, tz, quiet
            )
        else:
            slot_queued = queue_selected_in(
                tx,
                PURPOSE,
                Priority.BULK,
                data,
                _DUE_IN_SLOT,
                {
                    **params,
                    "now": to_db(now),
                    "too_late_before": to_db(now - TOO_LATE),
                    "on_time": _seconds(sending.on_time),
                    "late": _seconds(sending.late) if sending.late is not None else None,
                },
                now,
            )
            moved = tx.execute(
                "UPDATE checkin_schedules AS s SET next_due_at = "
                + (_shifted("s.next_due_at", ":move") if upcoming is not None else "NULL")
                + f" WHERE {_IN_SLOT}",
                {**params, "move": _seconds(upcoming - slot_start) if upcoming else 0},
            ).rowcount
            slot_skipped = moved - slot_queued
        queued += slot_queued
        skipped += slot_skipped
    return PassResult(queued, skipped, bound is not None)


def _seconds(span: timedelta) -> int:
    return int(span.total_seconds())


def _slot_sending(
    slot_start: datetime, now: datetime, now_or_morning: datetime, tz: tzinfo, quiet: QuietHours
) -> _SlotSending | None:
    """`_send_at` for every check-in of a slot as offsets, or None when it differs within the
    slot (quiet hours begin or end inside the hour: those go member by member)."""
    last = slot_start + timedelta(hours=1) - timedelta(seconds=1)
    moved = [send_after(moment, tz, quiet.start, quiet.end, 0, 1) for moment in (slot_start, last)]
    if moved == [slot_start, last]:
        on_time = timedelta(0)
    elif moved[0] == moved[1]:  # the whole hour is quiet: each keeps its place after it
        on_time = moved[0] - slot_start
    else:
        return None
    late = None if now_or_morning == now else now_or_morning - slot_start
    return _SlotSending(on_time, late)


def _member_by_member_in(
    tx: sqlite3.Connection,
    params: dict[str, Any],
    data: dict[str, Any],
    now: datetime,
    now_or_morning: datetime,
    slot_start: datetime,
    tz: tzinfo,
    quiet: QuietHours,
) -> tuple[int, int]:
    """One slot's check-ins queued and moved on one at a time: how many queued and skipped."""
    rows = tx.execute(
        "SELECT s.member_id, s.cadence, s.weekday, s.hour, s.paused_until, s.next_due_at,"
        " m.status = 'active' AND m.telegram_id IS NOT NULL AS reachable"
        f" FROM checkin_schedules s JOIN members m ON m.id = s.member_id WHERE {_IN_SLOT}",
        params,
    ).fetchall()
    clear = _clear_of(slot_start, tz, quiet)
    notices: list[Notice] = []
    moves: list[tuple[str | None, int]] = []
    for member_id, cadence, weekday, hour, paused_until, due_text, reachable in rows:
        due = datetime.fromisoformat(due_text)
        if reachable and not too_late(due, now):
            notices.append(
                Notice(
                    PURPOSE,
                    member_id=member_id,
                    data=data,
                    priority=Priority.BULK,
                    key=checkin_key(member_id, due_text),
                    not_before=_send_at(due, now, now_or_morning, slot_start, clear, tz, quiet),
                )
            )
        schedule = schedule_from(cadence, weekday, hour, paused_until)
        upcoming = after_pass(schedule, due, now, tz, spread_of(member_id))
        moves.append((to_db(upcoming) if upcoming is not None else None, member_id))
    queue_in(tx, notices, now)
    tx.executemany("UPDATE checkin_schedules SET next_due_at = ? WHERE member_id = ?", moves)
    return len(notices), len(rows) - len(notices)


def _send_at(
    due: datetime,
    now: datetime,
    now_or_morning: datetime,
    slot_start: datetime,
    clear: bool,
    tz: tzinfo,
    quiet: QuietHours,
) -> datetime:
    """When a check-in goes: at its moment, or now if that has passed (the bot was down), but
    never in quiet hours; one held until the morning keeps the member's place in the hour,
    so those held still go out spread, not all at the end of quiet hours."""
    if due >= now:
        moment = due
        moved = due if clear else send_after(due, tz, quiet.start, quiet.end, 0, 1)
    else:
        moment, moved = now, now_or_morning
    return moment if moved == moment else moved + (due - slot_start)


def _clear_of(slot_start: datetime, tz: tzinfo, quiet: QuietHours) -> bool:
    """Whether quiet hours leave the whole hour from `slot_start` alone (its start and its
    last second both free: quiet hours are one stretch, longer than an hour)."""
    last = slot_start + timedelta(hours=1) - timedelta(seconds=1)
    return all(
        send_after(moment, tz, quiet.start, quiet.end, 0, 1) == moment
        for moment in (slot_start, last)
    )


def _member_schedule(row: sqlite3.Row) -> MemberSchedule:
    return MemberSchedule(
        row["member_id"],
        schedule_from(row["cadence"], row["weekday"], row["hour"], row["paused_until"]),
        from_db(row["next_due_at"]),
    )


class CheckinRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, member_id: int) -> MemberSchedule | None:
        row = await self._db.fetch_one(
            "SELECT * FROM checkin_schedules WHERE member_id = ?", (member_id,)
        )
        return _member_schedule(row) if row is not None else None

    async def choose(
        self, member_id: int, schedule: Schedule, now: datetime, tz: tzinfo
    ) -> MemberSchedule:
        return await self._db.write(lambda tx: choose_in(tx, member_id, schedule, now, tz))

    async def answer(self, member_id: int, day: date, answer: int) -> bool:
        return await self._db.write(lambda tx: answer_in(tx, member_id, day, answer))

    async def due_pass(
        self,
        now: datetime,
        tz: tzinfo,
        quiet: QuietHours,
        *,
        ahead: timedelta = timedelta(0),
        limit: int = PASS_BATCH,
    ) -> PassResult:
        return await self._db.write(
            lambda tx: due_pass_in(tx, now, tz, quiet, ahead=ahead, limit=limit)
        )
