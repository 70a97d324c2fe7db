"""The repeating job that asks the database what is due and does it.

A handler does its work and returns what follows from it (messages for the outbox, more work
for later); the item is completed in the same transaction as those, so a crash either leaves
the item to run again or has done both."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import timedelta
from typing import TYPE_CHECKING

from storage.due_work import DueItem
from storage.effects import Effect, complete_due_in

if TYPE_CHECKING:
    from bot.runtime.context import AmserApplication

logger = logging.getLogger(__name__)

DueHandler = Callable[["AmserApplication", DueItem], Awaitable[Iterable[Effect] | None]]
BATCH = 100
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
        """Do everything due now, in batches, however much it is; returns how many were done."""
        services = app.services
        done = 0
        tried: set[tuple[int, object]] = set()
        async with self._lock:
            while True:
                batch = [
                    item
                    for item in await services.due_work.due(services.clock.now(), BATCH)
                    if (item.id, item.due_at) not in tried
                ]
                if not batch:
                    return done
                for item in batch:
                    tried.add((item.id, item.due_at))
                    done += await self._run_one(app, item)

    async def _run_one(self, app: AmserApplication, item: DueItem) -> int:
        services = app.services
        handler = self._handlers.get(item.kind)
        try:
            if handler is None:
                raise LookupError(f"no handler for due work kind {item.kind!r}")
            effects = list(await handler(app, item) or ())
        except Exception as exc:
            if item.attempts + 1 < MAX_ATTEMPTS:
                logger.warning("due work %s failed, will retry: %s", item.key, exc)
                await services.due_work.retry_at(
                    item, services.clock.now() + RETRY_DELAY, type(exc).__name__
                )
                return 0
            logger.exception("due work %s failed for the last time", item.key)
            effects = []
        now = services.clock.now()
        await services.db.write(lambda tx: complete_due_in(tx, item, effects, now))
        return 1
