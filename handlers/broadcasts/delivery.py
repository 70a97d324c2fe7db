"""A broadcast as each member gets it: in their language, with "Stop these", which turns
community news off for them in one tap (and "Start them again" turns it back on)."""

from __future__ import annotations

from html import escape

from telegram import Update

from bot.domain.broadcasts import NEWS, Status, text_for
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.outbox import NotNow
from handlers.buttons import ButtonData, Buttons, add_presses
from handlers.common import (
    Screen,
    current_member,
    keyboard,
    say,
    show,
    tr_for,
    translator,
    user_id,
)
from handlers.details import active_member
from handlers.menu import back_to_menu
from handlers.notices import Recipient, register_notice
from storage.broadcasts import MESSAGE
from storage.members import Member
from storage.outbox import OutboxItem


class StopNews(ButtonData, prefix="bc:stop"):
    """Signed for the member it was sent to: it can only ever change their own choice.
    `settings`: pressed on the community news screen (changed in place) rather than under a
    broadcast (answered with a message of its own, so the notice stays)."""

    settings: bool = False


class StartNews(ButtonData, prefix="bc:start"):
    settings: bool = False


class ShowNews(ButtonData, prefix="bc:news"):
    """The community news screen, from the profile."""


def news_screen(services: Services, member: Member, on: bool) -> Screen:
    """Community news on or off, with the button that changes it."""
    _ = tr_for(services, member).gettext
    b = Buttons(services, member.telegram_id or 0)
    about = _(
        "<b>📣 Community news</b>\n"
        "Now and then ambassadors send a notice to the community: events, news, things to know."
    )
    if on:
        text = f"{about}\n\n" + _("You get them. You can stop them at any time.")
        switch = b(_("🔕 Stop these"), StopNews(settings=True))
    else:
        text = f"{about}\n\n" + _("You've turned them off. You can start them again here.")
        switch = b(_("🔔 Start them again"), StartNews(settings=True))
    return Screen(text, keyboard([switch], back_to_menu(services, member)))


async def _render(services: Services, recipient: Recipient, item: OutboxItem) -> Screen | None:
    broadcast = await services.broadcasts.get(item.about or 0)
    member = recipient.member
    if broadcast is None or broadcast.status is Status.CANCELLED or member is None:
        return None
    if broadcast.status is Status.PAUSED:
        raise NotNow  # paused after the sender took this batch: its hold keeps it from now on
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


async def _switch(update: Update, context: AmserContext, on: bool, settings: bool) -> None:
    """Community news on or off for the member pressing (and only them); a second tap
    changes nothing and says the same."""
    services = context.services
    member = await current_member(update, context)
    _ = translator(update, context, member).gettext
    if member is None:
        await say(update, context, Screen(_("You haven't joined yet. Send /start to join.")))
        return
    await services.preferences.set(member.id, NEWS, on)
    if settings:
        await show(update, context, news_screen(services, member, on))
        return
    b = Buttons(services, user_id(update))
    if on:
        text = _("Community news is back on: you'll get the next one. Welcome back!")
        switch = b(_("🔕 Stop these"), StopNews())
    else:
        text = _(
            "Done: you won't get community news any more. Thank you for letting us know.\n"
            "If you change your mind, tap below, or find “Community news” in your /profile."
        )
        switch = b(_("🔔 Start them again"), StartNews())
    await say(update, context, Screen(text, keyboard([switch])))


async def on_stop(update: Update, context: AmserContext, press: StopNews) -> None:
    await _switch(update, context, False, press.settings)


async def on_start(update: Update, context: AmserContext, press: StartNews) -> None:
    await _switch(update, context, True, press.settings)


async def on_show(update: Update, context: AmserContext, press: ShowNews) -> None:
    member = await active_member(update, context)
    if member is not None:
        on = await context.services.preferences.wants(member.id, NEWS)
        await show(update, context, news_screen(context.services, member, on))


async def _delivered(
    services: Services, recipient: Recipient, item: OutboxItem, message_id: int
) -> None:
    await services.broadcasts.delivered(item.about or 0)


def register(app: AmserApplication) -> None:
    register_notice(app, MESSAGE, _render, remember=_delivered)
    add_presses(app, {StopNews: on_stop, StartNews: on_start, ShowNews: on_show})
