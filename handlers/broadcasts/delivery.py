"""A broadcast as each member gets it: in their language, with "Stop these", which turns
community news off for them in one tap (and "Start them again" turns it back on)."""

from __future__ import annotations

from html import escape

from telegram import Update

from bot.domain.broadcasts import NEWS, Status, text_for
from bot.runtime.context import AmserApplication, AmserContext, Services
from handlers.buttons import ButtonData, Buttons, add_presses
from handlers.common import Screen, current_member, keyboard, say, translator, user_id
from handlers.notices import Recipient, register_notice
from storage.broadcasts import MESSAGE
from storage.outbox import OutboxItem


class StopNews(ButtonData, prefix="bc:stop"):
    """Signed for the member it was sent to: it can only ever change their own choice."""


class StartNews(ButtonData, prefix="bc:start"):
    pass


async def _render(services: Services, recipient: Recipient, item: OutboxItem) -> Screen | None:
    broadcast = await services.broadcasts.get(item.about or 0)
    member = recipient.member
    if broadcast is None or broadcast.status is Status.CANCELLED or member is None:
        return None
    if not await services.preferences.wants(member.id, NEWS):
        return None  # they stopped these after it was queued
    tr = recipient.tr
    _ = tr.gettext
    words = text_for(member.language, broadcast.text_en, broadcast.text_cy)
    footer = _("📣 Community news from {community}").format(
        community=escape(services.config.community_name)
    )
    b = Buttons(services, recipient.chat_id)
    return Screen(
        f"{escape(words)}\n\n<i>{footer}</i>", keyboard([b(_("🔕 Stop these"), StopNews())])
    )


async def on_stop(update: Update, context: AmserContext, press: StopNews) -> None:
    member = await current_member(update, context)
    _ = translator(update, context, member).gettext
    if member is None:
        await say(update, context, Screen(_("You haven't joined yet. Send /start to join.")))
        return
    await context.services.preferences.set(member.id, NEWS, False)  # a second tap: the same
    b = Buttons(context.services, user_id(update))
    text = _(
        "Done: you won't get community news any more. Thank you for letting us know.\n"
        "If you change your mind, tap below to start them again."
    )
    await say(update, context, Screen(text, keyboard([b(_("🔔 Start them again"), StartNews())])))


async def on_start(update: Update, context: AmserContext, press: StartNews) -> None:
    member = await current_member(update, context)
    _ = translator(update, context, member).gettext
    if member is None:
        await say(update, context, Screen(_("You haven't joined yet. Send /start to join.")))
        return
    await context.services.preferences.set(member.id, NEWS, True)
    b = Buttons(context.services, user_id(update))
    text = _("Community news is back on: you'll get the next one. Welcome back!")
    await say(update, context, Screen(text, keyboard([b(_("🔕 Stop these"), StopNews())])))


def register(app: AmserApplication) -> None:
    register_notice(app, MESSAGE, _render)
    add_presses(app, {StopNews: on_stop, StartNews: on_start})
