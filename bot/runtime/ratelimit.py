"""One sending budget for the whole bot: smooth, replies first, within each chat's limits.

Every send passes through `SendingBudget` (PTB's rate limiter hook) with a priority, given as
`rate_limit_args`: none means a direct reply to a member (it goes first), the outbox passes
`Priority.PERSONAL` or `Priority.BULK`. No more than the budget goes out in any one second, and
sends are spaced out rather than bunched. The most urgent waiter always goes next; background
sends also leave a little of each second free (and keep to the even pace), so that a member's
reply arriving in a busy moment finds room at once instead of queueing behind them.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from storage.outbox import Priority

logger = logging.getLogger(__name__)

SENDING_METHODS = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "sendContact",
        "sendMediaGroup",
        "copyMessage",
        "forwardMessage",
    }
)
GROUP_PER_MINUTE = 20
# Of each second's budget, what background sends leave for replies arriving meanwhile.
REPLY_HEADROOM = 1
# Tokens a background send leaves in a private chat's bucket, so the member's own replies
# never wait behind notices to them.
BACKGROUND_RESERVE = 2


def background_per_second(per_second: float) -> int:
    """The most background sends go in a second: the budget, one short for bunching on the
    way, less the headroom left for replies."""
    return max(1, int(per_second) - 1 - REPLY_HEADROOM)


def seconds_of(delay: timedelta | float) -> float:
    return delay.total_seconds() if isinstance(delay, timedelta) else float(delay)


class ChatAllowance:
    """Telegram's limit for one chat: a token bucket (private chats) or a sliding window
    (groups), plus a pause after a 429 for that chat."""

    def __init__(
        self, capacity: int, per_second: float, now: float, *, window: float | None = None
    ) -> None:
        self._capacity = capacity
        self._rate = per_second
        self._window = window
        self._tokens = float(capacity)
        self._updated = now
        self._sent: deque[float] = deque()
        self._paused_until = 0.0

    def wait(self, now: float, reserve: int = 0) -> float:
        """Seconds until a send leaving `reserve` tokens is allowed (0: now)."""
        pause = max(0.0, self._paused_until - now)
        if self._window is not None:
            while self._sent and now - self._sent[0] >= self._window:
                self._sent.popleft()
            room = self._capacity - reserve - len(self._sent)
            if room > 0:
                return pause
            index = len(self._sent) - (self._capacity - reserve)
            return max(pause, self._sent[max(0, index)] + self._window - now)
        self._tokens = min(self._capacity, self._tokens + (now - self._updated) * self._rate)
        self._updated = now
        needed = 1 + reserve - self._tokens
        return max(pause, needed / self._rate if needed > 1e-9 else 0.0)

    def spend(self, now: float) -> None:
        if self._window is not None:
            self._sent.append(now)
        else:
            self._tokens -= 1

    def pause(self, now: float, seconds: float) -> None:
        self._paused_until = max(self._paused_until, now + seconds)
        self._tokens = 0.0

    def idle(self, now: float) -> bool:
        return self.wait(now) == 0.0 and now >= self._paused_until and self._full(now)

    def _full(self, now: float) -> bool:
        if self._window is not None:
            return not self._sent
        return self._tokens >= self._capacity


class SendingBudget(BaseRateLimiter[int]):
    def __init__(
        self,
        per_second: float = 25,
        *,
        chat_burst: int = 10,
        chat_per_second: float = 1.0,
        max_retries: int = 5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._per_second = int(per_second)
        # Background sends go evenly at their own most a second, so that no second at
        # Telegram's end finds them bunched.
        self._interval = 1.0 / background_per_second(per_second)
        self._sent: deque[float] = deque()  # every send in the last second
        self._last_send = -1.0
        self._chat_burst = chat_burst
        self._chat_rate = chat_per_second
        self._max_retries = max_retries
        self._clock = clock
        self._chats: dict[int, ChatAllowance] = {}
        self._waiting: list[tuple[int, int]] = []
        self._tickets = itertools.count()
        self._changed = asyncio.Event()

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    def chat_wait(self, chat_id: int, priority: Priority) -> float:
        """Seconds before a send of this priority may go to this chat (the outbox skips it
        meanwhile rather than hold up everyone else)."""
        return self._chat(chat_id).wait(self._clock(), _reserve(chat_id, priority))

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        priority = Priority(rate_limit_args or Priority.REPLY)
        chat_id = data.get("chat_id")
        for attempt in range(self._max_retries + 1):
            if endpoint in SENDING_METHODS and isinstance(chat_id, int):
                await self._make_room(chat_id, priority)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = seconds_of(exc.retry_after)
                logger.warning("Telegram asked us to wait %.0f s before %s", seconds, endpoint)
                if isinstance(chat_id, int):
                    self._chat(chat_id).pause(self._clock(), seconds)
                # Only a member's reply is retried here; the outbox reschedules its own, so
                # that one chat's pause holds up nobody else.
                if priority is not Priority.REPLY or attempt == self._max_retries:
                    raise
                if not isinstance(chat_id, int):
                    await asyncio.sleep(seconds)
        raise RuntimeError("unreachable: the last attempt returns or raises")

    async def _make_room(self, chat_id: int, priority: Priority) -> None:
        allowance = self._chat(chat_id)
        reserve = _reserve(chat_id, priority)
        # Waiting for time to refill the chat's allowance, not for an event.
        while (wait := allowance.wait(self._clock(), reserve)) > 0:  # noqa: ASYNC110
            await asyncio.sleep(wait)
        allowance.spend(self._clock())
        await self._take_slot(priority)

    async def _take_slot(self, priority: Priority) -> None:
        """Wait until this send may go; the most urgent waiter takes each free moment."""
        ticket = (int(priority), next(self._tickets))
        heapq.heappush(self._waiting, ticket)
        try:
            while True:
                changed = self._changed
                timeout: float | None = None
                if self._waiting[0] == ticket:
                    now = self._clock()
                    timeout = self._wait_before(priority, now)
                    if timeout <= 0:
                        heapq.heappop(self._waiting)
                        self._sent.append(now)
                        self._last_send = now
                        return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(changed.wait(), timeout)
        finally:
            if ticket in self._waiting:  # cancelled while waiting
                self._waiting.remove(ticket)
                heapq.heapify(self._waiting)
            self._changed.set()
            self._changed = asyncio.Event()

    def _wait_before(self, priority: Priority, now: float) -> float:
        """Seconds before a send of this priority keeps within the budget (0 or less: now).

        A reply may go as soon as the last second has room; a background send also keeps to
        the even pace and leaves some room."""
        while self._sent and now - self._sent[0] >= 1.0:
            self._sent.popleft()
        reply = priority is Priority.REPLY
        # One short of the budget: sends spaced here can arrive a little bunched at Telegram.
        limit = max(1, self._per_second - 1) if reply else background_per_second(self._per_second)
        # Replies come as members act, already spread out; only background sends need pacing.
        wait = -1.0 if reply else self._last_send + self._interval - now
        if len(self._sent) >= limit:
            wait = max(wait, self._sent[len(self._sent) - limit] + 1.0 - now)
        return wait

    def _chat(self, chat_id: int) -> ChatAllowance:
        allowance = self._chats.get(chat_id)
        if allowance is None:
            now = self._clock()
            if len(self._chats) > 10_000:  # forget chats whose allowance is whole again
                self._chats = {k: v for k, v in self._chats.items() if not v.idle(now)}
            if chat_id < 0:
                allowance = ChatAllowance(GROUP_PER_MINUTE, 0.0, now, window=60.0)
            else:  # one short of Telegram's burst, for bunching on the way
                allowance = ChatAllowance(max(1, self._chat_burst - 1), self._chat_rate, now)
            self._chats[chat_id] = allowance
        return allowance


def _reserve(chat_id: int, priority: Priority) -> int:
    return BACKGROUND_RESERVE if chat_id > 0 and priority is not Priority.REPLY else 0
