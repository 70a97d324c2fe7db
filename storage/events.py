"""Community events and members' answers to them (going, maybe, can't go; the waitlist)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.domain.events import Answer, EventStatus, seat_for, to_promote, utc_start
from storage.database import Database, fetch_one_in
from storage.effects import Then, follow_in
from storage.forms import finish_in, made_by_in, record_made_in
from storage.outbox import Notice, queue_in
from storage.timestamps import required_from_db, to_db


@dataclass(frozen=True)
class EventDetails:
    """What the organiser chose: everything about an event but its state."""

    title: str
    local_day: date
    local_time: time
    place: str
    area: str  # an area key, or ONLINE
    kind: str
    description: str
    capacity: int | None = None
    volunteers_wanted: int | None = None
    credit_minutes: int | None = None  # credited per volunteer hour
    organisation: str | None = None


@dataclass(frozen=True)
class Event:
    id: int
    details: EventDetails
    zone: str
    starts_at: datetime  # UTC, from the wall time in the zone
    created_by: int | None
    status: EventStatus
    created_at: datetime
    updated_at: datetime
    with_a_place: int  # going, not waiting
    waiting: int
    maybe: int
    volunteering: int
    volunteers_credited: int = 0

    @property
    def start(self) -> datetime:
        """The wall time in the community's zone, as chosen."""
        return datetime.combine(
            self.details.local_day, self.details.local_time, ZoneInfo(self.zone)
        )


@dataclass(frozen=True)
class MyAnswer:
    answer: Answer
    position: int | None  # on the waitlist, first is 1; None when not waiting
    wants_to_volunteer: bool


@dataclass(frozen=True)
class Answered:
    """What an answer did: the event now, the member's answer, and who got a place from the
    waitlist because of it (to be told). `changed` is False for the same answer again."""

    event: Event
    mine: MyAnswer | None
    promoted: tuple[int, ...]
    changed: bool


@dataclass(frozen=True)
class Changed:
    """An event edited or cancelled: it as it is now, and who had answered (to be told)."""

    event: Event
    answered: tuple[int, ...]
    promoted: tuple[int, ...] = ()


@dataclass(frozen=True)
class EventPage:
    events: list[Event]
    has_more: bool


# A member given a place from the waitlist is told (worded by handlers.events.notices). Its
# notices are made here because erasing someone else, in storage, can free a place too.
PROMOTED = "event.promoted"


def promotion_notices(event_id: int, promoted: tuple[int, ...], now: datetime) -> list[Notice]:
    return [
        Notice(
            PROMOTED,
            member_id=member,
            about=event_id,
            key=f"{PROMOTED}:{event_id}:{member}:{to_db(now)}",
        )
        for member in promoted
    ]


_COUNTS = (
    "SELECT e.*,"
    " (SELECT count(*) FROM event_answers a WHERE a.event_id = e.id AND a.answer = 'going'"
    "  AND a.waitlisted IS NULL) AS with_a_place,"
    " (SELECT count(*) FROM event_answers a WHERE a.event_id = e.id"
    "  AND a.waitlisted IS NOT NULL) AS waiting,"
    " (SELECT count(*) FROM event_answers a WHERE a.event_id = e.id AND a.answer = 'maybe')"
    "  AS maybe,"
    " (SELECT count(*) FROM event_answers a WHERE a.event_id = e.id AND a.answer != 'no'"
    "  AND a.wants_to_volunteer) AS volunteering,"
    " (SELECT count(*) FROM event_answers a WHERE a.event_id = e.id"
    "  AND a.credited_transfer_id IS NOT NULL) AS volunteers_credited"
    " FROM events e"
)


class EventRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def publish(
        self,
        member_id: int,
        details: EventDetails,
        zone: ZoneInfo,
        now: datetime,
        *,
        form_id: int | None = None,
        then: Then[Event] | None = None,
    ) -> Event:
        """Publish an event. Made by a form, it is published once: the form's outcome records
        it in the same write, and a repeated Publish returns the first (`then` not again)."""

        def publish(tx: sqlite3.Connection) -> int:
            if form_id is not None and (done := made_by_in(tx, form_id)) is not None:
                return done
            cursor = tx.execute(
                "INSERT INTO events (title, local_day, local_time, zone, starts_at, place, area,"
                " kind, description, capacity, volunteers_wanted, credit_minutes, organisation,"
                " created_by, status, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'published', ?, ?)",
                (*_columns(details, zone), member_id, to_db(now), to_db(now)),
            )
            made = cursor.lastrowid
            if made is None:
                raise RuntimeError("the new event has no id")
            if form_id is not None:
                record_made_in(tx, form_id, made)
            follow_in(tx, then, event_in(tx, made), now)
            return made

        made = await self._db.write(publish)
        return await self._reload(made)

    async def edit(
        self,
        event_id: int,
        details: EventDetails,
        zone: ZoneInfo,
        now: datetime,
        *,
        form_id: int | None = None,
        then: Then[Changed] | None = None,
    ) -> Changed | None:
        """Change a published event (None if it is not: cancelled meanwhile). More places may
        give some of the waitlist a place. Saved from a form, it is saved once: the form is
        finished in the same write, and a repeated Save returns None."""

        def edit(tx: sqlite3.Connection) -> Changed | None:
            event = event_in(tx, event_id)
            if event is None or event.status is not EventStatus.PUBLISHED:
                return None
            if form_id is not None and not finish_in(tx, form_id, now, event_id):
                return None
            tx.execute(
                "UPDATE events SET title = ?, local_day = ?, local_time = ?, zone = ?,"
                " starts_at = ?, place = ?, area = ?, kind = ?, description = ?, capacity = ?,"
                " volunteers_wanted = ?, credit_minutes = ?, organisation = ?, updated_at = ?"
                " WHERE id = ?",
                (*_columns(details, zone), to_db(now), event_id),
            )
            answered = _answered_in(tx, event_id)
            promoted = _fill_in(tx, event_id, now)
            changed = Changed(_required(tx, event_id), answered, promoted)
            return follow_in(tx, then, changed, now)

        return await self._db.write(edit)

    async def cancel(
        self, event_id: int, now: datetime, *, then: Then[Changed] | None = None
    ) -> Changed | None:
        """Cancel an event, once: None if it was not published (cancelled already)."""

        def cancel(tx: sqlite3.Connection) -> Changed | None:
            cursor = tx.execute(
                "UPDATE events SET status = 'cancelled', updated_at = ?"
                " WHERE id = ? AND status = 'published'",
                (to_db(now), event_id),
            )
            if cursor.rowcount == 0:
                return None
            changed = Changed(_required(tx, event_id), _answered_in(tx, event_id))
            return follow_in(tx, then, changed, now)

        return await self._db.write(cancel)

    async def answer(
        self,
        event_id: int,
        member_id: int,
        answer: Answer,
        now: datetime,
        *,
        then: Then[Answered] | None = None,
    ) -> Answered | None:
        """A member's answer, in one write: a place if one is left, else the waitlist; leaving a
        place gives it to the first waiting. None if the event takes no answers (cancelled or
        started). The same answer again changes nothing."""
        return await self._db.write(
            lambda tx: answer_in(tx, event_id, member_id, answer, now, then=then)
        )

    async def volunteer(
        self, event_id: int, member_id: int, wants: bool, now: datetime
    ) -> MyAnswer | None:
        """Say the member would (or would no longer) like to volunteer; someone who had not
        answered yet is counted as "maybe". None if the event takes no answers."""

        def volunteer(tx: sqlite3.Connection) -> MyAnswer | None:
            event = event_in(tx, event_id)
            if event is None or not _open(event, now):
                return None
            tx.execute(
                "INSERT INTO event_answers (event_id, member_id, answer, wants_to_volunteer,"
                " answered_at, updated_at) VALUES (?, ?, 'maybe', ?, ?, ?)"
                " ON CONFLICT (event_id, member_id) DO UPDATE SET"
                " wants_to_volunteer = excluded.wants_to_volunteer,"
                " updated_at = excluded.updated_at",
                (event_id, member_id, int(wants), to_db(now), to_db(now)),
            )
            return mine_in(tx, event_id, member_id)

        return await self._db.write(volunteer)

    async def get(self, event_id: int) -> Event | None:
        row = await self._db.fetch_one(f"{_COUNTS} WHERE e.id = ?", (event_id,))
        return event_from_row(row) if row else None

    async def going(self, event_id: int) -> list[int]:
        """The members with a place (not those waiting), for reminders."""
        rows = await self._db.fetch_all(
            "SELECT member_id FROM event_answers WHERE event_id = ? AND answer = 'going'"
            " AND waitlisted IS NULL ORDER BY member_id",
            (event_id,),
        )
        return [int(row["member_id"]) for row in rows]

    async def mine(self, event_id: int, member_id: int) -> MyAnswer | None:
        row = await self._db.fetch_one(_MINE, (event_id, member_id))
        return _my_answer(row) if row else None

    async def upcoming(self, now: datetime, area: str | None, offset: int, limit: int) -> EventPage:
        """Published events yet to start, those in `area` first, then soonest first."""
        rows = await self._db.fetch_all(
            f"{_COUNTS} WHERE e.status = 'published' AND e.starts_at > ?"
            " ORDER BY e.area = ? DESC, e.starts_at, e.id LIMIT ? OFFSET ?",
            (to_db(now), area or "", limit + 1, offset),
        )
        events = [event_from_row(row) for row in rows]
        return EventPage(events[:limit], has_more=len(events) > limit)

    async def _reload(self, event_id: int) -> Event:
        event = await self.get(event_id)
        if event is None:
            raise LookupError(f"event {event_id} does not exist")
        return event


