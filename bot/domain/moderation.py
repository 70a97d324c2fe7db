"""The rules of warnings and suspensions: which warnings still count at a moment, when the warn
limit is reached, until when a sanction lasts, and how a duration and a reason are read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from bot.domain.durations import parse_minutes
from bot.domain.targets import reason_of

DURATION_WORDS_MAX = 5  # "an hour and a half": the most words a duration is read from
LENGTH_MAX_MINUTES = 366 * 24 * 60  # a suspension longer than a year is a ban, or a slip


@dataclass(frozen=True)
class WarningTimes:
    """When a warning was given, when it stops counting, and when (if) it was taken back."""

    given_at: datetime
    expires_at: datetime
    lifted_at: datetime | None = None

    def live_at(self, now: datetime) -> bool:
        return self.lifted_at is None and self.given_at <= now < self.expires_at


def expires(given_at: datetime, expiry_days: int, zone: tzinfo = UTC) -> datetime:
    """When a warning given now stops counting: the same time of day, `expiry_days` later, on
    the community's clock (a warning given at 10:00 in October ends at 10:00 in January, not
    at 09:00 because the clocks went back)."""
    local = given_at.astimezone(zone)
    # Adding days to an aware time keeps its wall time; the offset is worked out anew.
    return (local + timedelta(days=expiry_days)).astimezone(UTC)


def live(warnings: Iterable[WarningTimes], now: datetime) -> int:
    """How many warnings count at this moment (not expired, not taken back)."""
    return sum(warning.live_at(now) for warning in warnings)


def reaches_limit(live_count: int, limit: int) -> bool:
    """Whether this many live warnings means the member is suspended."""
    return limit > 0 and live_count >= limit


def until(now: datetime, minutes: int | None) -> datetime | None:
    """When a sanction of this length, starting now, ends; None: until it is lifted."""
    return now + timedelta(minutes=minutes) if minutes is not None else None


def length_of(words: str) -> int | None:
    """A suspension's length in minutes, if the words are one (more than nothing, at most a
    year); else None."""
    minutes = parse_minutes(words)
    return minutes if minutes is not None and 0 < minutes <= LENGTH_MAX_MINUTES else None


@dataclass(frozen=True)
class LengthAndReason:
    """`/suspend <member> 3d being rude`: the length (None: until lifted), the reason, and
    whether a length was typed that could not be read (then nothing is done)."""

    minutes: int | None
    reason: str | None
    unreadable: str | None = None  # the words that looked like a length but weren't


def length_and_reason(rest: str) -> LengthAndReason:
    """The longest start of the words that is a length of time, and the reason after it."""
    words = rest.split()
    for count in range(min(DURATION_WORDS_MAX, len(words)), 0, -1):
        minutes = length_of(" ".join(words[:count]))
        if minutes is not None:
            return LengthAndReason(minutes, reason_of(" ".join(words[count:])))
    if words and words[0][0].isdigit():
        return LengthAndReason(None, None, unreadable=words[0])
    return LengthAndReason(None, reason_of(rest))
