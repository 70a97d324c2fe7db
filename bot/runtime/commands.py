"""The bot's commands: what each role sees in /help and in Telegram's command menu."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import BotCommand

from bot.domain.permissions import Action, may
from bot.domain.roles import Role
from bot.runtime.i18n import Translator


@dataclass(frozen=True)
class Command:
    name: str
    description: str  # an English msgid, marked with N_ where it is defined
    action: Action | None = None  # what it needs beyond being a member (bot/domain/permissions)

    def for_role(self, role: Role, *, ambassadors_manage_credits: bool = False) -> bool:
        return self.action is None or may(
            role, self.action, ambassadors_may_grant=ambassadors_manage_credits
        )


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
