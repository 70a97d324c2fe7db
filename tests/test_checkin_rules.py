"""Check-in rules, directly: the next one at the same local wall time across clock changes,
fortnights and first weekdays of the month, pauses, the spread and the late rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.checkins import (
    Cadence,
    Schedule,
    after_pass,
    following,
    needs_helplines,
    next_due,
    pause_until,
    spread_of,
    too_late,
)

LONDON = ZoneInfo("Europe/London")
WEEKLY_SUNDAY_10 = Schedule(Cadence.WEEKLY, weekday=6, hour=10)


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=LONDON).astimezone(UTC)  # type: ignore[misc]


def test_off_has_no_next_check_in() -> None:
    assert next_due(Schedule(), datetime(2027, 1, 1, tzinfo=UTC), LONDON) is None


def test_weekly_stays_at_ten_local_across_both_clock_changes() -> None:
    # The clocks go forward on Sunday 28 March 2027 and back on Sunday 31 October 2027.
    before = next_due(WEEKLY_SUNDAY_10, local(2027, 3, 20, 12), LONDON)
    assert before == datetime(2027, 3, 21, 10, tzinfo=UTC)  # GMT: 10:00 local is 10:00 UTC
    on_the_day = following(WEEKLY_SUNDAY_10, before, LONDON)
    assert on_the_day == datetime(2027, 3, 28, 9, tzinfo=UTC)  # BST: 10:00 local is 09:00 UTC
    autumn = next_due(WEEKLY_SUNDAY_10, local(2027, 10, 25, 12), LONDON)
    assert autumn == datetime(2027, 10, 31, 10, tzinfo=UTC)
    assert following(WEEKLY_SUNDAY_10, local(2027, 10, 24, 10), LONDON) == autumn
    for due in (before, on_the_day, autumn):
        assert due.astimezone(LONDON).hour == 10


def test_today_if_still_ahead_else_next_week() -> None:
    monday_9 = Schedule(Cadence.WEEKLY, weekday=0, hour=9)
    assert next_due(monday_9, local(2027, 1, 4, 8), LONDON) == local(2027, 1, 4, 9)
    assert next_due(monday_9, local(2027, 1, 4, 9), LONDON) == local(2027, 1, 11, 9)


def test_fortnightly_and_monthly() -> None:
    fortnightly = Schedule(Cadence.FORTNIGHTLY, weekday=2, hour=14)
    first = next_due(fortnightly, local(2027, 1, 4, 8), LONDON)
    assert first == local(2027, 1, 6, 14)
    assert following(fortnightly, first, LONDON) == local(2027, 1, 20, 14)
    monthly = Schedule(Cadence.MONTHLY, weekday=0, hour=10)  # the first Monday of the month
    assert next_due(monthly, local(2027, 1, 1, 8), LONDON) == local(2027, 1, 4, 10)
    assert next_due(monthly, local(2027, 1, 4, 11), LONDON) == local(2027, 2, 1, 10)
    assert following(monthly, local(2027, 12, 6, 10), LONDON) == local(2028, 1, 3, 10)


def test_fortnightly_stays_a_fortnight_across_both_clock_changes() -> None:
    fortnightly = Schedule(Cadence.FORTNIGHTLY, weekday=6, hour=10)
    spread = spread_of(42)
    autumn = local(2027, 10, 24, 10) + spread  # BST; the clocks go back on 31 October
    assert following(fortnightly, autumn, LONDON, spread) == local(2027, 11, 7, 10) + spread
    spring = local(2027, 3, 21, 10) + spread  # GMT; the clocks go forward on 28 March
    assert following(fortnightly, spring, LONDON, spread) == local(2027, 4, 4, 10) + spread
    late = autumn + timedelta(days=3)  # a long downtime: the first still ahead, same rhythm
    assert after_pass(fortnightly, autumn, late, LONDON, spread) == local(2027, 11, 7, 10) + spread
    assert (
        after_pass(fortnightly, autumn, local(2027, 11, 8, 9), LONDON, spread)
        == local(2027, 11, 21, 10) + spread
    )


def test_each_member_keeps_their_own_moment_within_the_hour() -> None:
    spreads = {spread_of(member_id) for member_id in range(1, 5001)}
    assert all(timedelta(0) <= spread < timedelta(hours=1) for spread in spreads)
    assert len(spreads) > 2000  # well spread, not bunched
    assert spread_of(42) == spread_of(42)
    due = next_due(WEEKLY_SUNDAY_10, local(2027, 3, 20, 12), LONDON, spread_of(42))
    assert due == datetime(2027, 3, 21, 10, tzinfo=UTC) + spread_of(42)
    assert following(WEEKLY_SUNDAY_10, due, LONDON, spread_of(42)) == local(2027, 3, 28, 10) + (
        spread_of(42)
    )


def test_paused_until_a_day_then_on_again() -> None:
    paused = Schedule(Cadence.WEEKLY, weekday=0, hour=10, paused_until=date(2027, 1, 18))
    assert paused.paused_on(date(2027, 1, 17)) and not paused.paused_on(date(2027, 1, 18))
    assert next_due(paused, local(2027, 1, 4, 8), LONDON) == local(2027, 1, 18, 10)
    assert pause_until(date(2027, 1, 4), 2) == date(2027, 1, 18)


def test_late_ones_are_skipped_after_twelve_hours_and_a_long_downtime_keeps_the_rhythm() -> None:
    due = local(2027, 1, 4, 10)
    assert not too_late(due, due + timedelta(hours=12))
    assert too_late(due, due + timedelta(hours=12, seconds=1))
    monday = Schedule(Cadence.WEEKLY, weekday=0, hour=10)
    assert after_pass(monday, due, due + timedelta(days=20), LONDON, timedelta(0)) == local(
        2027, 1, 25, 10
    )
    fortnightly = Schedule(Cadence.FORTNIGHTLY, weekday=0, hour=10)
    assert after_pass(fortnightly, due, due + timedelta(days=20), LONDON, timedelta(0)) == local(
        2027, 2, 1, 10
    )


def test_only_not_good_at_all_gets_the_helplines_at_once() -> None:
    assert needs_helplines(5)
    assert not any(needs_helplines(answer) for answer in (1, 2, 3, 4))


def test_only_daytime_hours_and_real_weekdays() -> None:
    with pytest.raises(ValueError):
        Schedule(Cadence.WEEKLY, weekday=7)
    with pytest.raises(ValueError):
        Schedule(Cadence.WEEKLY, hour=3)
