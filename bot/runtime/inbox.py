"""Fetching updates ourselves: each batch is kept in the inbox before Telegram is told it
arrived, so a crash loses none; kept updates are handled again on the next start.

Telegram counts a batch as received once getUpdates is called with a higher offset, which we
do only after the batch is written. Handled updates are removed as soon as they are handled, in
batches: one removal is written at a time, taking every update handled meanwhile, so under load
the batches grow rather than the number of writes. A crash between handling and removal handles
those few again, which is harmless (handling is idempotent). An update counts as processed (for
`wait_processed`) once it is removed, so the tests see an inbox holding nothing handled.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

from telegram import Update
from telegram.error import RetryAfter

from bot.runtime.context import AmserApplication
from bot.runtime.dispatch import Dispatcher
from bot.runtime.flood import Verdict
from bot.runtime.ratelimit import seconds_of
from storage.inbox import InboxEntry, InboxRepository, Sender

logger = logging.getLogger(__name__)

RETRY_FLUSH_SECONDS = 1.0  # after a failed removal
READ_MARGIN_SECONDS = 10.0  # beyond the long poll's own timeout, before giving up on it
FIRST_BACKOFF_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 30.0
STOP_GRACE_SECONDS = 30.0  # for updates being processed when the bot stops


class Inbox:
    """Polls Telegram, keeps what arrives, and hands it to the per-member dispatcher."""

    def __init__(self, app: AmserApplication) -> None:
        self._app = app
        self._repository = InboxRepository(app.services.db)
        self._dispatcher = Dispatcher(app, self._handled)
        self._handled_ids: set[int] = set()
        self._to_flush = asyncio.Event()
        self._offset: int | None = None
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Handle what the last run left in the inbox, then start polling for more."""
        await self._replay()
        self._tasks = [
            asyncio.create_task(self._poll(), name="inbox-poll"),
            asyncio.create_task(self._flush_when_handled(), name="inbox-flush"),
        ]

    async def stop(self) -> None:
        """Stop polling, let updates in hand finish, and remove those handled."""
        poll, flush = self._tasks
        poll.cancel()
        with suppress(asyncio.CancelledError):
            await poll
        await self._dispatcher.stop(STOP_GRACE_SECONDS)
        flush.cancel()
        with suppress(asyncio.CancelledError):
            await flush
        await self._flush()

    async def _replay(self) -> None:
        kept = await self._repository.pending()
        if kept:
            logger.info("handling %d updates kept from before the last stop", len(kept))
            self._offset = kept[-1].update_id + 1  # they are ours already: acknowledge them
        for entry in kept:
            self._dispatch(entry.update_id, _loads(entry.payload))

    async def _poll(self) -> None:
        backoff = FIRST_BACKOFF_SECONDS
        while True:
            try:
                raw = await self._fetch()
                batch = self._readable(raw)
                if batch:
                    await self._repository.store(
                        [entry for entry, _ in batch], self._app.clock.now()
                    )
            except RetryAfter as error:
                seconds = seconds_of(error.retry_after)
                logger.warning("Telegram asked us to wait %.0f s before polling", seconds)
                await asyncio.sleep(seconds)
                continue
            except Exception as error:
                # Network trouble, Telegram's 5xx, timeouts, a busy database: nothing was
                # acknowledged, so polling again from the same offset loses nothing.
                logger.warning(
                    "fetching updates failed (%s); trying again in %.1f s",
                    type(error).__name__,
                    backoff,
                )
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            backoff = FIRST_BACKOFF_SECONDS
            ids = [_update_id(item) for item in raw]
            known = [update_id for update_id in ids if update_id is not None]
            if known:
                self._offset = max(known) + 1
            for entry, update in batch:
                self._dispatch(entry.update_id, update)

    async def _fetch(self) -> list[Any]:
        timeout = self._app.config.poll_timeout
        parameters = {
            "timeout": timeout,
            "allowed_updates": list(Update.ALL_TYPES),
            "offset": self._offset,
        }
        # Bot.get_updates would decode the batch (and log all of it, contents included, if one
        # update can't be decoded); _post is the same call through PTB's requests and error
        # handling (the polling connection, no rate limiter), returning the JSON as it came.
        result = await self._app.bot._post(
            "getUpdates", parameters, read_timeout=timeout + READ_MARGIN_SECONDS
        )
        if not isinstance(result, list):
            raise TypeError("getUpdates did not return a list")
        return result

    def _readable(self, raw: list[Any]) -> list[tuple[InboxEntry, dict[str, Any]]]:
        """The batch as inbox rows; an update without an id can be neither kept nor read."""
        batch = []
        for item in raw:
            update_id = _update_id(item)
            if update_id is None:
                logger.warning("an update without an update_id was skipped")
                continue
            payload = json.dumps(item, ensure_ascii=False, separators=(",", ":"))
            entry = InboxEntry(update_id, _raw_member_key(item), payload, _raw_sender(item))
            batch.append((entry, item))
        return batch

    def _dispatch(self, update_id: int, raw: Any) -> None:
        verdict = self._dispatcher.admit(_raw_member_key(raw) if isinstance(raw, dict) else None)
        if verdict is Verdict.DROP and not (isinstance(raw, dict) and "callback_query" in raw):
            # Skipped unread: reading each of a flood's thousands of updates would itself hold
            # everyone else up. (A press is read, to be answered; so is the flood's first skip.)
            self._handled(update_id)
            return
        try:
            update: Update | None = Update.de_json(raw, self._app.bot)
        except Exception:
            update = None
        if update is None:
            # Never its contents: they are a member's words, names, numbers.
            logger.warning("update %s could not be read, so it was skipped", update_id)
            self._handled(update_id)
            return
        self._dispatcher.submit(update, verdict)

    def _handled(self, update_id: int) -> None:
        self._handled_ids.add(update_id)
        self._to_flush.set()

    async def _flush_when_handled(self) -> None:
        while True:
            await self._to_flush.wait()
            self._to_flush.clear()
            if not await self._flush():
                await asyncio.sleep(RETRY_FLUSH_SECONDS)

    async def _flush(self) -> bool:
        """Remove every update handled so far, in one write; False if that failed."""
        if not self._handled_ids:
            return True
        ids, self._handled_ids = self._handled_ids, set()
        try:
            # Shielded: a stop arriving meanwhile must not lose track of what was removed.
            await asyncio.shield(self._repository.remove(ids))
        except Exception as error:
            logger.warning("could not remove handled updates (%s)", type(error).__name__)
            self._handled_ids |= ids
            self._to_flush.set()
            return False
        for update_id in ids:
            self._app.mark_processed(update_id)
        return True


