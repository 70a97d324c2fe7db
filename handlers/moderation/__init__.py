"""Moderation by chat command (issue 12): whom a command is about, roles (/promote, /demote),
warnings (/warn, /warns, /unwarn), suspensions and bans (/suspend, /unsuspend, /ban), appeals,
acting on reports about members, taking listings down, and what has been done (/audit)."""

from __future__ import annotations

from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication
from handlers.moderation import (
    appeals,
    audit,
    listings,
    on_reports,
    others,
    roles,
    sanctions,
    warnings,
)

COMMANDS: tuple[Command, ...] = (
    *roles.COMMANDS,
    *warnings.COMMANDS,
    *sanctions.COMMANDS,
    *audit.COMMANDS,
)


def register(app: AmserApplication) -> None:
    roles.register(app)
    warnings.register(app)
    sanctions.register(app)
    on_reports.register(app)
    appeals.register(app)
    others.register(app)
    listings.register(app)
    audit.register(app)
