"""Scheduled check-ins: /checkins (settings.py), the check-in and its answers (message.py),
and the pass that queues those due (due.py)."""

from __future__ import annotations

from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication
from handlers.buttons import add_presses
from handlers.checkins import due, message, settings
from handlers.notices import register_notice
from storage.checkins import PURPOSE

COMMANDS = (Command("checkins", N_("Check-ins: how often I ask how you are")),)


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("checkins", settings.checkins_command, filters.ChatType.PRIVATE))
    add_presses(app, settings.PRESSES)
    add_presses(app, message.PRESSES)
    register_notice(app, PURPOSE, message.render)
    app.due_work_runner.register(due.PASS_KIND, due.run_pass)
    app.startup.append(due.schedule_pass)
