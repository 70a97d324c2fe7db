"""The bot's commands: what each role sees in /help and in Telegram's command menu."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import BotCommand

from bot.i18n import Translator
from bot.roles import Role


@dataclass(frozen=True)
class Command:
    name: str
    description: str  # an English msgid, marked with N_ where it is defined
    role: Role = Role.MEMBER

    def for_role(self, role: Role) -> bool:
        return role >= self.role


def bot_commands(commands: tuple[Command, ...], role: Role, tr: Translator) -> list[BotCommand]:
    return [
        BotCommand(command.name, tr.gettext(command.description))
        for command in commands
        if command.for_role(role)
    ]
