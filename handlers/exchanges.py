"""Placeholder, filled in by issue 4."""

from __future__ import annotations

from telegram.ext import Application

from bot.commands import Command

COMMANDS: tuple[Command, ...] = ()


def register(app: Application) -> None:
    """Nothing yet."""
