"""Telegram telling us a member blocked the bot, or came back: who the outbox may reach."""

from __future__ import annotations

from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.ext import ChatMemberHandler

from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext
from handlers.common import Screen, say, tr_for, user_id

COMMANDS: tuple[Command, ...] = ()
GONE = (ChatMember.BANNED, ChatMember.LEFT)  # "kicked" is how a private chat says blocked


async def on_my_chat_member(update: Update, context: AmserContext) -> None:
    change = update.my_chat_member
    if change is None or change.chat.type != ChatType.PRIVATE:
        return  # groups are the moderation issue's
    services = context.services
    reachable = change.new_chat_member.status not in GONE
    changed = await services.outbox.set_reachable(user_id(update), reachable, services.clock.now())
    if not (reachable and changed):
        return
    member = await services.members.by_telegram_id(user_id(update))
    if member is not None:
        _ = tr_for(services, member).gettext
        text = _("Welcome back! Everything you left is still here. Send /start to see the menu.")
        await say(update, context, Screen(text))


def register(app: AmserApplication) -> None:
    app.add_handler(ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
