"""The pure rules of warnings and suspensions: live warnings at a moment (expiry after the
clock moves on), the warn limit, until when, and how a length and a reason are read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.moderation import (
    LengthAndReason,
    WarningTimes,
    expires,
    length_and_reason,
    live,
    reaches_limit,
    until,
)
from bot.runtime.clock import FakeClock


def test_a_warning_counts_until_it_expires_or_is_taken_back() -> None:
    clock = FakeClock()
    given = clock.now()
    first = WarningTimes(given, expires(given, 90))
    clock.advance(timedelta(days=30))
    second = WarningTimes(clock.now(), expires(clock.now(), 90))
    lifted = WarningTimes(given, expires(given, 90), lifted_at=clock.now())
    assert live([first, second, lifted], clock.now()) == 2
    clock.advance(timedelta(days=60))  # the first is exactly 90 days old: it no longer counts
    assert live([first, second, lifted], clock.now()) == 1
    clock.advance(timedelta(days=30))
    assert live([first, second, lifted], clock.now()) == 0
    assert live([first], given - timedelta(seconds=1)) == 0  # not given yet


def test_a_warning_ends_at_the_time_of_day_it_was_given_across_a_clock_change() -> None:
    cardiff = ZoneInfo("Europe/London")
    given = datetime(2026, 10, 20, 9, 0, tzinfo=UTC)  # 10:00 summer time
    ends = expires(given, 90, cardiff)
    assert ends.astimezone(cardiff).replace(tzinfo=None) == datetime(2027, 1, 18, 10, 0)
    assert ends == datetime(2027, 1, 18, 10, 0, tzinfo=UTC)  # an hour later than 90 × 24 h
    spring = datetime(2027, 2, 1, 10, 0, tzinfo=UTC)  # and back into summer time
    assert expires(spring, 90, cardiff) == datetime(2027, 5, 2, 9, 0, tzinfo=UTC)
    assert expires(given, 90) == given + timedelta(days=90)  # in UTC, exactly 90 days


def test_the_warn_limit() -> None:
    assert not reaches_limit(2, 3)
    assert reaches_limit(3, 3)
    assert reaches_limit(4, 3)
    assert not reaches_limit(5, 0)


def test_until() -> None:
    clock = FakeClock()
    assert until(clock.now(), None) is None
    assert until(clock.now(), 60 * 24 * 3) == clock.now() + timedelta(days=3)


def test_a_length_then_a_reason() -> None:
    assert length_and_reason("3d being rude") == LengthAndReason(3 * 24 * 60, "being rude")
    assert length_and_reason("2 weeks") == LengthAndReason(14 * 24 * 60, None)
    assert length_and_reason("dwy wythnos yn anghwrtais") == LengthAndReason(
        14 * 24 * 60, "yn anghwrtais"
    )
    assert length_and_reason("an hour and a half spam") == LengthAndReason(90, "spam")
    assert length_and_reason("being rude") == LengthAndReason(None, "being rude")
    assert length_and_reason("") == LengthAndReason(None, None)
    assert length_and_reason("3x rude") == LengthAndReason(None, None, unreadable="3x")
    assert length_and_reason("0d rude") == LengthAndReason(None, None, unreadable="0d")
    assert length_and_reason("52w") == LengthAndReason(52 * 7 * 24 * 60, None)
    too_long = "99999999999w"  # more than a year (and more than a date can hold)
    assert length_and_reason(too_long) == LengthAndReason(None, None, unreadable=too_long)
