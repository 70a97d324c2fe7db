"""Event rules, directly: wall times across the clock changes, typed times, places and the
waitlist, and the calendar file read back."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import icalendar
import pytest

from bot.domain.days import parse_day
from bot.domain.events import (
    Answer,
    CalendarEvent,
    calendar_file,
    local_start,
    parse_time,
    places_left,
    seat_for,
    to_promote,
    utc_start,
)

LONDON = ZoneInfo("Europe/London")


def test_an_event_across_a_clock_change_keeps_its_local_time() -> None:
    # The clocks go forward on 28 March 2027 and back on 31 October 2027.
    before = utc_start(date(2027, 3, 27), time(19, 30), LONDON)
    after = utc_start(date(2027, 3, 28), time(19, 30), LONDON)
    assert before == datetime(2027, 3, 27, 19, 30, tzinfo=UTC)
    assert after == datetime(2027, 3, 28, 18, 30, tzinfo=UTC)
    autumn = utc_start(date(2027, 10, 31), time(19, 30), LONDON)
    assert autumn == datetime(2027, 10, 31, 19, 30, tzinfo=UTC)
    for moment in (before, after, autumn):
        assert local_start(moment, LONDON).time() == time(19, 30)


def test_a_time_the_clocks_skip_falls_an_hour_later() -> None:
    skipped = utc_start(date(2027, 3, 28), time(1, 30), LONDON)
    assert local_start(skipped, LONDON).time() == time(2, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19:30", time(19, 30)),
        ("19.30", time(19, 30)),
        ("7.30pm", time(19, 30)),
        ("7pm", time(19, 0)),
        ("7:30 yh", time(19, 30)),
        ("10am", time(10, 0)),
        ("12pm", time(12, 0)),
        ("12am", time(0, 0)),
        ("09:05", time(9, 5)),
        ("25:00", None),
        ("19:75", None),
        ("13pm", None),
        ("7", None),
        ("tonight", None),
    ],
)
def test_typed_times(text: str, expected: time | None) -> None:
    assert parse_time(text) == expected


def test_days_ahead_for_events() -> None:
    wednesday = date(2026, 11, 25)
    assert parse_day("1/12", wednesday, ahead=True) == date(2026, 12, 1)
    assert parse_day("1/11", wednesday, ahead=True) == date(2027, 11, 1)
    assert parse_day("dydd Gwener", wednesday, ahead=True) == date(2026, 11, 27)
    assert parse_day("Monday", wednesday, ahead=True) == date(2026, 11, 30)
    assert parse_day("Wednesday", wednesday, ahead=True) == wednesday
    assert parse_day("1/12", wednesday) == date(2025, 12, 1)  # looking back, as before


def test_going_takes_a_place_while_one_is_left_then_waits() -> None:
    assert not seat_for(Answer.GOING, 2, 1, had_a_place=False).waitlisted
    assert seat_for(Answer.GOING, 2, 2, had_a_place=False).waitlisted
    assert not seat_for(Answer.GOING, 2, 2, had_a_place=True).waitlisted  # kept, not lost
    assert not seat_for(Answer.GOING, None, 500, had_a_place=False).waitlisted
    assert not seat_for(Answer.MAYBE, 1, 1, had_a_place=False).waitlisted


def test_places_left_and_who_is_promoted() -> None:
    assert places_left(None, 3) is None
    assert places_left(5, 3) == 2
    assert places_left(5, 7) == 0  # capacity lowered below those going: none, never negative
    assert to_promote(5, 4, 3) == 1
    assert to_promote(5, 5, 3) == 0
    assert to_promote(5, 7, 3) == 0
    assert to_promote(None, 7, 3) == 3


def test_the_calendar_file_reads_back_in_the_community_zone() -> None:
    start = local_start(utc_start(date(2027, 10, 31), time(19, 30), LONDON), LONDON)
    event = CalendarEvent(
        uid="event-7@amser",
        title="Côr y Cartref",
        start=start,
        place="Canolfan Treganna",
        description="Dewch i ganu!",
        url="https://t.me/amser_bot?start=event-7",
    )
    made = calendar_file(event, datetime(2027, 10, 1, tzinfo=UTC))
    assert b"TZID=Europe/London" in made
    parsed = icalendar.Calendar.from_ical(made)
    (timezone,) = parsed.walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/London"
    (entry,) = parsed.events
    assert entry["SUMMARY"] == "Côr y Cartref"
    assert entry["LOCATION"] == "Canolfan Treganna"
    assert entry["UID"] == "event-7@amser"
    assert entry.start == datetime(2027, 10, 31, 19, 30, tzinfo=LONDON)
    assert entry.start.astimezone(UTC) == datetime(2027, 10, 31, 19, 30, tzinfo=UTC)
    assert entry.end.astimezone(UTC) == datetime(2027, 10, 31, 21, 30, tzinfo=UTC)


def test_a_day_before_keeps_the_wall_time_across_the_clock_change() -> None:
    from bot.domain.events import may_remind_in_quiet_hours, reminder_at

    start = datetime(2027, 3, 28, 19, 30, tzinfo=LONDON)  # the day the clocks go forward
    assert reminder_at(start, 24) == datetime(2027, 3, 27, 19, 30, tzinfo=UTC)  # 19:30 GMT
    assert reminder_at(start, 2) == datetime(2027, 3, 28, 16, 30, tzinfo=UTC)  # 17:30 BST
    autumn = datetime(2027, 10, 31, 10, 0, tzinfo=LONDON)  # the day they go back
    assert reminder_at(autumn, 24).astimezone(LONDON).time() == time(10, 0)
    assert reminder_at(autumn, 26) == datetime(2027, 10, 30, 7, 0, tzinfo=UTC)
    assert may_remind_in_quiet_hours(2, (24, 2))
    assert not may_remind_in_quiet_hours(24, (24, 2))
