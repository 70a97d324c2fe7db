"""Community events: when they start, who has a place, and the calendar file for a phone.

An event's start is kept as the community's wall time (a date, a time and the zone) and, from
that, as UTC. The wall time is what the organiser chose, so an event across a clock change keeps
its local time: 19:30 on a summer evening stays 19:30 however it was entered in winter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum

import icalendar

TITLE_MAX = 80
PLACE_MAX = 120
DESCRIPTION_MAX = 800
CAPACITY_MAX = 10_000
VOLUNTEERS_MAX = 100
ONLINE = "online"  # the area of an event held online
# Events have no end time of their own; calendars are given this length.
CALENDAR_LENGTH = timedelta(hours=2)


class EventStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class Answer(StrEnum):
    GOING = "going"
    MAYBE = "maybe"
    NO = "no"


# --- time --------------------------------------------------------------------------------------


def utc_start(day: date, at: time, zone: tzinfo) -> datetime:
    """The moment, in UTC, of a wall time in the community's zone on that day.

    A time the clocks skip (01:30 when they go forward) is read with the offset before the
    change, so it falls an hour later in local time, as phones read it too.
    """
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def local_start(moment: datetime, zone: tzinfo) -> datetime:
    """A UTC moment as the community's wall time."""
    return moment.astimezone(zone)


_TIME = re.compile(r"(\d{1,2})(?:\s*[:.h]\s*(\d{2}))?\s*(am|pm|yb|yh|y\.b\.|y\.h\.)?")
_AFTERNOON = {"pm", "yh", "y.h."}
_MORNING = {"am", "yb", "y.b."}


def parse_time(text: str) -> time | None:
    """A time of day as typed: "19:30", "19.30", "7.30pm", "7pm", "7:30 yh"; None if not one."""
    match = _TIME.fullmatch(text.strip().lower())
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = match.group(3)
    if suffix is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix in _AFTERNOON else 0)
    elif match.group(2) is None:
        return None  # a bare number is too easily something else
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute)


def reminder_at(start: datetime, hours: float) -> datetime:
    """When to remind, in UTC, `hours` before an event's start (aware, in the community's
    zone). Whole days are counted on the wall clock, so "a day before" a 19:30 event is 19:30
    the day before even across a clock change; the rest is counted in real hours."""
    days, rest = divmod(hours, 24)
    return (start - timedelta(days=days)).astimezone(UTC) - timedelta(hours=rest)


def may_remind_in_quiet_hours(hours: float, all_hours: tuple[float, ...]) -> bool:
    """Only the last reminder before an event (two hours, by default) may go in quiet hours:
    held to the morning it would come too late."""
    return hours == min(all_hours)


# --- places and the waitlist -------------------------------------------------------------------


@dataclass(frozen=True)
class Seat:
    """Where a member's answer leaves them."""

    answer: Answer
    waitlisted: bool


def seat_for(
    answer: Answer, capacity: int | None, others_with_a_place: int, had_a_place: bool
) -> Seat:
    """Going takes a place if one is left (or is kept if held); else it joins the waitlist."""
    if answer is not Answer.GOING:
        return Seat(answer, waitlisted=False)
    if had_a_place or capacity is None or others_with_a_place < capacity:
        return Seat(answer, waitlisted=False)
    return Seat(answer, waitlisted=True)


def places_left(capacity: int | None, with_a_place: int) -> int | None:
    """Places still free (None: no limit)."""
    return None if capacity is None else max(capacity - with_a_place, 0)


def to_promote(capacity: int | None, with_a_place: int, waiting: int) -> int:
    """How many of the waitlist, first first, now get a place."""
    if capacity is None:
        return waiting
    return max(min(capacity - with_a_place, waiting), 0)


# --- the calendar file -------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    title: str
    start: datetime  # aware, in the community's zone
    place: str
    description: str
    url: str | None = None


def calendar_file(event: CalendarEvent, now: datetime) -> bytes:
    """An .ics file with the one event, its start in the community's zone (TZID and VTIMEZONE),
    as phone calendars import it."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Amser//Community events//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = icalendar.Event()
    entry.add("uid", event.uid)
    entry.add("dtstamp", now.astimezone(UTC))
    entry.add("dtstart", event.start)
    entry.add("dtend", event.start + CALENDAR_LENGTH)
    entry.add("summary", event.title)
    entry.add("location", event.place)
    entry.add("description", event.description)
    if event.url:
        entry.add("url", event.url)
    calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()


# --- volunteers --------------------------------------------------------------------------------


def volunteer_credit(minutes_given: int, credit_per_hour: int | None) -> int:
    """The credit for `minutes_given` of volunteering at the event's rate (minutes credited per
    hour given; an hour for an hour when it has none), to the nearest minute."""
    rate = credit_per_hour or 60
    return (minutes_given * rate + 30) // 60


def has_started(starts_at: datetime, now: datetime) -> bool:
    """Attendance is marked, and volunteers credited, once the event has started."""
    return starts_at <= now
