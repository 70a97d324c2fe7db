"""Moderation by chat command (issue 12): whom a command is about, and roles (/promote,
/demote)."""

from __future__ import annotations

from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication
from handlers.moderation import roles, usernames

COMMANDS: tuple[Command, ...] = (*roles.COMMANDS,)


def register(app: AmserApplication) -> None:
    usernames.register(app)
    roles.register(app)
