"""The rules of time credits, without Telegram or storage: amounts, the floor, follow-ups.

One hour of help is one credit whatever the skill. Amounts are whole minutes everywhere;
members choose them in quarter-hours. The words around a figure ("hours", "awr") come from
the translation layer, not from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from bot.domain.durations import GLYPH_MINUTES

QUARTER_HOUR = 15
MINUTES_PER_HOUR = 60

# Unconfirmed exchanges: reminders to the member who should confirm, then the coordinators.
FIRST_REMINDER_AFTER = timedelta(days=2)
SECOND_REMINDER_AFTER = timedelta(days=5)
HAND_OVER_AFTER = timedelta(days=7)


# How far back a member may log an exchange themselves; older ones go through a coordinator.
MAX_DAYS_AGO = 366


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


# Reading what members type is in bot.domain.durations (and days in bot.domain.days).
# 90 minutes is written "1½": the whole hours, then a fraction of an hour as one character.
_FRACTION_OF = {0: "", **{minutes: glyph for glyph, minutes in GLYPH_MINUTES.items()}}


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
