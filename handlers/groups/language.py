"""/grouplanguage en|cy|both: the language the bot speaks in a group, set there by its admins."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.domain.permissions import Action
from bot.domain.welsh import fold
from bot.runtime.context import AmserApplication, AmserContext
from bot.runtime.i18n import Translator
from handlers.access import may_do
from handlers.common import Screen, say, user_id
from handlers.groups.moderate import not_yours as _not_yours
from handlers.groups.rights import rights_of
from handlers.groups.words import group_of, in_group
from storage.groups import GroupLanguage

WORDS = {
    "en": GroupLanguage.EN,
    "english": GroupLanguage.EN,
    "saesneg": GroupLanguage.EN,
    "cy": GroupLanguage.CY,
    "welsh": GroupLanguage.CY,
    "cymraeg": GroupLanguage.CY,
    "both": GroupLanguage.BOTH,
    "dwy": GroupLanguage.BOTH,
    "dwyieithog": GroupLanguage.BOTH,
    "bilingual": GroupLanguage.BOTH,
}


async def group_language_command(update: Update, context: AmserContext) -> None:
    services = context.services
    chat = update.effective_chat
    if chat is None:
        return
    group = await group_of(services, chat)
    rights = await rights_of(update, context)
    if not may_do(services, user_id(update), Action.MODERATE_GROUP, rights):
        await say(update, context, Screen(in_group(services, group, _not_yours)))
        return
    typed = fold(context.args[0]) if context.args else ""
    chosen = WORDS.get(typed)
    if chosen is None:
        await say(update, context, Screen(in_group(services, group, _how)))
        return
    await services.groups.set_language(chat.id, chat.title or "", chosen, services.clock.now())
    group = replace(group, language=chosen)
    await say(update, context, Screen(in_group(services, group, _done)))


def _how(tr: Translator) -> str:
    return tr.gettext(
        "Which language should I speak here? Send /grouplanguage cy, /grouplanguage en or "
        "/grouplanguage both."
    )


def _done(tr: Translator) -> str:
    return tr.gettext("Done: I'll speak in this language here from now on.")


def register(app: AmserApplication, handler_group: int) -> None:
    app.add_handler(
        CommandHandler("grouplanguage", group_language_command, filters.ChatType.GROUPS),
        group=handler_group,
    )
