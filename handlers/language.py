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
from handlers import forms
from handlers.buttons import ButtonData, Buttons, add_presses, refuse
from handlers.common import Screen, current_member, keyboard, say, show, translator, user_id
from handlers.menu import main_menu
from storage.members import Member

# TRANSLATORS: the same in both catalogs: each language is offered by its own name.
COMMANDS = (Command("language", N_("Cymraeg / English")),)


class ShowLanguages(ButtonData, prefix="lang:show"):
    pass


class SetLanguage(ButtonData, prefix="lang:set"):
    language: str


def language_choice(update: Update, context: AmserContext, current: str) -> Screen:
    b = Buttons(context.services, user_id(update))
    mark = {language: ("✓ " if language == current else "") for language in ("cy", "en")}
    return Screen(
        context.services.catalogs.in_both(N_("Which language would you like?")),
        keyboard(
            [b(mark[code] + LANGUAGE_NAMES[code], SetLanguage(code)) for code in ("cy", "en")]
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


async def on_show_languages(update: Update, context: AmserContext, press: ShowLanguages) -> None:
    member = await current_member(update, context)
    current = translator(update, context, member).language
    await show(update, context, language_choice(update, context, current))


async def on_set_language(update: Update, context: AmserContext, press: SetLanguage) -> None:
    if press.language not in LANGUAGE_NAMES:
        await refuse(update, context)
        return
    services = context.services
    member = await current_member(update, context)
    _ = services.catalogs[press.language].gettext
    # TRANSLATORS: said in the language just chosen, so each catalog names its own language
    # ("I'll speak Welsh with you" in Welsh), not a literal translation of this English.
    confirmation = _("Done: I'll speak English with you from now on.")
    if member is None:
        context.user_data[LANGUAGE_KEY] = press.language
        await show(update, context, Screen(confirmation + "\n" + _("Send /start to join.")))
        return
    member = await set_language(context, member, press.language)
    await show(update, context, Screen(confirmation))
    # The question the member was on, now in their language; else their menu.
    turn = await forms.current(update, context, member)
    if turn is not None and not member.paused:
        await turn.ask(new=True)
    elif member.status is Status.ACTIVE:
        await say(update, context, main_menu(services, member))


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("language", language_command, filters.ChatType.PRIVATE))
    add_presses(app, {ShowLanguages: on_show_languages, SetLanguage: on_set_language})
