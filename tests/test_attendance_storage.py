"""The attendance repository, directly: marking (set, not flip; only after the start; only
those who answered), and crediting volunteers once: a re-run, two Confirms at once, the pot's
floor (nothing credited when it is short), an organisation, and the notices in the same write."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.domain.events import Answer, volunteer_credit
from storage.attendance import AttendanceRepository, VolunteerCredits, credit_key
from storage.database import Database
from storage.events import EventDetails, EventRepository
from storage.ledger import LedgerRepository, NotEnough
from storage.members import MemberRepository
from storage.outbox import Notice

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")
LATER = datetime(2027, 4, 3, 9, 0, tzinfo=UTC)  # the day after the event
CHOIR = EventDetails(
    title="Choir at the care home",
    local_day=date(2027, 4, 2),
    local_time=time(19, 30),
    place="Canton Community Centre",
    area="canton",
    kind="company",
    description="Come and sing.",
    volunteers_wanted=2,
    credit_minutes=60,
)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "attendance.db")
    yield database
    await database.close()


async def setup(db: Database) -> tuple[int, list[int]]:
    """An event (1) with three members answering: going, maybe, can't go; and a full pot."""
    repository = MemberRepository(db)
    organiser, *people = [(await repository.join(1000 + n, "en", NOW)).id for n in range(4)]
    events = EventRepository(db)
    event = await events.publish(organiser, CHOIR, LONDON, NOW)
    for member, answer in zip(people, (Answer.GOING, Answer.MAYBE, Answer.NO), strict=True):
        await events.answer(event.id, member, answer, NOW)
    await LedgerRepository(db).donate("seed", organiser, 300, NOW)
    return organiser, people


def told(done: VolunteerCredits) -> list[Notice]:
    return [
        Notice(
            "test.credited", member_id=c.member_id, about=c.transfer.id, key=f"t:{c.transfer.id}"
        )
        for c in done.made
    ]


async def test_marking_sets_what_the_press_says_only_after_the_start_and_only_for_the_list(
    db: Database,
) -> None:
    _organiser, (ann, ben, cai) = await setup(db)
    attendance = AttendanceRepository(db)
    assert await attendance.mark(1, ann, NOW, attended=True) is None  # not started yet
    marked = await attendance.mark(1, ann, LATER, attended=True)
    again = await attendance.mark(1, ann, LATER, attended=True)
    assert marked == again and marked is not None and marked.attended
    helped = await attendance.mark(1, ben, LATER, volunteered=True)
    assert helped is not None and helped.volunteered and not helped.attended
    assert await attendance.mark(1, cai, LATER, attended=True) is None  # said they can't go
    page = await attendance.page(1, 0, 10)
    assert [a.member_id for a in page.attendees] == [ann, ben] and not page.has_more
    assert [a.member_id for a in await attendance.volunteers(1)] == [ben]
    unmarked = await attendance.mark(1, ben, LATER, volunteered=False)
    assert unmarked is not None and not unmarked.volunteered


async def test_volunteers_are_credited_once_with_their_notices(db: Database) -> None:
    organiser, (ann, ben, _cai) = await setup(db)
    attendance, ledger = AttendanceRepository(db), LedgerRepository(db)
    for member in (ann, ben):
        await attendance.mark(1, member, LATER, volunteered=True)
    assert (
        await attendance.credit_volunteers(1, organiser, 60, "Choir", NOW, date(2027, 3, 1)) is None
    )
    done = await attendance.credit_volunteers(
        1, organiser, 90, "Choir", LATER, date(2027, 4, 3), pot_floor=0, then=told
    )
    assert done is not None and [c.member_id for c in done.made] == [ann, ben]
    assert done.made[0].transfer.key == credit_key(1, ann)
    again = await attendance.credit_volunteers(
        1, organiser, 90, "Choir", LATER, date(2027, 4, 3), pot_floor=0, then=told
    )
    assert again is not None and not again.made and len(again.skipped) == 2
    assert (await ledger.balance(ann), await ledger.balance(ben)) == (90, 90)
    assert (await ledger.pot()).balance == 120
    queued = await db.fetch_all("SELECT member_id FROM outbox WHERE purpose = 'test.credited'")
    assert sorted(row["member_id"] for row in queued) == [ann, ben]
    event = await EventRepository(db).get(1)
    assert event is not None and event.volunteers_credited == 2


async def test_two_confirms_at_once_credit_each_volunteer_once(db: Database) -> None:
    organiser, (ann, ben, _cai) = await setup(db)
    attendance, ledger = AttendanceRepository(db), LedgerRepository(db)
    for member in (ann, ben):
        await attendance.mark(1, member, LATER, volunteered=True)
    results = await asyncio.gather(
        *(
            attendance.credit_volunteers(
                1, organiser, 60, "Choir", LATER, date(2027, 4, 3), pot_floor=0, then=told
            )
            for _ in range(2)
        )
    )
    made = [len(done.made) for done in results if done is not None]
    assert sorted(made) == [0, 2]
    assert (await ledger.balance(ann), await ledger.balance(ben)) == (60, 60)
    assert (await ledger.pot()).balance == 180
    queued = await db.fetch_all("SELECT id FROM outbox WHERE purpose = 'test.credited'")
    assert len(queued) == 2


async def test_a_short_pot_credits_nobody_and_an_organisation_may_give_instead(
    db: Database,
) -> None:
    organiser, (ann, ben, _cai) = await setup(db)
    attendance, ledger = AttendanceRepository(db), LedgerRepository(db)
    for member in (ann, ben):
        await attendance.mark(1, member, LATER, volunteered=True)
    with pytest.raises(NotEnough):  # 2 × 3 hours from a pot of 5: nobody, not just the first
        await attendance.credit_volunteers(
            1, organiser, 180, "Choir", LATER, date(2027, 4, 3), pot_floor=0, then=told
        )
    assert (await ledger.balance(ann), (await ledger.pot()).balance) == (0, 300)
    done = await attendance.credit_volunteers(
        1, organiser, 180, "Choir", LATER, date(2027, 4, 3), organisation="Canton Library"
    )
    assert done is not None and len(done.made) == 2
    assert (await ledger.organisation("Canton Library", LATER)).balance == -360
    assert await ledger.balance(ben) == 180


def test_a_volunteers_credit_follows_the_events_rate() -> None:
    assert volunteer_credit(90, 60) == 90
    assert volunteer_credit(90, 90) == 135
    assert volunteer_credit(120, None) == 120  # an hour for an hour
    assert volunteer_credit(45, 120) == 90


async def test_the_list_pages(db: Database) -> None:
    _organiser, (ann, ben, _cai) = await setup(db)
    attendance = AttendanceRepository(db)
    first = await attendance.page(1, 0, 1)
    second = await attendance.page(1, 1, 1)
    assert [a.member_id for a in first.attendees] == [ann] and first.has_more
    assert [a.member_id for a in second.attendees] == [ben] and not second.has_more


async def test_a_cancelled_event_credits_nobody(db: Database) -> None:
    """Cancelled while the organiser's credit form was open: its Send credits nobody."""
    organiser, (ann, _ben, _cai) = await setup(db)
    attendance, ledger = AttendanceRepository(db), LedgerRepository(db)
    await attendance.mark(1, ann, LATER, volunteered=True)
    await EventRepository(db).cancel(1, LATER)
    done = await attendance.credit_volunteers(
        1, organiser, 60, "Choir", LATER, date(2027, 4, 3), pot_floor=0, then=told
    )
    assert done is None
    assert await ledger.balance(ann) == 0
