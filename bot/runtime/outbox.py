"""The one sender: takes what is due from the outbox and sends it within the budget.

Each message is marked sent only after Telegram has taken it, one at a time, so a crash loses
nothing and sends at most the one in flight twice. Network errors, timeouts and 5xx are tried
again with back-off; in the end a message is kept as failed where coordinators see it
(/deliveries). A 403 marks the member unreachable and lets the feature say what happens instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

from bot.runtime.ratelimit import seconds_of
from storage.groups import BotStanding, GroupLanguage, Standing
from storage.outbox import Notice, OutboxItem

if TYPE_CHECKING:
    from bot.runtime.context import AmserApplication

logger = logging.getLogger(__name__)

Send = Callable[["AmserApplication", OutboxItem], Awaitable[None]]
Unreachable = Callable[["AmserApplication", OutboxItem], Awaitable[Iterable[Notice]]]

BATCH = 25  # about a second's sending: a newly queued urgent message waits at most that
IDLE_POLL = 1.0  # seconds between looks when nothing woke the sender
WRITE_COALESCE = 0.05  # seconds: the most often a busy database makes the sender look
FIRST_RETRY = timedelta(seconds=5)
LAST_RETRY = timedelta(hours=1)


NOT_NOW_WAIT = timedelta(seconds=1)
LONG_WAIT = 5.0  # seconds a chat's limit may hold a message before it is put by in the database


class NotNow(Exception):
    """Raised while preparing a message that must wait, not fail: e.g. its broadcast was
    paused after the sender took the batch. The message stays as it is (no attempt counted)
    and is looked at again a second later, by when a hold keeps it back if it is held."""


@dataclass(frozen=True)
class Courier:
    send: Send  # makes the one Telegram call; raises what Telegram said
    unreachable: Unreachable | None = None  # what to queue instead when the member is gone


class OutboxSender:
    def __init__(self, max_attempts: int = 10) -> None:
        self._couriers: dict[str, Courier] = {}
        self._max_attempts = max_attempts
        self._task: asyncio.Task[None] | None = None
        self._busy = False
        self._progress = asyncio.Event()
        self._poked = asyncio.Event()

    def register(self, purpose: str, send: Send, *, unreachable: Unreachable | None = None) -> None:
        if purpose in self._couriers:
            raise ValueError(f"outbox purpose {purpose!r} is registered twice")
        self._couriers[purpose] = Courier(send, unreachable)

    def start(self, app: AmserApplication) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(app), name="outbox-sender")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def drain(self, app: AmserApplication) -> None:
        """Return once nothing in the outbox is due now (for the tests and the demo)."""
        repository = app.services.outbox
        while True:
            progress = self._progress
            if not self._busy and not await repository.next_batch(app.services.clock.now(), 1):
                return
            if self._task is None or self._task.done():
                raise RuntimeError("the outbox sender is not running")
            self._poked.set()  # the clock may have moved: look again now
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(progress.wait(), IDLE_POLL)

    async def _run(self, app: AmserApplication) -> None:
        db = app.services.db
        while True:
            written = asyncio.ensure_future(db.next_write())
            try:
                wait = await self._pass(app)
            except Exception:
                logger.exception("the outbox sender failed; trying again shortly")
                wait = IDLE_POLL
            finally:
                self._busy = False
                self._tell_progress()
            if wait > 0:
                await self._sleep(wait, written)
                if written.done() and not self._poked.is_set():
                    # Every write wakes the sender, most of them not the outbox's: so look at
                    # most every so often, however busy the database is.
                    await self._sleep(WRITE_COALESCE)
            self._poked.clear()
            written.cancel()

    async def _sleep(self, seconds: float, *until: asyncio.Future[None]) -> None:
        """Wait `seconds`, or less if poked (or one of `until` completes)."""
        poked = asyncio.ensure_future(self._poked.wait())
        await asyncio.wait((poked, *until), timeout=seconds, return_when="FIRST_COMPLETED")
        poked.cancel()

    async def _pass(self, app: AmserApplication) -> float:
        """Send what is due and ready; how long to wait before looking again (0: at once)."""
        services = app.services
        batch = await services.outbox.next_batch(services.clock.now(), BATCH)
        if not batch:
            return IDLE_POLL
        self._busy = True
        soonest: float | None = None
        handled = 0
        for item in batch:
            wait = (
                0.0 if item.chat_id is None else app.budget.chat_wait(item.chat_id, item.priority)
            )
            if item.gone:
                await services.outbox.sent(item)  # nobody to send to
            elif item.unreachable:
                await self._unreachable(app, item, "the member can't be reached")
            elif item.chat_id is None:
                await services.outbox.fail(item, "no chat to send to")
            elif wait > LONG_WAIT:  # a group's minute, a 429's pause: put it by until then
                await services.outbox.postpone(item, services.clock.now() + timedelta(seconds=wait))
                continue
            elif wait > 0:  # this chat has had enough for now; the rest need not wait for it
                soonest = wait if soonest is None else min(soonest, wait)
                continue
            else:
                await self._deliver(app, item)
            handled += 1
            self._tell_progress()
        if handled:
            return 0.0
        return soonest if soonest is not None else IDLE_POLL

    async def _deliver(self, app: AmserApplication, item: OutboxItem) -> None:
        services = app.services
        courier = self._couriers.get(item.purpose)
        try:
            if courier is None:
                raise LookupError(f"no courier for outbox purpose {item.purpose!r}")
            await courier.send(app, item)
        except NotNow:
            await services.outbox.postpone(item, services.clock.now() + NOT_NOW_WAIT)
        except ChatMigrated as exc:  # the group became a supergroup: follow it there, at once
            await services.groups.migrated(
                item.chat_id or 0,
                exc.new_chat_id,
                services.clock.now(),
                GroupLanguage(services.config.group_language),
            )
        except Forbidden as exc:
            if item.member_id is None and item.chat_id is not None and item.chat_id < 0:
                await self._removed(app, item.chat_id)  # out of the group: give up all there
            else:
                await self._unreachable(app, item, exc.message)
        except RetryAfter as exc:
            later = services.clock.now() + timedelta(seconds=seconds_of(exc.retry_after))
            await services.outbox.retry(item, later, "429: too many requests")
        except BadRequest as exc:  # it will never go as it is: keep it for a coordinator
            logger.warning("outbox %s (%s) refused: %s", item.id, item.purpose, exc.message)
            await services.outbox.fail(item, f"refused: {exc.message}")
        except NetworkError as exc:  # 5xx, timeouts, dropped connections: try again later
            await self._try_again(app, item, f"{type(exc).__name__}: {exc.message}")
        except Exception as exc:
            logger.exception("outbox %s (%s) could not be prepared", item.id, item.purpose)
            services.errors.append(exc)
            await self._try_again(app, item, f"{type(exc).__name__}")
        else:
            await services.outbox.sent(item)

    async def _try_again(self, app: AmserApplication, item: OutboxItem, error: str) -> None:
        services = app.services
        if item.attempts + 1 >= self._max_attempts:
            logger.warning("outbox %s (%s) failed for the last time", item.id, item.purpose)
            await services.outbox.fail(item, error)
            return
        delay = min(FIRST_RETRY * 2**item.attempts, LAST_RETRY)
        await services.outbox.retry(item, services.clock.now() + delay, error)

    async def _unreachable(self, app: AmserApplication, item: OutboxItem, error: str) -> None:
        courier = self._couriers.get(item.purpose)
        instead: list[Notice] = []
        if courier is not None and courier.unreachable is not None and item.member_id is not None:
            instead = list(await courier.unreachable(app, item))
        logger.info("outbox %s (%s): member %s unreachable", item.id, item.purpose, item.member_id)
        await app.services.outbox.unreachable(
            item, instead, now=app.services.clock.now(), error=error
        )

    async def _removed(self, app: AmserApplication, chat_id: int) -> None:
        services = app.services
        known = await services.groups.get(chat_id)
        standing = Standing(chat_id, known.title if known else "", BotStanding.LEFT)
        language = GroupLanguage(services.config.group_language)
        await services.groups.seen(standing, services.clock.now(), language)

    def _tell_progress(self) -> None:
        self._progress.set()
        self._progress = asyncio.Event()
