"""Moderation by chat command (issue 12): whom a command is about, roles (/promote, /demote)
and what has been done (/audit)."""

from __future__ import annotations

from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication
from handlers.moderation import audit, roles, usernames

COMMANDS: tuple[Command, ...] = (*roles.COMMANDS, *audit.COMMANDS)


def register(app: AmserApplication) -> None:
    usernames.register(app)
    roles.register(app)
    audit.register(app)
