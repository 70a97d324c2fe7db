"""Fixtures: a running emulator, a PTB Bot pointed at it, and a long-polling Application."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.ext import Application, ApplicationBuilder, BaseHandler

from bot.emulator import BotApiEmulator, Limits, settle_after_processing
from tests.emulator.helpers import FakeClock, StartApp


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def limits() -> Limits:
    return Limits()


@pytest.fixture
async def emu(clock: FakeClock, limits: Limits) -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(clock=clock, limits=limits) as emulator:
        yield emulator


@pytest.fixture
def dates(emu: BotApiEmulator) -> FakeClock:
    """Telegram's `date` (Unix seconds) as the test sets it, for until_date to pass."""
    clock = FakeClock(start=1_800_000_000.0)
    emu.keep_dates_with(clock)
    return clock


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url) as client:
        yield client


@pytest.fixture
async def start_app(emu: BotApiEmulator) -> AsyncIterator[StartApp]:
    """Start a real PTB Application that long-polls the emulator, with the settle hook set."""
    apps: list[Application] = []

    async def start(*handlers: BaseHandler) -> Application:
        app = (
            ApplicationBuilder()
            .token(emu.token)
            .base_url(emu.base_url)
            .base_file_url(emu.base_file_url)
            .build()
        )
        for handler in handlers:
            app.add_handler(handler)
        await app.initialize()
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=30)
        apps.append(app)
        emu.settle = settle_after_processing(emu, app.update_queue)
        return app

    yield start
    for app in apps:
        assert app.updater is not None
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
