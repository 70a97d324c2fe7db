"""The events repository, directly: publishing once per form, answers and the waitlist in one
write (two members taking the last place at once), promotion, edits, cancelling, erasure."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.domain.events import Answer, EventStatus
from storage.database import Database
from storage.events import EventDetails, EventRepository
from storage.members import MemberRepository
from storage.outbox import Notice

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")
CHOIR = EventDetails(
    title="Choir at the care home",
    local_day=date(2027, 4, 2),
    local_time=time(19, 30),
    place="Canton Community Centre",
    area="canton",
    kind="company",
    description="Come and sing.",
    capacity=1,
)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "events.db")
    yield database
    await database.close()


async def members(db: Database, count: int) -> list[int]:
    repository = MemberRepository(db)
    return [(await repository.join(1000 + n, "en", NOW)).id for n in range(count)]


async def test_an_event_keeps_its_wall_time_and_derives_utc(db: Database) -> None:
    (organiser,) = await members(db, 1)
    events = EventRepository(db)
    summer = await events.publish(organiser, CHOIR, LONDON, NOW)
    assert summer.starts_at == datetime(2027, 4, 2, 18, 30, tzinfo=UTC)  # BST
    assert summer.start == datetime(2027, 4, 2, 19, 30, tzinfo=LONDON)
    assert summer.status is EventStatus.PUBLISHED


async def test_two_members_taking_the_last_place_at_once_get_one_place_and_one_wait(
    db: Database,
) -> None:
    organiser, ann, ben = await members(db, 3)
    events = EventRepository(db)
    event = await events.publish(organiser, CHOIR, LONDON, NOW)
    first, second = await asyncio.gather(
        events.answer(event.id, ann, Answer.GOING, NOW),
        events.answer(event.id, ben, Answer.GOING, NOW),
    )
    assert first is not None and second is not None
    positions = sorted(
        [first.mine.position if first.mine else -1, second.mine.position if second.mine else -1],
        key=lambda p: p or 0,
    )
    assert positions == [None, 1]
    now = await events.get(event.id)
    assert now is not None and (now.with_a_place, now.waiting) == (1, 1)


async def test_dropping_out_promotes_the_first_waiting_and_tells_them_in_the_same_write(
    db: Database,
) -> None:
    organiser, ann, ben, cai = await members(db, 4)
    events = EventRepository(db)
    event = await events.publish(organiser, CHOIR, LONDON, NOW)
    for member in (ann, ben, cai):
        await events.answer(event.id, member, Answer.GOING, NOW)
    assert await events.mine(event.id, cai) is not None
    cai_answer = await events.mine(event.id, cai)
    assert cai_answer is not None and cai_answer.position == 2

    def tell(answered):  # type: ignore[no-untyped-def]
        return [Notice("event.promoted", member_id=m, about=event.id) for m in answered.promoted]

    dropped = await events.answer(event.id, ann, Answer.NO, NOW, then=tell)
    assert dropped is not None and dropped.promoted == (ben,)
    queued = await db.fetch_all("SELECT member_id, purpose FROM outbox")
    assert [(row["member_id"], row["purpose"]) for row in queued] == [(ben, "event.promoted")]
    ben_answer, cai_answer = await events.mine(event.id, ben), await events.mine(event.id, cai)
    assert ben_answer is not None and ben_answer.position is None
    assert cai_answer is not None and cai_answer.position == 1
    # The same answer again changes nothing and tells nobody twice.
    again = await events.answer(event.id, ann, Answer.NO, NOW, then=tell)
    assert again is not None and not again.changed and again.promoted == ()
    assert len(await db.fetch_all("SELECT * FROM outbox")) == 1


async def test_going_twice_keeps_the_place(db: Database) -> None:
    organiser, ann, ben = await members(db, 3)
    events = EventRepository(db)
    event = await events.publish(organiser, CHOIR, LONDON, NOW)
    await events.answer(event.id, ann, Answer.GOING, NOW)
    await events.answer(event.id, ann, Answer.GOING, NOW)
    await events.answer(event.id, ben, Answer.MAYBE, NOW)
    now = await events.get(event.id)
    assert now is not None and (now.with_a_place, now.waiting, now.maybe) == (1, 0, 1)


async def test_more_places_on_edit_promote_and_everyone_who_answered_is_named(
    db: Database,
) -> None:
    organiser, ann, ben, cai = await members(db, 4)
    events = EventRepository(db)
    event = await events.publish(organiser, CHOIR, LONDON, NOW)
    await events.answer(event.id, ann, Answer.GOING, NOW)
    await events.answer(event.id, ben, Answer.GOING, NOW)
    await events.answer(event.id, cai, Answer.NO, NOW)
    bigger = EventDetails(**{**CHOIR.__dict__, "capacity": 5, "local_day": date(2027, 11, 5)})
    changed = await events.edit(event.id, bigger, LONDON, NOW)
    assert changed is not None
    assert changed.answered == (ann, ben) and changed.promoted == (ben,)
    assert changed.event.starts_at == datetime(2027, 11, 5, 19, 30, tzinfo=UTC)  # GMT again
    cancelled = await events.cancel(event.id, NOW)
    assert cancelled is not None and cancelled.event.status is EventStatus.CANCELLED
    assert await events.cancel(event.id, NOW) is None  # once
    assert await events.answer(event.id, cai, Answer.GOING, NOW) is None
    assert await events.edit(event.id, CHOIR, LONDON, NOW) is None


async def test_publishing_from_a_form_happens_once(db: Database) -> None:
    (organiser,) = await members(db, 1)

    def form(tx):  # type: ignore[no-untyped-def]
        return tx.execute(
            "INSERT INTO forms (member_id, name, step, answers, seen, created_at, updated_at)"
            " VALUES (?, 'event', 'preview', '{}', '[]', ?, ?)",
            (organiser, NOW.isoformat(), NOW.isoformat()),
        ).lastrowid

    form_id = await db.write(form)
    events = EventRepository(db)
    made = [
        await events.publish(
            organiser,
            CHOIR,
            LONDON,
            NOW,
            form_id=form_id,
            then=lambda e: [Notice("x", member_id=organiser, key=None)],
        )
        for _ in range(2)
    ]
    assert made[0].id == made[1].id
    assert len(await db.fetch_all("SELECT * FROM events")) == 1
    assert len(await db.fetch_all("SELECT * FROM outbox")) == 1
    # A form that is gone has nothing to publish from: a stray Publish makes no second event.
    with pytest.raises(LookupError):
        await events.publish(organiser, CHOIR, LONDON, NOW, form_id=form_id + 1)
    assert len(await db.fetch_all("SELECT * FROM events")) == 1


async def test_upcoming_lists_the_members_area_first_and_leaves_out_past_and_cancelled(
    db: Database,
) -> None:
    (organiser,) = await members(db, 1)
    events = EventRepository(db)
    soon = await events.publish(
        organiser, EventDetails(**{**CHOIR.__dict__, "area": "splott"}), LONDON, NOW
    )
    later = await events.publish(
        organiser, EventDetails(**{**CHOIR.__dict__, "local_day": date(2027, 5, 1)}), LONDON, NOW
    )
    gone = await events.publish(organiser, CHOIR, LONDON, NOW)
    await events.cancel(gone.id, NOW)
    page = await events.upcoming(NOW, "canton", 0, 1)
    assert [e.id for e in page.events] == [later.id] and page.has_more
    page = await events.upcoming(NOW, "canton", 1, 1)
    assert [e.id for e in page.events] == [soon.id] and not page.has_more
    assert (await events.upcoming(NOW + timedelta(days=365), None, 0, 5)).events == []


async def test_erasing_a_member_removes_their_answers_and_gives_their_place(
    db: Database,
) -> None:
    organiser, ann, ben = await members(db, 3)
    events = EventRepository(db)
    event = await events.publish(organiser, CHOIR, LONDON, NOW)
    await events.answer(event.id, ann, Answer.GOING, NOW)
    await events.volunteer(event.id, ann, True, NOW)
    await events.answer(event.id, ben, Answer.GOING, NOW)
    held = await MemberRepository(db).personal_data(ann)
    assert len(held["event_answers"]) == 1
    await MemberRepository(db).erase(ann, NOW)
    assert await db.fetch_all("SELECT * FROM event_answers WHERE member_id = ?", (ann,)) == []
    ben_answer = await events.mine(event.id, ben)
    assert ben_answer is not None and ben_answer.position is None
    queued = await db.fetch_all("SELECT member_id, purpose FROM outbox")
    assert [(row["member_id"], row["purpose"]) for row in queued] == [(ben, "event.promoted")]
