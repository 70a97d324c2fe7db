"""Fixtures: the real application, long-polling the emulator, with a clock tests can move."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Config
from bot.emulator import BotApiEmulator
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from bot.runtime.harness import running_bot

ADMIN_ID = 9001
AMBASSADOR_ID = 9002
# Simulated members act far faster than people: a flood by [updates]' defaults. Tests of the
# flood limit itself set their own.
SCRIPTED_BURST = 1_000


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return Config(
        database_path=tmp_path / "amser.db",
        community_name="Amser Test",
        admins=frozenset({ADMIN_ID}),
        ambassadors=frozenset({AMBASSADOR_ID}),
        member_burst=SCRIPTED_BURST,
    )


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as emulator:
        yield emulator


@pytest.fixture
async def bot(
    config: Config, emulator: BotApiEmulator, clock: FakeClock
) -> AsyncIterator[AmserApplication]:
    """The running bot; the test fails if any handler raised or a button was left spinning."""
    async with running_bot(config, emulator, clock) as app:
        yield app
        errors = list(app.services.errors)
    assert not errors, f"handlers raised: {errors!r}"
    unanswered = [
        c for c in emulator.calls if c.method == "answerCallbackQuery" and c.status != 200
    ]
    assert not unanswered, f"answerCallbackQuery failed: {unanswered}"
