"""A wake-everyone notification that waiters can await with a predicate."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class Signal:
    """Each notify() wakes every current waiter; waiters re-check their predicate.

    A fresh Event per generation means notify() is synchronous and no wake-up can be lost
    between a waiter's check and its wait (asyncio is single-threaded).
    """

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        event, self._event = self._event, asyncio.Event()
        event.set()

    async def wait_for(self, predicate: Callable[[], T], seconds: float | None) -> T:
        """Return the first truthy predicate() result; TimeoutError after `seconds`."""
        async with asyncio.timeout(seconds):
            while True:
                event = self._event
                result = predicate()
                if result:
                    return result
                await event.wait()
