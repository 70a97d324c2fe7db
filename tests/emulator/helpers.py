"""Test doubles and types shared by the emulator tests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from telegram.error import TelegramError
from telegram.ext import Application

from bot.emulator import BotApiEmulator

StartApp = Callable[..., Awaitable[Application]]
GROUP = -4_012_345_678  # a basic group's id
SUPERGROUP = -1_001_234_567_890


class FakeClock:
    """A monotonic clock that only moves when a test advances it."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


async def fails_with(
    emulator: BotApiEmulator, call: Awaitable[Any], status: int, description: str
) -> TelegramError:
    """The call fails, and Telegram's answer had exactly this status and description."""
    with pytest.raises(TelegramError) as raised:
        await call
    answer = emulator.calls[-1]
    assert (answer.status, answer.response.get("description")) == (status, description)
    return raised.value
