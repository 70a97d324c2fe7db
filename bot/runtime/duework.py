"""The repeating job that asks the database what is due and does it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from telegram.error import Forbidden

from storage.due_work import DueItem

if TYPE_CHECKING:
    from bot.runtime.context import AmserApplication

logger = logging.getLogger(__name__)

DueHandler = Callable[["AmserApplication", DueItem], Awaitable[None]]
MAX_ATTEMPTS = 5
RETRY_DELAY = timedelta(minutes=10)


class DueWorkRunner:
    """Runs each due item with the handler registered for its kind; failures are retried."""

    def __init__(self) -> None:
        self._handlers: dict[str, DueHandler] = {}
        self._lock = asyncio.Lock()

    def register(self, kind: str, handler: DueHandler) -> None:
        if kind in self._handlers:
            raise ValueError(f"due work kind {kind!r} is registered twice")
        self._handlers[kind] = handler

    async def run_due(self, app: AmserApplication) -> int:
        """Do everything due now; returns how many items were done."""
        services = app.services
        done = 0
        async with self._lock:
            for item in await services.due_work.due(services.clock.now()):
                handler = self._handlers.get(item.kind)
                try:
                    if handler is None:
                        raise LookupError(f"no handler for due work kind {item.kind!r}")
                    await handler(app, item)
                except Forbidden:
                    logger.info("due work %s: the member has blocked the bot", item.key)
                except Exception as exc:
                    if item.attempts + 1 >= MAX_ATTEMPTS:
                        logger.exception("due work %s failed for the last time", item.key)
                    else:
                        logger.warning("due work %s failed, will retry: %s", item.key, exc)
                        await services.due_work.retry_at(
                            item, services.clock.now() + RETRY_DELAY, repr(exc)
                        )
                        continue
                await services.due_work.complete(item)
                done += 1
        return done
