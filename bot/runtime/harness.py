"""Running the real application against the Bot API emulator, for the demo and the tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

from bot.config import Config
from bot.emulator import BotApiEmulator
from bot.runtime.app import build_application
from bot.runtime.clock import Clock
from bot.runtime.context import AmserApplication
from bot.runtime.inbox import receiving_updates

SETTLE_TIMEOUT = 10.0


def emulator_config(config: Config, emulator: BotApiEmulator) -> Config:
    """The config pointed at the emulator, with short long-polls so stopping is quick."""
    return replace(
        config,
        token=emulator.token,
        api_base_url=emulator.base_url.removesuffix("/bot"),
        poll_timeout=1,
    )


@asynccontextmanager
async def running_bot(
    config: Config,
    emulator: BotApiEmulator,
    clock: Clock | None = None,
    *,
    automatic_due_work: bool = False,
) -> AsyncIterator[AmserApplication]:
    """The application long-polling the emulator; member actions return once handled.

    Unless asked, the repeating jobs (due work, broadcasts' progress) are removed: tests and the
    demo move the clock and call `run_due_work()` (or the job's function) when they mean to, so
    no job can do the work behind their back.
    """
    app = build_application(emulator_config(config, emulator), clock)
    emulator.keep_time_with(app.clock.monotonic)  # the bot's sending budget keeps this time
    # Telegram's dates too: an until_date the bot reckons from its clock ends when it says.
    emulator.keep_dates_with(lambda: app.clock.now().timestamp())
    app.track_processing()

    async def settle(update_id: int) -> None:
        await asyncio.wait_for(app.wait_processed(update_id), SETTLE_TIMEOUT)
        await asyncio.wait_for(app.settle(), SETTLE_TIMEOUT)

    emulator.settle = settle
    async with app:
        await app.start()
        if not automatic_due_work:
            if app.job_queue is None:
                raise RuntimeError("the application has no job queue")
            for job in app.job_queue.jobs():
                job.schedule_removal()
        try:
            async with receiving_updates(app):
                try:
                    yield app
                finally:
                    emulator.settle = None
        finally:
            await app.stop()
