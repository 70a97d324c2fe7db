"""The rules of time credits, without Telegram or storage: amounts, the floor, follow-ups.

One hour of help is one credit whatever the skill. Amounts are whole minutes everywhere;
members choose them in quarter-hours. The words around a figure ("hours", "awr") come from
the translation layer, not from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

QUARTER_HOUR = 15
MINUTES_PER_HOUR = 60

# Unconfirmed exchanges: reminders to the member who should confirm, then the coordinators.
FIRST_REMINDER_AFTER = timedelta(days=2)
SECOND_REMINDER_AFTER = timedelta(days=5)
HAND_OVER_AFTER = timedelta(days=7)


# How far back a member may log an exchange themselves; older ones go through a coordinator.
MAX_DAYS_AGO = 366


def hours_to_minutes(hours: float) -> int:
    """Hours from the config (e.g. 12, -10, 2.5) as whole minutes."""
    return round(hours * MINUTES_PER_HOUR)


# ---------------------------------------------------------------------------------------------
# Amounts


class MinutesProblem(StrEnum):
    NOT_POSITIVE = "not_positive"  # 0 or less
    NOT_A_STEP = "not_a_step"  # not whole quarter-hours (or whatever step is asked for)
    TOO_MANY = "too_many"  # above the configured maximum for one exchange


def minutes_problem(
    minutes: int, max_minutes: int, step: int = QUARTER_HOUR
) -> MinutesProblem | None:
    """What is wrong with an amount for one exchange, or None when it is fine."""
    if minutes <= 0:
        return MinutesProblem.NOT_POSITIVE
    if minutes % step:
        return MinutesProblem.NOT_A_STEP
    if minutes > max_minutes:
        return MinutesProblem.TOO_MANY
    return None


def quarter_hour_choices(max_minutes: int) -> list[int]:
    """Every amount a member may pick, in minutes: 15, 30, ... up to the maximum."""
    return list(range(QUARTER_HOUR, max_minutes + 1, QUARTER_HOUR))


_FRACTIONS = {"": 0, "¼": 15, "½": 30, "¾": 45}
_FRACTION_OF = {minutes: glyph for glyph, minutes in _FRACTIONS.items()}
_HOURS_WORDS = r"(?:h|hr|hrs|hour|hours|awr|oriau)"
_MINUTES_WORDS = r"(?:m|min|mins|minute|minutes|mun|munud)"
_DECIMAL = re.compile(r"(\d+(?:[.,]\d+)?|[.,]\d+)")
_PATTERNS = (
    # 1½, ¾, 2 ¼ hours
    (re.compile(rf"(\d*)\s*([¼½¾])\s*{_HOURS_WORDS}?"), "fraction"),
    # 1:30
    (re.compile(r"(\d+):([0-5]\d)"), "clock"),
    # 1h30, 1 h 30 min, 2 hours 15 minutes, 1 awr 30 munud
    (re.compile(rf"(\d+)\s*{_HOURS_WORDS}\s*(\d+)\s*{_MINUTES_WORDS}?"), "hours_minutes"),
    # 90 min, 45m
    (re.compile(rf"(\d+)\s*{_MINUTES_WORDS}"), "minutes"),
    # 1.5, 1,5, 2 hours, 0.25h
    (re.compile(rf"{_DECIMAL.pattern}\s*{_HOURS_WORDS}?"), "decimal"),
)


def parse_hours(text: str) -> int | None:
    """Minutes from what a member typed ("1.5", "1,5", "1½", "1:30", "90 min", "1h30"); None if
    it is not an amount of time. Checking it (positive, quarter-hours, maximum) is separate."""
    cleaned = " ".join(text.strip().lower().split())
    for pattern, shape in _PATTERNS:
        match = pattern.fullmatch(cleaned)
        if not match:
            continue
        if shape == "fraction":
            whole, glyph = match.groups()
            return int(whole or 0) * MINUTES_PER_HOUR + _FRACTIONS[glyph]
        if shape in ("clock", "hours_minutes"):
            hours, minutes = (int(group) for group in match.groups())
            if shape == "hours_minutes" and minutes >= MINUTES_PER_HOUR:
                return None
            return hours * MINUTES_PER_HOUR + minutes
        if shape == "minutes":
            return int(match.group(1))
        minutes = float(match.group(1).replace(",", ".")) * MINUTES_PER_HOUR
        return round(minutes) if abs(minutes - round(minutes)) < 1e-9 else None
    return None


def hours_figure(minutes: int) -> str:
    """The number of hours as people write it: 90 → "1½", 45 → "¾", 120 → "2", -150 → "−2½".

    Amounts that are not quarter-hours come out as hours and minutes (80 → "1 h 20 min").
    """
    sign = "−" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), MINUTES_PER_HOUR)
    if rest in _FRACTION_OF:
        whole = str(hours) if hours or not rest else ""
        return f"{sign}{whole}{_FRACTION_OF[rest]}"
    return sign + duration_text(abs(minutes))


def duration_text(minutes: int) -> str:
    """Hours and minutes with unit symbols: 90 → "1 h 30 min", 45 → "45 min", 120 → "2 h"."""
    sign = "−" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), MINUTES_PER_HOUR)
    parts = ([f"{hours} h"] if hours else []) + ([f"{rest} min"] if rest or not hours else [])
    return sign + " ".join(parts)


def format_hours(minutes: int) -> str:
    """English for logs, the CLI and reports: 90 → "1½ hours", 60 → "1 hour", 15 → "¼ hour".

    Members see the figure through the translation layer (hours_figure plus a translated word).
    """
    figure = hours_figure(minutes)
    if " " in figure:  # "1 h 20 min" carries its own units
        return figure
    return f"{figure} hour" if 0 < abs(minutes) <= MINUTES_PER_HOUR else f"{figure} hours"


# ---------------------------------------------------------------------------------------------
# Days


def local_today(now: datetime, zone: tzinfo) -> date:
    """The community's date now: an exchange at 00:30 in Cardiff happened "today", not in UTC."""
    return now.astimezone(zone).date()