@asynccontextmanager
async def receiving_updates(app: AmserApplication) -> AsyncIterator[Inbox]:
    """The inbox running for the duration: polling, dispatching, removing what is handled."""
    inbox = Inbox(app)
    await inbox.start()
    try:
        yield inbox
    finally:
        await inbox.stop()


def _update_id(item: Any) -> int | None:
    update_id = item.get("update_id") if isinstance(item, dict) else None
    return update_id if isinstance(update_id, int) and not isinstance(update_id, bool) else None


def _raw_member_key(item: dict[str, Any]) -> int | None:
    """Whose update this is, read from the raw update: its sender, else its chat."""
    for kind, body in item.items():
        if kind == "update_id" or not isinstance(body, dict):
            continue
        for holder, field in (("from", "id"), ("user", "id"), ("chat", "id")):
            found = body.get(holder)
            value = found.get(field) if isinstance(found, dict) else None
            if isinstance(value, int) and not isinstance(value, bool):
                return value
    return None


def _raw_sender(item: dict[str, Any]) -> Sender | None:
    """The person who sent the update, with their @username, read from the raw update."""
    for kind, body in item.items():
        if kind == "update_id" or not isinstance(body, dict):
            continue
        for holder in ("from", "user"):
            person = body.get(holder)
            if not isinstance(person, dict) or person.get("is_bot"):
                continue
            telegram_id, username = person.get("id"), person.get("username")
            if isinstance(telegram_id, int) and not isinstance(telegram_id, bool):
                return Sender(telegram_id, username if isinstance(username, str) else None)
    return None


def _loads(payload: str) -> Any:
    try:
        return json.loads(payload)
    except ValueError:
        return None
