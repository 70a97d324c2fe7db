"""Keeping within Telegram's sending limits, and waiting out a 429 when one comes anyway."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

logger = logging.getLogger(__name__)

SENDING_METHODS = frozenset(
    {"sendMessage", "sendDocument", "sendPhoto", "copyMessage", "forwardMessage"}
)
GROUP_PER_MINUTE = 20


class SlidingWindow:
    """At most `limit` events in any `period` seconds; `acquire` waits for room."""

    def __init__(self, limit: int, period: float) -> None:
        self._limit = limit
        self._period = period
        self._events: deque[float] = deque()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = time.monotonic()
                while self._events and now - self._events[0] >= self._period:
                    self._events.popleft()
                if len(self._events) < self._limit:
                    self._events.append(now)
                    return
                await asyncio.sleep(self._period - (now - self._events[0]))


class TelegramRateLimiter(BaseRateLimiter[None]):
    """Spreads sends under the overall and per-group limits; retries after a 429 as told.

    Private chats are not throttled ahead of time (Telegram allows short bursts there);
    a 429 for one is waited out and the request sent again.
    """

    def __init__(self, per_second: int = 30, max_retries: int = 5) -> None:
        self._overall = SlidingWindow(per_second, 1.0)
        self._groups: dict[int, SlidingWindow] = {}
        self._max_retries = max_retries

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        for attempt in range(self._max_retries + 1):
            if endpoint in SENDING_METHODS:
                await self._make_room(data.get("chat_id"))
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == self._max_retries:
                    raise
                delay = exc.retry_after
                seconds = delay.total_seconds() if isinstance(delay, timedelta) else float(delay)
                logger.warning("Telegram asked us to wait %.0f s before %s", seconds, endpoint)
                await asyncio.sleep(seconds)
        raise AssertionError("unreachable")

    async def _make_room(self, chat_id: object) -> None:
        if isinstance(chat_id, int) and chat_id < 0:
            window = self._groups.setdefault(chat_id, SlidingWindow(GROUP_PER_MINUTE, 60.0))
            await window.acquire()
        await self._overall.acquire()
