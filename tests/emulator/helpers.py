"""Test doubles and types shared by the emulator tests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram.ext import Application

StartApp = Callable[..., Awaitable[Application]]


class FakeClock:
    """A monotonic clock that only moves when a test advances it."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
