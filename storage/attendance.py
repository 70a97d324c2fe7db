"""After an event: who came and who volunteered (marked by its organiser), and crediting the
volunteers, each once, in one write with the notices telling them."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeGuard

from bot.domain.events import Answer, EventStatus, has_started
from storage.database import Database
from storage.effects import Then, follow_in
from storage.events import Event, event_in
from storage.ledger.credits import Recording, record_in
from storage.ledger.models import Transfer, TransferKind
from storage.ledger.rows import POT, Side, load_transfer
from storage.timestamps import to_db

# Who is on the list: everyone who answered going or maybe, and anyone who offered to volunteer
# or was marked as volunteering (whatever they answered).
_ON_THE_LIST = "(answer IN ('going', 'maybe') OR wants_to_volunteer OR volunteered)"


@dataclass(frozen=True)
class Attendee:
    member_id: int
    answer: Answer
    wants_to_volunteer: bool
    attended: bool
    volunteered: bool
    credited: bool


@dataclass(frozen=True)
class AttendancePage:
    attendees: list[Attendee]
    has_more: bool


@dataclass(frozen=True)
class VolunteerCredit:
    """One volunteer's credit: its transfer, and whether this write made it (False: credited
    before, so skipped)."""

    member_id: int
    transfer: Transfer
    created: bool


@dataclass(frozen=True)
class VolunteerCredits:
    event_id: int
    credits: tuple[VolunteerCredit, ...]

    @property
    def made(self) -> tuple[VolunteerCredit, ...]:
        return tuple(credit for credit in self.credits if credit.created)

    @property
    def skipped(self) -> tuple[VolunteerCredit, ...]:
        return tuple(credit for credit in self.credits if not credit.created)


def credit_key(event_id: int, member_id: int) -> str:
    """The ledger's idempotency key of a volunteer's credit for an event: one per pair."""
    return f"event:{event_id}:volunteer:{member_id}"


class AttendanceRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def page(self, event_id: int, offset: int, limit: int) -> AttendancePage:
        """A page of the list, in the order they answered."""
        rows = await self._db.fetch_all(
            f"{_SELECT} WHERE a.event_id = ? AND {_ON_THE_LIST}"
            " ORDER BY a.answered_at, a.member_id LIMIT ? OFFSET ?",
            (event_id, limit + 1, offset),
        )
        attendees = [_attendee(row) for row in rows]
        return AttendancePage(attendees[:limit], has_more=len(attendees) > limit)

    async def volunteers(self, event_id: int) -> list[Attendee]:
        """Those marked as having volunteered, credited or not."""
        rows = await self._db.fetch_all(
            f"{_SELECT} WHERE a.event_id = ? AND a.volunteered ORDER BY a.answered_at, a.member_id",
            (event_id,),
        )
        return [_attendee(row) for row in rows]

    async def mark(
        self,
        event_id: int,
        member_id: int,
        now: datetime,
        *,
        attended: bool | None = None,
        volunteered: bool | None = None,
    ) -> Attendee | None:
        """Set (not flip) whether a member came or volunteered; see mark_in."""
        return await self._db.write(
            lambda tx: mark_in(
                tx, event_id, member_id, now, attended=attended, volunteered=volunteered
            )
        )

    async def credit_volunteers(
        self,
        event_id: int,
        by_member_id: int,
        minutes: int,
        reason: str,
        now: datetime,
        happened_on: date,
        *,
        organisation: str | None = None,
        pot_floor: int | None = None,
        then: Then[VolunteerCredits] | None = None,
    ) -> VolunteerCredits | None:
        """Credit every marked volunteer; see credit_volunteers_in."""

        def credit(tx: sqlite3.Connection) -> VolunteerCredits | None:
            done = credit_volunteers_in(
                tx,
                event_id,
                by_member_id,
                minutes,
                reason,
                now,
                happened_on,
                organisation=organisation,
                pot_floor=pot_floor,
            )
            return None if done is None else follow_in(tx, then, done, now)

        return await self._db.write(credit)


# --- inside a write ------------------------------------------------------------------------------


def mark_in(
    tx: sqlite3.Connection,
    event_id: int,
    member_id: int,
    now: datetime,
    *,
    attended: bool | None = None,
    volunteered: bool | None = None,
) -> Attendee | None:
    """Whether a member on the list came, or volunteered, as given (the same again changes
    nothing). None if the event has not started, is cancelled, or the member is not on its
    list."""
    event = event_in(tx, event_id)
    if not _after_it(event, now):
        return None
    changes: list[str] = ["updated_at = ?"]
    values: list[object] = [to_db(now)]
    if attended is not None:
        changes.append("attended = ?")
        values.append(int(attended))
    if volunteered is not None:
        changes.append("volunteered = ?")
        values.append(int(volunteered))
    tx.execute(
        f"UPDATE event_answers SET {', '.join(changes)}"
        f" WHERE event_id = ? AND member_id = ? AND {_ON_THE_LIST}",
        (*values, event_id, member_id),
    )
    return _one_in(tx, event_id, member_id)


def credit_volunteers_in(
    tx: sqlite3.Connection,
    event_id: int,
    by_member_id: int,
    minutes: int,
    reason: str,
    now: datetime,
    happened_on: date,
    *,
    organisation: str | None = None,
    pot_floor: int | None = None,
) -> VolunteerCredits | None:
    """Each volunteer marked, `minutes` each, from the pot (never below `pot_floor`: NotEnough
    is raised and nothing is credited) or from `organisation`: one transfer per volunteer with
    a key per (event, member), so a repeat credits nobody twice; those credited before are
    returned as not `created`. Nobody credits themselves: `by_member_id`, if marked, is left
    for someone else. None if the event is not there, was cancelled or has not started."""
    event = event_in(tx, event_id)
    if not _after_it(event, now):
        return None
    rows = tx.execute(
        "SELECT member_id, credited_transfer_id FROM event_answers"
        " WHERE event_id = ? AND volunteered AND (member_id != ? OR credited_transfer_id)"
        " ORDER BY answered_at, member_id",
        (event_id, by_member_id),
    ).fetchall()
    credits: list[VolunteerCredit] = []
    for row in rows:
        member_id = int(row["member_id"])
        if row["credited_transfer_id"] is not None:
            transfer = load_transfer(tx, int(row["credited_transfer_id"]))
            credits.append(VolunteerCredit(member_id, transfer, created=False))
            continue
        source = POT if organisation is None else Side(organisation=organisation)
        made = record_in(
            tx,
            Recording(
                key=credit_key(event_id, member_id),
                kind=TransferKind.GRANT if organisation is None else TransferKind.ORGANISATION,
                source=source,
                destination=Side(member_id=member_id),
                minutes=minutes,
                happened_on=happened_on,
                by_member_id=by_member_id,
                reason=reason,
                source_floor=pot_floor if organisation is None else None,
            ),
            now,
        )
        tx.execute(
            "UPDATE event_answers SET credited_transfer_id = ?, updated_at = ?"
            " WHERE event_id = ? AND member_id = ?",
            (made.transfer.id, to_db(now), event_id, member_id),
        )
        credits.append(VolunteerCredit(member_id, made.transfer, made.created))
    return VolunteerCredits(event_id, tuple(credits))


_SELECT = (
    "SELECT a.member_id, a.answer, a.wants_to_volunteer, a.attended, a.volunteered,"
    " a.credited_transfer_id FROM event_answers a"
)


def _one_in(tx: sqlite3.Connection, event_id: int, member_id: int) -> Attendee | None:
    row = tx.execute(
        f"{_SELECT} WHERE a.event_id = ? AND a.member_id = ? AND {_ON_THE_LIST}",
        (event_id, member_id),
    ).fetchone()
    return _attendee(row) if row else None


def _attendee(row: sqlite3.Row) -> Attendee:
    return Attendee(
        member_id=int(row["member_id"]),
        answer=Answer(row["answer"]),
        wants_to_volunteer=bool(row["wants_to_volunteer"]),
        attended=bool(row["attended"]),
        volunteered=bool(row["volunteered"]),
        credited=row["credited_transfer_id"] is not None,
    )


def _after_it(event: Event | None, now: datetime) -> TypeGuard[Event]:
    """Whether attendance can be marked and volunteers credited: the event went ahead."""
    return (
        event is not None
        and event.status is EventStatus.PUBLISHED
        and has_started(event.starts_at, now)
    )