# --- inside a write ------------------------------------------------------------------------------


def answer_in(
    tx: sqlite3.Connection,
    event_id: int,
    member_id: int,
    answer: Answer,
    now: datetime,
    *,
    then: Then[Answered] | None = None,
) -> Answered | None:
    event = event_in(tx, event_id)
    if event is None or not _open(event, now):
        return None
    before = mine_in(tx, event_id, member_id)
    if before is not None and before.answer is answer:
        return Answered(event, before, (), changed=False)
    had_a_place = before is not None and before.answer is Answer.GOING and before.position is None
    others = event.with_a_place - (1 if had_a_place else 0)
    seat = seat_for(answer, event.details.capacity, others, had_a_place)
    waitlisted = None
    if seat.waitlisted:
        last = fetch_one_in(
            tx,
            "SELECT coalesce(max(waitlisted), 0) AS last FROM event_answers WHERE event_id = ?",
            (event_id,),
        )
        waitlisted = int(last["last"] if last else 0) + 1
    tx.execute(
        "INSERT INTO event_answers (event_id, member_id, answer, waitlisted, answered_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (event_id, member_id) DO UPDATE SET answer = excluded.answer,"
        " waitlisted = excluded.waitlisted, updated_at = excluded.updated_at",
        (event_id, member_id, seat.answer.value, waitlisted, to_db(now), to_db(now)),
    )
    promoted = _fill_in(tx, event_id, now)
    answered = Answered(
        _required(tx, event_id), mine_in(tx, event_id, member_id), promoted, changed=True
    )
    return follow_in(tx, then, answered, now)


def forget_member_in(tx: sqlite3.Connection, member_id: int, now: datetime) -> None:
    """Erasure: the member's answers go, and any place they held goes to the first waiting
    (who is told), in the erasing write."""
    rows = tx.execute(
        "SELECT a.event_id FROM event_answers a JOIN events e ON e.id = a.event_id"
        " WHERE a.member_id = ? AND a.answer = 'going' AND a.waitlisted IS NULL"
        " AND e.status = 'published' AND e.starts_at > ?",
        (member_id, to_db(now)),
    ).fetchall()
    tx.execute("DELETE FROM event_answers WHERE member_id = ?", (member_id,))
    for row in rows:
        event_id = int(row["event_id"])
        queue_in(tx, promotion_notices(event_id, _fill_in(tx, event_id, now), now), now)


def event_in(tx: sqlite3.Connection, event_id: int) -> Event | None:
    """An event as it stands inside the caller's write."""
    row = fetch_one_in(tx, f"{_COUNTS} WHERE e.id = ?", (event_id,))
    return event_from_row(row) if row else None


