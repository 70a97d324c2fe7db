"""Telegram's flood limits for sending methods, on an injectable monotonic clock."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

SENDING_METHODS = frozenset(
    {"sendMessage", "sendDocument", "sendPhoto", "copyMessage", "forwardMessage"}
)

_EPSILON = 1e-9  # float slack so that exactly-refilled budgets count as available


@dataclass(frozen=True)
class Limits:
    global_per_second: int = 30  # sending methods across all chats, sliding 1 s window
    private_chat_burst: int = 10  # token bucket per private chat ...
    private_chat_per_second: float = 1.0  # ... refilled at this rate
    group_per_minute: int = 20  # per group chat (negative id), sliding 60 s window


DEFAULT_LIMITS = Limits()


class _SlidingWindow:
    """At most `capacity` events in any `window` seconds."""

    def __init__(self, capacity: int, window: float) -> None:
        self.capacity = capacity
        self.window = window
        self.times: deque[float] = deque()

    def wait_needed(self, now: float) -> float:
        while self.times and self.times[0] <= now - self.window:
            self.times.popleft()
        if len(self.times) < self.capacity:
            return 0.0
        return self.times[len(self.times) - self.capacity] + self.window - now

    def consume(self, now: float) -> None:
        self.times.append(now)


class _TokenBucket:
    def __init__(self, capacity: int, rate: float, now: float) -> None:
        self.capacity = capacity
        self.rate = rate
        self.tokens = float(capacity)
        self.updated = now

    def wait_needed(self, now: float) -> float:
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens + _EPSILON >= 1:
            return 0.0
        return (1 - self.tokens) / self.rate

    def consume(self, now: float) -> None:
        self.tokens = max(0.0, self.tokens - 1)


class RateLimiter:
    """Decides whether a sending method may go out now; rejected attempts cost nothing."""

    def __init__(self, limits: Limits, clock: Callable[[], float]) -> None:
        self.limits = limits
        self.clock = clock
        self._global = _SlidingWindow(limits.global_per_second, 1.0)
        self._private: dict[int, _TokenBucket] = {}
        self._groups: dict[int, _SlidingWindow] = {}

    def acquire(self, chat_id: int) -> int | None:
        """Consume budget and return None, or return retry_after seconds (>= 1)."""
        now = self.clock()
        chat_limit: _SlidingWindow | _TokenBucket
        if chat_id < 0:
            chat_limit = self._groups.setdefault(
                chat_id, _SlidingWindow(self.limits.group_per_minute, 60.0)
            )
        else:
            chat_limit = self._private.setdefault(
                chat_id,
                _TokenBucket(
                    self.limits.private_chat_burst, self.limits.private_chat_per_second, now
                ),
            )
        wait = max(self._global.wait_needed(now), chat_limit.wait_needed(now))
        if wait > _EPSILON:
            return max(1, math.ceil(wait - _EPSILON))
        self._global.consume(now)
        chat_limit.consume(now)
        return None
