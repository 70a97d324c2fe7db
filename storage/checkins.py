"""Check-ins: each member's schedule, the due pass that queues the check-ins whose time has
come, and the answers, kept under the member's wellbeing pseudonym by day only."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache

from bot.domain.checkins import (
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
from storage.outbox import Notice, Priority, queue_in
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
    quiet hours), skip those found too late, and move each schedule on: one write."""
    rows = tx.execute(
        "SELECT s.member_id, s.cadence, s.weekday, s.hour, s.paused_until, s.next_due_at,"
        " m.status = 'active' AND m.telegram_id IS NOT NULL AS reachable"
        " FROM checkin_schedules s JOIN members m ON m.id = s.member_id"
        " WHERE s.next_due_at IS NOT NULL AND s.next_due_at <= ?"
        " ORDER BY s.next_due_at LIMIT ?",
        (to_db(now + ahead), limit),
    ).fetchall()
    notices: list[Notice] = []
    moves: list[tuple[str | None, int]] = []
    skipped = 0
    # Members of one slot share its hour: how far the slot moves on (a week, say, and an hour
    # less or more across a clock change), its day and whether quiet hours touch it are worked
    # out once per slot, not per member (a pass may hold thousands).
    moved_by: dict[tuple[str, int, int, str | None, datetime], timedelta | None] = {}
    hours: dict[datetime, tuple[dict[str, str | int], bool]] = {}
    # Those found late go now, or after quiet hours if it is night: worked out once.
    now_or_morning = send_after(now, tz, quiet.start, quiet.end, 0, 1)
    for member_id, cadence, weekday, hour, paused_until, due_text, reachable in rows:
        due = datetime.fromisoformat(due_text)
        local = due.astimezone(tz)
        slot_start = local.replace(minute=0, second=0, microsecond=0).astimezone(UTC)
        if slot_start not in hours:
            hours[slot_start] = (
                {"day": local.date().isoformat(), "hour": local.hour},
                _clear_of(slot_start, tz, quiet),
            )
        data, clear = hours[slot_start]
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
        else:
            skipped += 1
        slot = (cadence, weekday, hour, paused_until, slot_start)
        if slot not in moved_by:
            upcoming = following(schedule_from(*slot[:4]), slot_start, tz)
            moved_by[slot] = upcoming - slot_start if upcoming is not None else None
        shift = moved_by[slot]
        upcoming = due + shift if shift is not None else None
        if upcoming is not None and upcoming <= now:  # a long downtime: the first still ahead
            schedule = schedule_from(cadence, weekday, hour, paused_until)
            upcoming = after_pass(schedule, due, now, tz, spread_of(member_id))
        moves.append((to_db(upcoming) if upcoming is not None else None, member_id))
    queue_in(tx, notices, now)
    tx.executemany("UPDATE checkin_schedules SET next_due_at = ? WHERE member_id = ?", moves)
    return PassResult(len(notices), skipped, len(rows) == limit)


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
