"""Each member's updates in order, apart from everyone else's; a shared slot only while working.

A member's updates wait in their own queue, worked through by one task of theirs, which takes
one of the shared slots only while it processes an update. So a member with a long queue holds
at most one slot, and everyone else's updates go on being handled meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update

from bot.runtime.context import AmserApplication
from bot.runtime.flood import FloodGate, Verdict, drop

logger = logging.getLogger(__name__)

SLOTS = 64  # updates processed at once, across all members
DROP_SLOTS = 8  # skipped updates being answered at once (a press must still stop spinning)


def member_key(update: Update) -> int | None:
    """Whose queue an update joins: its sender, else its chat; None for neither."""
    if update.effective_user is not None:
        return update.effective_user.id
    return update.effective_chat.id if update.effective_chat is not None else None


class Dispatcher:
    """Processes updates with `application.process_update`, per member, in order."""

    def __init__(
        self,
        app: AmserApplication,
        on_done: Callable[[int], None],
        *,
        slots: int = SLOTS,
    ) -> None:
        self._app = app
        self._on_done = on_done
        self._slots = asyncio.Semaphore(slots)
        self._drop_slots = asyncio.Semaphore(DROP_SLOTS)
        self._gate = FloodGate(app.config.member_burst, app.config.member_per_second)
        self._queues: dict[int, deque[Update]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._stopping = False

    def admit(self, key: int | None) -> Verdict:
        """Whether the member's next update is handled or, in a flood, skipped."""
        return Verdict.ADMIT if key is None else self._gate.admit(key)

    def submit(self, update: Update, verdict: Verdict) -> None:
        """Queue an update behind its member's earlier ones (or skip it, as `admit` said)."""
        if self._stopping:
            return  # it stays in the inbox, for the next start
        key = member_key(update)
        if key is None:
            self._spawn(self._process(update))
            return
        if verdict is not Verdict.ADMIT:
            self._spawn(self._drop(update, tell=verdict is Verdict.DROP_AND_TELL))
            return
        queue = self._queues.get(key)
        if queue is None:
            queue = self._queues[key] = deque()
            self._spawn(self._work(key, queue))
        queue.append(update)

    async def stop(self, grace: float) -> None:
        """Take no more work; let updates being processed finish (for up to `grace` seconds).
        Queued ones are left in the inbox, to be handled on the next start."""
        self._stopping = True
        if self._tasks:
            _, late = await asyncio.wait(set(self._tasks), timeout=grace)
            for task in late:
                task.cancel()
            if late:
                await asyncio.wait(late)

    async def _work(self, key: int, queue: deque[Update]) -> None:
        try:
            while queue and not self._stopping:
                await self._process(queue.popleft())
        finally:
            del self._queues[key]

    async def _process(self, update: Update) -> None:
        async with self._slots:
            try:
                await self._app.process_update(update)
            except Exception:
                # Handlers' own errors reach the error handler inside process_update; this is
                # anything else, so the update is not tried again for ever.
                logger.exception("update %s could not be processed", update.update_id)
        self._on_done(update.update_id)

    async def _drop(self, update: Update, *, tell: bool) -> None:
        async with self._drop_slots:
            try:
                await drop(self._app, update, tell=tell)
            except Exception as error:  # a blocked bot, a network failure: it was skipped anyway
                logger.info(
                    "could not answer skipped update %s (%s)",
                    update.update_id,
                    type(error).__name__,
                )
        self._on_done(update.update_id)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
