"""A ready-made `settle` hook for a polling python-telegram-bot Application."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from bot.emulator.emulator import BotApiEmulator


def settle_after_processing(
    emulator: BotApiEmulator,
    update_queue: asyncio.Queue[Any],
    timeout: float = 10.0,
) -> Callable[[int], Awaitable[None]]:
    """Hook that returns once the application has fetched and processed the update.

    PTB's Updater puts fetched updates on `application.update_queue` before polling again,
    so once the emulator sees the confirming getUpdates, `update_queue.join()` covers the
    update. Handlers registered with block=False may still be running afterwards.

    Usage: `emulator.settle = settle_after_processing(emulator, application.update_queue)`.
    """

    async def settle(update_id: int) -> None:
        await emulator.wait_until_fetched(update_id, timeout)
        async with asyncio.timeout(timeout):
            await update_queue.join()

    return settle