class DayProblem(StrEnum):
    FUTURE = "future"
    TOO_LONG_AGO = "too_long_ago"


def day_problem(day: date, today: date) -> DayProblem | None:
    """What is wrong with the day of an exchange, or None when it is fine."""
    if day > today:
        return DayProblem.FUTURE
    if (today - day).days > MAX_DAYS_AGO:
        return DayProblem.TOO_LONG_AGO
    return None


_DAY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{2}|\d{4}))?")
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_day(text: str, today: date) -> date | None:
    """A date as people in Wales type it: 21/11/2026, 21.11.26, 21-11, or 2026-11-21.

    Without a year it is the latest such day not after today. None if it is not a date.
    """
    cleaned = text.strip()
    try:
        if match := _ISO_DAY.fullmatch(cleaned):
            year, month, day = (int(group) for group in match.groups())
            return date(year, month, day)
        if match := _DAY.fullmatch(cleaned):
            day, month = int(match.group(1)), int(match.group(2))
            if match.group(3) is None:
                candidate = date(today.year, month, day)
                return candidate if candidate <= today else date(today.year - 1, month, day)
            year = int(match.group(3))
            return date(year + 2000 if year < 100 else year, month, day)
    except ValueError:  # 31/02 and the like
        return None
    return None


# ---------------------------------------------------------------------------------------------
# The balance floor


class FloorDecision(StrEnum):
    ALLOWED = "allowed"
    NEEDS_APPROVAL = "needs_approval"  # a coordinator says yes (or no); tell the member kindly


def floor_decision(payer_balance: int, minutes: int, floor: int) -> FloorDecision:
    """May a member receive `minutes` of help, paying from `payer_balance` (all in minutes)?

    Giving help is never blocked, so this is only asked about the member who was helped:
    going below the floor needs a coordinator's yes. Being at or above it after paying is fine.
    """
    if payer_balance - minutes >= floor:
        return FloorDecision.ALLOWED
    return FloorDecision.NEEDS_APPROVAL


# ---------------------------------------------------------------------------------------------
# Following up unconfirmed exchanges: nothing is silently accepted or dropped.


class FollowUp(StrEnum):
    FIRST_REMINDER = "first_reminder"
    SECOND_REMINDER = "second_reminder"
    HAND_OVER = "hand_over"  # to the coordinators' queue (the transfer is marked expired)


@dataclass(frozen=True)
class FollowUpSchedule:
    first_reminder: datetime
    second_reminder: datetime
    hand_over: datetime

    def steps(self) -> list[tuple[FollowUp, datetime]]:
        return [
            (FollowUp.FIRST_REMINDER, self.first_reminder),
            (FollowUp.SECOND_REMINDER, self.second_reminder),
            (FollowUp.HAND_OVER, self.hand_over),
        ]

    def due(self, now: datetime) -> FollowUp | None:
        """The latest step whose time has come (after a long pause, only the latest matters)."""
        reached = [step for step, at in self.steps() if at <= now]
        return reached[-1] if reached else None

    def next_after(self, now: datetime) -> tuple[FollowUp, datetime] | None:
        """The next step still to come, and when; None once the hand-over has passed."""
        return next(((step, at) for step, at in self.steps() if at > now), None)


def follow_up_schedule(created_at: datetime) -> FollowUpSchedule:
    """Reminders 2 and 5 days after an exchange was logged, the hand-over after 7."""
    return FollowUpSchedule(
        first_reminder=created_at + FIRST_REMINDER_AFTER,
        second_reminder=created_at + SECOND_REMINDER_AFTER,
        hand_over=created_at + HAND_OVER_AFTER,
    )
