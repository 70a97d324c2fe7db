"""Speaking in a group chat: in the group's language, or in Welsh and then English."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from telegram import Chat

from bot.runtime.context import Services
from bot.runtime.i18n import Translator
from handlers.moderation.target import Words
from storage.groups import BotStanding, Group, GroupLanguage

SPOKEN = {
    GroupLanguage.EN: ("en",),
    GroupLanguage.CY: ("cy",),
    GroupLanguage.BOTH: ("cy", "en"),  # Welsh first
}


def default_language(services: Services) -> GroupLanguage:
    return GroupLanguage(services.config.group_language)


async def group_of(services: Services, chat: Chat) -> Group:
    """The group as the bot keeps it; one it has not heard of yet, with the default language."""
    found = await group_of_id(services, chat.id)
    return found if found.title or not chat.title else replace(found, title=chat.title)


async def group_of_id(services: Services, chat_id: int) -> Group:
    found = await services.groups.get(chat_id)
    if found is not None:
        return found
    return Group(chat_id, "", default_language(services), BotStanding.MEMBER)


def in_group(services: Services, group: Group, words: Words) -> str:
    """The words in the group's language, or in both (Welsh, then English)."""
    return "\n\n".join(words(services.catalogs[code]) for code in SPOKEN[group.language])


def until_words(services: Services, tr: Translator, until: datetime | None) -> str:
    """ "until 03/12/2026 14:30", or "until they are unmuted" when there is no end."""
    if until is None:
        return tr.gettext("until an admin unmutes them")
    moment = until.astimezone(services.config.timezone).strftime("%d/%m/%Y %H:%M")
    return tr.gettext("until {moment}").format(moment=moment)
