"""The support queue (/queue) and reports (/report, "🚩 Report")."""

from __future__ import annotations

from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication
from handlers.support import contact, queue, reports

COMMANDS: tuple[Command, ...] = (*reports.COMMANDS, *queue.COMMANDS)


def register(app: AmserApplication) -> None:
    contact.register(app)
    queue.register(app)
    reports.register(app)
