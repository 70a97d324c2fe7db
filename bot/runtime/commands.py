"""The bot's commands: what each role sees in /help and in Telegram's command menu."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import BotCommand

from bot.domain.roles import Role
from bot.runtime.i18n import Translator


@dataclass(frozen=True)
class Command:
    name: str
    description: str  # an English msgid, marked with N_ where it is defined
    role: Role = Role.MEMBER
    credit_tool: bool = False  # ambassadors have it too when `ambassadors_may_grant` is on

    def for_role(self, role: Role, *, ambassadors_manage_credits: bool = False) -> bool:
        if self.credit_tool and ambassadors_manage_credits and role >= Role.AMBASSADOR:
            return True
        return role >= self.role


def bot_commands(
    commands: tuple[Command, ...],
    role: Role,
    tr: Translator,
    *,
    ambassadors_manage_credits: bool = False,
) -> list[BotCommand]:
    return [
        BotCommand(command.name, tr.gettext(command.description))
        for command in commands
        if command.for_role(role, ambassadors_manage_credits=ambassadors_manage_credits)
    ]
