"""New people in the group get a short welcome with a button that opens joining the time bank
with the bot, privately. Through the outbox (BULK: a group takes 20 messages a minute, and
the welcome may wait its turn), queued once per join message."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, Update

from bot.runtime.context import AmserApplication, AmserContext, Services
from handlers.common import Screen, keyboard
from handlers.groups.words import group_of_id, in_group
from handlers.landing import start_link
from handlers.notices import Recipient, register_notice
from storage.outbox import Notice, OutboxItem, Priority

PURPOSE = "group.welcome"
START = "group"  # the /start payload: no landing of its own, so joining (or the menu) opens


async def on_joined(update: Update, context: AmserContext) -> None:
    message = update.effective_message
    if message is None:
        return
    services = context.services
    people = [user for user in message.new_chat_members if not user.is_bot]
    if not people or message.chat.id == services.config.log_chat:  # the coordinators' own
        return
    notice = Notice(
        PURPOSE,
        chat_id=message.chat.id,
        data={
            "names": [user.full_name for user in people],
            "link": start_link(context.bot.username, START),
        },
        priority=Priority.BULK,
        key=f"{PURPOSE}:{message.chat.id}:{message.message_id}",
    )
    await services.outbox.queue([notice], services.clock.now())


async def _render(services: Services, recipient: Recipient, item: OutboxItem) -> Screen | None:
    group = await group_of_id(services, recipient.chat_id)
    if not group.present:
        return None
    community = escape(services.config.community_name)
    names = ", ".join(escape(str(name)) for name in item.data.get("names", []))
    text = in_group(
        services,
        group,
        lambda tr: tr.gettext(
            "Welcome, {names}! {community} is our time bank: neighbours swap help, hour for "
            "hour. To offer or ask for help, join with me in a private chat."
        ).format(names=names, community=community),
    )
    label = in_group(services, group, lambda tr: tr.gettext("Join the time bank")).replace(
        "\n\n", " · "
    )
    button = InlineKeyboardButton(label, url=str(item.data["link"]))
    return Screen(text, keyboard([button]))


def register(app: AmserApplication) -> None:
    register_notice(app, PURPOSE, _render)