def mine_in(tx: sqlite3.Connection, event_id: int, member_id: int) -> MyAnswer | None:
    row = fetch_one_in(tx, _MINE, (event_id, member_id))
    return _my_answer(row) if row else None


def _required(tx: sqlite3.Connection, event_id: int) -> Event:
    event = event_in(tx, event_id)
    if event is None:
        raise LookupError(f"event {event_id} does not exist")
    return event


def _open(event: Event, now: datetime) -> bool:
    return event.status is EventStatus.PUBLISHED and event.starts_at > now


def _fill_in(tx: sqlite3.Connection, event_id: int, now: datetime) -> tuple[int, ...]:
    """Give free places to the waitlist, first first; who got one."""
    event = _required(tx, event_id)
    count = to_promote(event.details.capacity, event.with_a_place, event.waiting)
    if not count:
        return ()
    rows = tx.execute(
        "SELECT member_id FROM event_answers WHERE event_id = ? AND waitlisted IS NOT NULL"
        " ORDER BY waitlisted LIMIT ?",
        (event_id, count),
    ).fetchall()
    promoted = tuple(int(row["member_id"]) for row in rows)
    tx.executemany(
        "UPDATE event_answers SET waitlisted = NULL, updated_at = ?"
        " WHERE event_id = ? AND member_id = ?",
        [(to_db(now), event_id, member_id) for member_id in promoted],
    )
    return promoted


def _answered_in(tx: sqlite3.Connection, event_id: int) -> tuple[int, ...]:
    """Who answered going (with a place or waiting) or maybe: they are told of changes."""
    rows = tx.execute(
        "SELECT member_id FROM event_answers WHERE event_id = ? AND answer IN ('going', 'maybe')"
        " ORDER BY member_id",
        (event_id,),
    ).fetchall()
    return tuple(int(row["member_id"]) for row in rows)


def _columns(details: EventDetails, zone: ZoneInfo) -> tuple[object, ...]:
    starts_at = utc_start(details.local_day, details.local_time, zone)
    return (
        details.title,
        details.local_day.isoformat(),
        details.local_time.strftime("%H:%M"),
        zone.key,
        to_db(starts_at),
        details.place,
        details.area,
        details.kind,
        details.description,
        details.capacity,
        details.volunteers_wanted,
        details.credit_minutes,
        details.organisation,
    )


_MINE = (
    "SELECT a.answer, a.wants_to_volunteer,"
    " CASE WHEN a.waitlisted IS NULL THEN NULL ELSE (SELECT count(*) FROM event_answers w"
    "  WHERE w.event_id = a.event_id AND w.waitlisted IS NOT NULL"
    "  AND w.waitlisted <= a.waitlisted) END AS position"
    " FROM event_answers a WHERE a.event_id = ? AND a.member_id = ?"
)


def _my_answer(row: sqlite3.Row) -> MyAnswer:
    return MyAnswer(
        answer=Answer(row["answer"]),
        position=row["position"],
        wants_to_volunteer=bool(row["wants_to_volunteer"]),
    )


def event_from_row(row: sqlite3.Row) -> Event:
    details = EventDetails(
        title=row["title"],
        local_day=date.fromisoformat(row["local_day"]),
        local_time=time.fromisoformat(row["local_time"]),
        place=row["place"],
        area=row["area"],
        kind=row["kind"],
        description=row["description"],
        capacity=row["capacity"],
        volunteers_wanted=row["volunteers_wanted"],
        credit_minutes=row["credit_minutes"],
        organisation=row["organisation"],
    )
    return Event(
        id=row["id"],
        details=details,
        zone=row["zone"],
        starts_at=required_from_db(row["starts_at"], "events.starts_at"),
        created_by=row["created_by"],
        status=EventStatus(row["status"]),
        created_at=required_from_db(row["created_at"], "events.created_at"),
        updated_at=required_from_db(row["updated_at"], "events.updated_at"),
        with_a_place=row["with_a_place"],
        waiting=row["waiting"],
        maybe=row["maybe"],
        volunteering=row["volunteering"],
        volunteers_credited=row["volunteers_credited"],
    )
