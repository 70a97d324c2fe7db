"""Scheduled check-ins: when a member's next one is due, kept at the same local wall time
across clock changes, spread over the chosen hour, and what happens to one found late.

A check-in is at a whole local hour (7:00 to 20:00) on a chosen weekday. Weekly and
fortnightly ones fall on that weekday; a monthly one on the first such weekday of the month
(the first Monday, say). Each member's check-ins come at the same minute and second of the
hour every time (`spread_of`), so thousands chosen for 10:00 go out over the hour rather
than at once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum


class Cadence(StrEnum):
    OFF = "off"
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"


HOURS = tuple(range(7, 21))  # the local hours a member may choose
DEFAULT_HOUR = 10
DEFAULT_WEEKDAY = 0  # Monday, as date.weekday() counts
PAUSE_WEEKS = (1, 2, 4)
SPREAD = timedelta(hours=1)  # check-ins chosen for one hour go out over that hour
VERY_LOW = 5  # "Not good at all": the helplines at once, with the offer of contact
TOO_LATE = timedelta(hours=12)  # found later than this (the bot was down): skip to the next


@dataclass(frozen=True)
class Schedule:
    """A member's choice: how often, which weekday (0 Monday .. 6 Sunday), which local hour,
    and, while paused, the local day check-ins start again."""

    cadence: Cadence = Cadence.OFF
    weekday: int = DEFAULT_WEEKDAY
    hour: int = DEFAULT_HOUR
    paused_until: date | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"no weekday {self.weekday}")
        if self.hour not in HOURS:
            raise ValueError(f"check-ins are not at {self.hour}:00")

    @property
    def on(self) -> bool:
        return self.cadence is not Cadence.OFF

    def paused_on(self, day: date) -> bool:
        return self.paused_until is not None and day < self.paused_until


def spread_of(member_id: int) -> timedelta:
    """The member's own moment within the hour: the same every time, different for most."""
    digest = hashlib.blake2b(member_id.to_bytes(8, "big", signed=True), digest_size=4).digest()
    return timedelta(seconds=int.from_bytes(digest, "big") % int(SPREAD.total_seconds()))


def _at(day: date, hour: int, tz: tzinfo) -> datetime:
    """The local hour on a day, as UTC (a time that does not exist in spring is the same
    wall time read with the offset before the change, i.e. an hour later; check-in hours
    are never in the gap or the fold in the UK)."""
    return datetime.combine(day, time(hour), tzinfo=tz).astimezone(UTC)


def _first_weekday_of_month(year: int, month: int, weekday: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7)


def _slots_from(schedule: Schedule, day: date) -> date:
    """The first day on or after `day` a check-in of this cadence may fall on."""
    if schedule.cadence is Cadence.MONTHLY:
        candidate = _first_weekday_of_month(day.year, day.month, schedule.weekday)
        if candidate >= day:
            return candidate
        year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
        return _first_weekday_of_month(year, month, schedule.weekday)
    return day + timedelta(days=(schedule.weekday - day.weekday()) % 7)


def next_due(
    schedule: Schedule, after: datetime, tz: tzinfo, spread: timedelta = timedelta(0)
) -> datetime | None:
    """The first check-in strictly after `after` (UTC), or None when check-ins are off.
    While paused, the first on or after the day they start again."""
    if not schedule.on:
        return None
    local = after.astimezone(tz)
    day = local.date()
    if schedule.paused_until is not None and schedule.paused_until > day:
        day = schedule.paused_until
    # Two tries cover every cadence: today's slot may be past already.
    for _ in range(3):
        slot_day = _slots_from(schedule, day)
        due = _at(slot_day, schedule.hour, tz) + spread
        if due > after:
            return due
        day = slot_day + timedelta(days=1)
    raise RuntimeError("no check-in slot found")  # unreachable: a later slot always exists


def following(
    schedule: Schedule, due: datetime, tz: tzinfo, spread: timedelta = timedelta(0)
) -> datetime | None:
    """The check-in after the one due at `due`: a week, a fortnight or a month on."""
    if schedule.cadence is Cadence.FORTNIGHTLY:
        # Ten days on is past next week's slot whatever the clocks did (a week on in UTC is
        # an hour before it in autumn) and before the one a fortnight on.
        return next_due(schedule, due + timedelta(days=10), tz, spread)
    return next_due(schedule, due, tz, spread)


def needs_helplines(answer: int) -> bool:
    """A check-in answer this low gets the helplines straight away (domain notes §6)."""
    return answer >= VERY_LOW


def too_late(due: datetime, now: datetime) -> bool:
    """A check-in found this late (the bot was down) is skipped, not sent."""
    return now - due > TOO_LATE


def after_pass(
    schedule: Schedule, due: datetime, now: datetime, tz: tzinfo, spread: timedelta
) -> datetime | None:
    """Where a check-in due at `due` moves once the pass has seen it at `now`: the following
    one, or, if that has gone by too (a long downtime), the first following one still ahead."""
    upcoming = following(schedule, due, tz, spread)
    while upcoming is not None and upcoming <= now:
        upcoming = following(schedule, upcoming, tz, spread)
    return upcoming


def pause_until(today: date, weeks: int) -> date:
    """The local day check-ins start again after a pause of some weeks from today."""
    return today + timedelta(weeks=weeks)
