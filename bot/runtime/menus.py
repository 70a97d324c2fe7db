"""Telegram's command menus, set per role and per language."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from telegram import BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import BadRequest, Forbidden

from bot.domain.roles import Role
from bot.runtime.commands import bot_commands

if TYPE_CHECKING:
    from bot.runtime.context import AmserApplication

logger = logging.getLogger(__name__)


async def publish_default_menus(app: AmserApplication) -> None:
    """Menus for everyone (English, and Welsh for Welsh-language apps), then for staff we know."""
    services = app.services
    for language_code, language in ((None, "en"), ("cy", "cy")):
        await app.bot.set_my_commands(
            bot_commands(services.commands, Role.MEMBER, services.catalogs[language]),
            scope=BotCommandScopeDefault(),
            language_code=language_code,
        )
    for telegram_id in await services.staff.telegram_ids():
        member = await services.members.by_telegram_id(telegram_id)
        if member is not None:
            await publish_member_menu(app, telegram_id, member.language)


async def publish_member_menu(app: AmserApplication, telegram_id: int, language: str) -> None:
    """The member's own menu, in the language they chose, with their role's commands."""
    services = app.services
    commands = bot_commands(
        services.commands,
        services.role_of(telegram_id),
        services.catalogs[language],
        ambassadors_manage_credits=services.config.ambassadors_may_grant,
    )
    try:
        await app.bot.set_my_commands(commands, scope=BotCommandScopeChat(telegram_id))
    except (BadRequest, Forbidden) as exc:
        logger.info("could not set the command menu for %s: %s", telegram_id, exc)


async def remove_member_menu(app: AmserApplication, telegram_id: int) -> None:
    try:
        await app.bot.delete_my_commands(scope=BotCommandScopeChat(telegram_id))
    except (BadRequest, Forbidden) as exc:
        logger.info("could not remove the command menu for %s: %s", telegram_id, exc)
