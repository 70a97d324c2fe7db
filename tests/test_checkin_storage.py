"""Check-in storage, directly: choosing, the due pass (once per slot, late ones skipped, quiet
hours, many members in one write), answers under a pseudonym, shown and erased with the member."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.domain.checkins import Cadence, Schedule, spread_of
from storage.checkins import PURPOSE, CheckinRepository, QuietHours
from storage.database import Database, migrate_to
from storage.members import MemberRepository
from storage.outbox import Priority
from storage.personal_data import rows_about
from storage.wellbeing import WellbeingRepository
from tests.test_broadcast_storage import add_members

LONDON = ZoneInfo("Europe/London")
QUIET = QuietHours(datetime(2000, 1, 1, 21).time(), datetime(2000, 1, 1, 8).time())
MONDAY_8AM = datetime(2027, 1, 4, 8, tzinfo=UTC)  # winter: London is on UTC


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "checkins.db")
    yield database
    await database.close()


async def pending(db: Database) -> list[tuple[int, str, str, int]]:
    rows = await db.fetch_all(
        "SELECT member_id, key, not_before, priority FROM outbox WHERE purpose = ? ORDER BY id",
        (PURPOSE,),
    )
    return [(r["member_id"], r["key"], r["not_before"], r["priority"]) for r in rows]


async def test_a_check_in_is_queued_once_at_its_moment_and_the_schedule_moves_on(
    db: Database,
) -> None:
    await add_members(db, 1)
    checkins = CheckinRepository(db)
    chosen = await checkins.choose(1, Schedule(Cadence.WEEKLY, 0, 10), MONDAY_8AM, LONDON)
    due = datetime(2027, 1, 4, 10, tzinfo=UTC) + spread_of(1)
    assert chosen.next_due_at == due
    assert (await checkins.due_pass(MONDAY_8AM, LONDON, QUIET)).queued == 0
    result = await checkins.due_pass(due, LONDON, QUIET)
    assert (result.queued, result.skipped, result.more) == (1, 0, False)
    [(member_id, _key, not_before, priority)] = await pending(db)
    assert (member_id, not_before, priority) == (1, due.isoformat(), Priority.BULK)
    assert (await checkins.get(1)).next_due_at == due + timedelta(days=7)  # type: ignore[union-attr]
    assert (await checkins.due_pass(due + timedelta(minutes=5), LONDON, QUIET)).queued == 0
    assert len(await pending(db)) == 1


async def test_queued_ahead_still_goes_at_its_moment(db: Database) -> None:
    await add_members(db, 1)
    checkins = CheckinRepository(db)
    await checkins.choose(1, Schedule(Cadence.WEEKLY, 0, 10), MONDAY_8AM, LONDON)
    due = datetime(2027, 1, 4, 10, tzinfo=UTC) + spread_of(1)
    early = due - timedelta(minutes=3)
    assert (await checkins.due_pass(early, LONDON, QUIET, ahead=timedelta(minutes=6))).queued == 1
    [(_, _, not_before, _)] = await pending(db)
    assert not_before == due.isoformat()


async def test_late_by_more_than_twelve_hours_is_skipped_to_the_next(db: Database) -> None:
    await add_members(db, 2)
    checkins = CheckinRepository(db)
    for member_id in (1, 2):
        await checkins.choose(member_id, Schedule(Cadence.WEEKLY, 0, 10), MONDAY_8AM, LONDON)
    monday_10 = datetime(2027, 1, 4, 10, tzinfo=UTC)
    result = await checkins.due_pass(monday_10 + timedelta(hours=13), LONDON, QUIET)
    assert (result.queued, result.skipped) == (0, 2)
    assert (await checkins.get(1)).next_due_at == monday_10 + timedelta(days=7) + spread_of(1)  # type: ignore[union-attr]


async def test_those_in_quiet_hours_wait_for_the_morning_still_spread(db: Database) -> None:
    await add_members(db, 3)
    checkins = CheckinRepository(db)
    for member_id in (1, 2, 3):
        await checkins.choose(
            member_id, Schedule(Cadence.WEEKLY, 0, 7), MONDAY_8AM - timedelta(days=1), LONDON
        )
    seven = datetime(2027, 1, 4, 7, tzinfo=UTC)
    assert (await checkins.due_pass(seven, LONDON, QUIET, ahead=timedelta(hours=1))).queued == 3
    # Each keeps their own moment within the hour, after quiet hours end at 8:00.
    assert [(member_id, not_before) for member_id, _, not_before, _ in await pending(db)] == [
        (member_id, (MONDAY_8AM + spread_of(member_id)).isoformat())
        for member_id in sorted((1, 2, 3), key=spread_of)
    ]


async def test_one_found_late_in_quiet_hours_waits_for_the_morning(db: Database) -> None:
    await add_members(db, 1)
    checkins = CheckinRepository(db)
    await checkins.choose(1, Schedule(Cadence.WEEKLY, 0, 20), MONDAY_8AM, LONDON)
    due = datetime(2027, 1, 4, 20, tzinfo=UTC) + spread_of(1)
    # The bot was down from before it and back at 21:30, in quiet hours: not sent at once.
    assert (
        await checkins.due_pass(datetime(2027, 1, 4, 21, 30, tzinfo=UTC), LONDON, QUIET)
    ).queued == 1
    [(_, _, not_before, _)] = await pending(db)
    assert not_before == (MONDAY_8AM + timedelta(days=1) + spread_of(1)).isoformat()
    assert (await checkins.get(1)).next_due_at == due + timedelta(days=7)  # type: ignore[union-attr]


async def test_one_found_late_outside_quiet_hours_goes_at_once(db: Database) -> None:
    await add_members(db, 1)
    checkins = CheckinRepository(db)
    await checkins.choose(1, Schedule(Cadence.WEEKLY, 0, 10), MONDAY_8AM, LONDON)
    back = datetime(2027, 1, 4, 15, tzinfo=UTC)
    assert (await checkins.due_pass(back, LONDON, QUIET)).queued == 1
    [(_, _, not_before, _)] = await pending(db)
    assert not_before == back.isoformat()


async def test_a_fortnightly_pass_across_the_autumn_clock_change(db: Database) -> None:
    await add_members(db, 1)
    checkins = CheckinRepository(db)
    fortnightly = Schedule(Cadence.FORTNIGHTLY, 6, 10)
    await checkins.choose(1, fortnightly, datetime(2027, 10, 20, 12, tzinfo=UTC), LONDON)
    due = datetime(2027, 10, 24, 9, tzinfo=UTC) + spread_of(1)  # 10:00 BST
    assert (await checkins.get(1)).next_due_at == due  # type: ignore[union-attr]
    assert (await checkins.due_pass(due, LONDON, QUIET)).queued == 1
    # The clocks go back on 31 October: a fortnight on is 7 November, 10:00 GMT.
    following = datetime(2027, 11, 7, 10, tzinfo=UTC) + spread_of(1)
    assert (await checkins.get(1)).next_due_at == following  # type: ignore[union-attr]
    # Found late after a long downtime: the first still ahead, the rhythm kept.
    await checkins.due_pass(following + timedelta(days=3), LONDON, QUIET)
    later = datetime(2027, 11, 21, 10, tzinfo=UTC) + spread_of(1)
    assert (await checkins.get(1)).next_due_at == later  # type: ignore[union-attr]


async def test_nothing_for_someone_no_longer_a_member_but_the_schedule_moves_on(
    db: Database,
) -> None:
    await add_members(db, 1)
    checkins = CheckinRepository(db)
    await checkins.choose(1, Schedule(Cadence.WEEKLY, 0, 10), MONDAY_8AM, LONDON)
    await db.write(lambda tx: tx.execute("UPDATE members SET status = 'suspended'"))
    result = await checkins.due_pass(MONDAY_8AM + timedelta(hours=3), LONDON, QUIET)
    assert (result.queued, result.skipped) == (0, 1)


async def test_a_pass_with_many_members_is_one_quick_write_in_batches(db: Database) -> None:
    count = 3_000
    await add_members(db, count)
    stamp = MONDAY_8AM.isoformat()
    await db.write(
        lambda tx: tx.executemany(
            "INSERT INTO checkin_schedules (member_id, cadence, weekday, hour, next_due_at,"
            " updated_at) VALUES (?, 'weekly', 0, 10, ?, ?)",
            [
                (n, (datetime(2027, 1, 4, 10, tzinfo=UTC) + spread_of(n)).isoformat(), stamp)
                for n in range(1, count + 1)
            ],
        )
    )
    checkins = CheckinRepository(db)
    at, ahead = datetime(2027, 1, 4, 10, tzinfo=UTC), timedelta(hours=1)
    first = await checkins.due_pass(at, LONDON, QUIET, ahead=ahead, limit=2_000)
    assert (first.queued, first.more) == (2_000, True)
    started = time.perf_counter()
    second = await checkins.due_pass(at, LONDON, QUIET, ahead=ahead, limit=2_000)
    assert time.perf_counter() - started < 1.0  # generous: the bench measures it properly
    assert (second.queued, second.more) == (1_000, False)
    queued = await pending(db)
    assert len({key for _, key, _, _ in queued}) == count
    # Spread over the hour, not all at one second.
    assert len({not_before for _, _, not_before, _ in queued}) > 1_000
    plan = await db.fetch_all(
        "EXPLAIN QUERY PLAN SELECT member_id FROM checkin_schedules"
        " WHERE next_due_at IS NOT NULL AND next_due_at <= ? ORDER BY next_due_at",
        ("x",),
    )
    assert any("checkin_schedules_due" in row["detail"] for row in plan)


async def test_an_answer_is_kept_once_under_a_pseudonym_shown_and_erased(db: Database) -> None:
    await add_members(db, 1)
    checkins = CheckinRepository(db)
    day = date(2027, 1, 4)
    assert not await checkins.answer(1, day, 2)  # without the wellbeing consent: not kept
    assert await db.fetch_all("SELECT * FROM checkin_answers") == []
    await WellbeingRepository(db).consent(1, MONDAY_8AM, [])
    assert await checkins.answer(1, day, 2)
    assert not await checkins.answer(1, day, 5)  # a second tap changes nothing
    rows = await db.fetch_all("SELECT * FROM checkin_answers")
    assert [(r["day"], r["answer"]) for r in rows] == [("2027-01-04", 2)]
    assert set(rows[0].keys()) == {"pseudonym", "day", "answer"}
    await checkins.choose(1, Schedule(Cadence.WEEKLY, 0, 10), MONDAY_8AM, LONDON)
    held = await rows_about(db, 1)
    assert [r["answer"] for r in held["checkin_answers"]] == [2]
    assert held["checkin_schedules"][0]["cadence"] == "weekly"
    assert await MemberRepository(db).erase(1, MONDAY_8AM)
    assert await db.fetch_all("SELECT * FROM checkin_answers") == []
    assert await db.fetch_all("SELECT * FROM checkin_schedules") == []


async def test_a_slot_quiet_hours_touch_in_part_goes_member_by_member_the_same_way(
    db: Database,
) -> None:
    await add_members(db, 40)
    checkins = CheckinRepository(db)
    for member_id in range(1, 41):
        await checkins.choose(member_id, Schedule(Cadence.WEEKLY, 0, 20), MONDAY_8AM, LONDON)
    half_past_eight = QuietHours(datetime(2000, 1, 1, 20, 30).time(), QUIET.end)
    eight = datetime(2027, 1, 4, 20, tzinfo=UTC)
    result = await checkins.due_pass(eight, LONDON, half_past_eight, ahead=timedelta(hours=1))
    assert (result.queued, result.skipped) == (40, 0)
    tuesday_8am = MONDAY_8AM + timedelta(days=1)
    for member_id, _, not_before, _ in await pending(db):
        due = eight + spread_of(member_id)
        expected = (
            due if spread_of(member_id) < timedelta(minutes=30) else tuesday_8am + (due - eight)
        )
        assert not_before == expected.isoformat()
    for member_id in range(1, 41):
        schedule = await checkins.get(member_id)
        assert schedule is not None
        assert schedule.next_due_at == eight + timedelta(days=7) + spread_of(member_id)


async def test_after_a_downtime_longer_than_a_week_the_next_one_still_ahead(
    db: Database,
) -> None:
    await add_members(db, 3)
    checkins = CheckinRepository(db)
    for member_id in (1, 2, 3):
        await checkins.choose(member_id, Schedule(Cadence.WEEKLY, 0, 10), MONDAY_8AM, LONDON)
    monday_10 = datetime(2027, 1, 4, 10, tzinfo=UTC)
    back = monday_10 + timedelta(days=9)  # Wednesday of the week after
    result = await checkins.due_pass(back, LONDON, QUIET)
    assert (result.queued, result.skipped) == (0, 3)
    for member_id in (1, 2, 3):
        schedule = await checkins.get(member_id)
        assert schedule is not None
        assert schedule.next_due_at == monday_10 + timedelta(days=14) + spread_of(member_id)


async def test_a_local_hour_across_two_utc_hours_is_one_slot_queued_once(db: Database) -> None:
    kolkata = ZoneInfo("Asia/Kolkata")  # UTC+5:30: 10:00 there is 04:30 to 05:30 UTC
    await add_members(db, 60)
    checkins = CheckinRepository(db)
    chosen_at = datetime(2027, 1, 3, 12, tzinfo=UTC)
    for member_id in range(1, 61):
        await checkins.choose(member_id, Schedule(Cadence.WEEKLY, 0, 10), chosen_at, kolkata)
    ten = datetime(2027, 1, 4, 4, 30, tzinfo=UTC)
    result = await checkins.due_pass(ten, kolkata, QUIET, ahead=timedelta(hours=1))
    assert (result.queued, result.skipped, result.more) == (60, 0, False)
    queued = await pending(db)
    assert sorted(member_id for member_id, _, _, _ in queued) == list(range(1, 61))
    assert {not_before[:13] for _, _, not_before, _ in queued} == {
        "2027-01-04T04",
        "2027-01-04T05",
    }
    for member_id, _, not_before, _ in queued:
        assert not_before == (ten + spread_of(member_id)).isoformat()
        schedule = await checkins.get(member_id)
        assert schedule is not None
        assert schedule.next_due_at == ten + timedelta(days=7) + spread_of(member_id)
    again = await checkins.due_pass(ten, kolkata, QUIET, ahead=timedelta(hours=1))
    assert again.queued == 0


async def test_schedules_made_before_they_were_kept_by_slot_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    stamp = MONDAY_8AM.isoformat()
    due = (datetime(2027, 1, 4, 10, tzinfo=UTC) + spread_of(1)).isoformat()
    with closing(sqlite3.connect(path, isolation_level=None)) as old:
        migrate_to(old, 24)
        old.execute(
            "INSERT INTO members (id, telegram_id, language, status, created_at, updated_at)"
            " VALUES (1, 11, 'en', 'active', ?, ?)",
            (stamp, stamp),
        )
        old.execute(
            "INSERT INTO checkin_schedules (member_id, cadence, weekday, hour, paused_until,"
            " next_due_at, updated_at) VALUES (1, 'weekly', 0, 10, NULL, ?, ?)",
            (due, stamp),
        )
    db = await Database.open(path)
    try:
        checkins = CheckinRepository(db)
        kept = await checkins.get(1)
        assert kept is not None and kept.next_due_at == datetime.fromisoformat(due)
        assert kept.schedule == Schedule(Cadence.WEEKLY, 0, 10)
        assert (await checkins.due_pass(datetime.fromisoformat(due), LONDON, QUIET)).queued == 1
    finally:
        await db.close()
