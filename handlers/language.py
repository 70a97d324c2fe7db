"""/language: switch between Welsh and English at once, menus included."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.domain.membership import Status
from bot.runtime import menus
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext
from bot.runtime.i18n import LANGUAGE_KEY, LANGUAGE_NAMES
from handlers import details
from handlers.common import (
    Screen,
    button_handler,
    buttons_for,
    current_member,
    keyboard,
    say,
    show,
    translator,
)
from handlers.menu import main_menu
from storage.members import Member

COMMANDS = (Command("language", N_("Cymraeg / English")),)


def language_choice(update: Update, context: AmserContext, current: str) -> Screen:
    b = buttons_for(update, context)
    mark = {language: ("✓ " if language == current else "") for language in ("cy", "en")}
    return Screen(
        context.services.catalogs.in_both(N_("Which language would you like?")),
        keyboard(
            [
                b(mark["cy"] + LANGUAGE_NAMES["cy"], "lang", "set", "cy"),
                b(mark["en"] + LANGUAGE_NAMES["en"], "lang", "set", "en"),
            ]
        ),
    )


async def language_command(update: Update, context: AmserContext) -> None:
    member = await current_member(update, context)
    current = translator(update, context, member).language
    await say(update, context, language_choice(update, context, current))


async def set_language(context: AmserContext, member: Member, language: str) -> Member:
    """Speak the member's chosen language from now on, in messages and in their command menu."""
    if member.language == language:
        return member
    services = context.services
    member = await services.members.update(member.id, services.clock.now(), language=language)
    if member.status is not Status.JOINING and member.telegram_id is not None:
        await menus.publish_member_menu(context.application, member.telegram_id, language)
    return member


async def on_language_button(update: Update, context: AmserContext, parts: list[str]) -> None:
    services = context.services
    member = await current_member(update, context)
    if parts == ["show"]:
        current = translator(update, context, member).language
        await show(update, context, language_choice(update, context, current))
        return
    if len(parts) != 2 or parts[0] != "set" or parts[1] not in ("cy", "en"):
        return
    language = parts[1]
    _ = services.catalogs[language].gettext
    confirmation = _("Done: I'll speak English with you from now on.")
    if member is None:
        context.user_data[LANGUAGE_KEY] = language
        await show(update, context, Screen(confirmation + "\n" + _("Send /start to join.")))
        return
    member = await set_language(context, member, language)
    await show(update, context, Screen(confirmation))
    if member.status is Status.JOINING and member.step is not None and not member.paused:
        await details.ask(update, context, member, new=True)
    elif member.status is Status.ACTIVE and member.step is None:
        await say(update, context, main_menu(services, member))


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("language", language_command, filters.ChatType.PRIVATE))
    app.add_handler(button_handler("lang", on_language_button))
