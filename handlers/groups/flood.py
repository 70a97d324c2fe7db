"""Flood control in a group: more than `[moderation] flood_messages` messages from one sender
within `flood_seconds` mutes them for `flood_mute_minutes`, and the group is told why, kindly.
Counted in memory (bot/domain/group_flood.py); the mute is audited as the bot's own."""

from __future__ import annotations

import logging
from datetime import timedelta
from html import escape

from telegram import Update
from telegram.error import BadRequest

from bot.runtime.context import AmserContext
from bot.runtime.i18n import Translator
from handlers.common import Screen, say
from handlers.groups import acts
from handlers.groups.rights import anonymous
from handlers.groups.words import group_of, in_group, until_words
from storage.audit import AuditAction, AuditEntry

logger = logging.getLogger(__name__)


async def on_group_message(update: Update, context: AmserContext) -> None:
    message = update.effective_message
    chat = update.effective_chat
    sender = update.effective_user
    if message is None or chat is None or sender is None or sender.is_bot or anonymous(update):
        return
    services = context.services
    config = services.config
    now = services.clock.now()
    flooding = services.floods.heard(
        chat.id,
        sender.id,
        now,
        messages=config.flood_messages,
        seconds=config.flood_seconds,
    )
    if not flooding:
        return
    until = now + timedelta(minutes=config.flood_mute_minutes)
    try:
        await acts.mute(acts.Asked(context.bot, chat.id, sender.id, now, until=until))
    except BadRequest as exc:  # an admin, a basic group, or the bot without the right: let be
        logger.info("could not mute a flood in %s: %s", chat.id, exc.message)
        return
    member = await services.members.by_telegram_id(sender.id)
    details = {"minutes": config.flood_mute_minutes, "until": until.isoformat(), "flood": True}
    if member is None:
        details.update(target_telegram_id=sender.id, target_name=sender.full_name)
    entry = AuditEntry(
        AuditAction.MUTE,
        None,
        member.id if member is not None else None,
        chat_id=chat.id,
        details=details,
    )
    await services.audit.add(entry, now, config.log_chat)
    group = await group_of(services, chat)
    name = escape(sender.full_name)

    def words(tr: Translator) -> str:
        return tr.gettext(
            "{name}, that's a lot of messages at once, so I've muted you {until} to give "
            "everyone room to talk. Thank you for understanding!"
        ).format(name=name, until=until_words(services, tr, until))

    await say(update, context, Screen(in_group(services, group, words)))
