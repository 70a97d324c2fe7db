"""Wall-clock time for the application, replaceable in tests and the demo."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware in UTC."""
        ...

    def monotonic(self) -> float:
        """Seconds for measuring waits (sending limits), moved on with `now`."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()


class FakeClock:
    """A clock that only moves when told to, for simulated days in tests and the demo."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
        self._skipped = 0.0

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        """Real seconds go by as ever (sends are paced in them), plus every jump of `advance`."""
        return time.monotonic() + self._skipped

    def advance(self, delta: timedelta) -> None:
        self._now += delta
        self._skipped += max(0.0, delta.total_seconds())
