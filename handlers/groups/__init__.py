"""The bot in the community group chats (issue 12): what it knows of each group, moderation
commands there, a welcome for newcomers, flood control, and a time-bank ban reaching them."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ChatMemberHandler, MessageHandler, filters

from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext
from handlers.groups import bank_bans, flood, language, moderate, standing, welcome

COMMANDS: tuple[Command, ...] = ()
# Handler groups of their own, so that the rest of the bot's handlers (private chats) and
# these do not stop each other: group chat events and commands, then the flood count, which
# sees every message.
EVENTS_GROUP = 10
FLOOD_GROUP = 11


def register(app: AmserApplication) -> None:
    groups = filters.ChatType.GROUPS
    app.add_handler(
        ChatMemberHandler(standing.on_my_standing, ChatMemberHandler.MY_CHAT_MEMBER),
        group=EVENTS_GROUP,
    )
    app.add_handler(
        MessageHandler(groups & filters.StatusUpdate.MIGRATE, standing.on_migrated),
        group=EVENTS_GROUP,
    )
    app.add_handler(
        MessageHandler(groups & filters.StatusUpdate.NEW_CHAT_MEMBERS, _joined),
        group=EVENTS_GROUP,
    )
    moderate.register(app, EVENTS_GROUP)
    language.register(app, EVENTS_GROUP)
    app.add_handler(
        MessageHandler(groups & ~filters.StatusUpdate.ALL, flood.on_group_message),
        group=FLOOD_GROUP,
    )
    welcome.register(app)
    bank_bans.register(app)


async def _joined(update: Update, context: AmserContext) -> None:
    """Someone joined: the bot itself (its standing), or people to welcome."""
    await standing.on_added(update, context)
    await welcome.on_joined(update, context)
