"""Announcing an event: the organiser chooses whom to tell (everyone, its area, members
interested in its kind, the community group chats), each once; members get the event card in
their language, with its answer buttons and "Stop these"; a group gets the card with its link.
And the PNG of the QR code of the event's link, for posters."""

from __future__ import annotations

from html import escape
from io import BytesIO

import segno
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.domain import N_
from bot.domain.announcements import EVENTS, Target
from bot.domain.broadcasts import Hearing
from bot.domain.events import EventStatus
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers.broadcasts.delivery import stop_button
from handlers.buttons import add_presses
from handlers.common import Screen, hand_over, show, tr_for
from handlers.events.answers import manager_of
from handlers.events.audiences import announce_screen, choices, later_screen
from handlers.events.buttons import AnnounceTo, AskAnnounce, PosterCode
from handlers.events.card import card_text, event_card, link
from handlers.notices import Recipient, register_notice
from storage.announcements import ANNOUNCEMENT, GROUP_POST, Announced
from storage.outbox import OutboxItem

QR_SCALE = 10  # pixels a module: about 450 pixels across for a short link, sharp when printed


def poster_code(url: str) -> bytes:
    """The QR code of a link as a PNG."""
    out = BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=QR_SCALE, border=4)
    return out.getvalue()


def _announced_words(tr: Translator, done: Announced | None) -> str:
    _ = tr.gettext
    if done is None:
        return _("That event can't be announced now.")
    if not done.first:
        return _("That was announced already: nobody is told twice.")
    if done.target is Target.GROUP:
        return _("Done: it will be posted in the community group.")
    if not done.queued:
        return _(
            "Nobody new to tell there: everyone has heard of it already, or has turned new "
            "events off."
        )
    return tr.ngettext(
        "Done: {n} member will hear of it.", "Done: {n} members will hear of it.", done.queued
    ).format(n=done.queued)


async def on_ask(update: Update, context: AmserContext, press: AskAnnounce) -> None:
    found = await manager_of(update, context, press.event)
    if found is None:
        return
    member, event = found
    done = await context.services.announcements.done(event.id)
    await show(update, context, announce_screen(context.services, member, event, done))


async def on_announce(update: Update, context: AmserContext, press: AnnounceTo) -> None:
    found = await manager_of(update, context, press.event)
    if found is None:
        return
    member, event = found
    services = context.services
    if press.target is None:
        await show(update, context, later_screen(services, member))
        return
    done = None
    if press.target in choices(services, event):  # a forged or outdated choice does nothing
        done = await services.announcements.announce(
            event.id,
            press.target,
            services.config.event_group_chats,
            services.clock.now(),
            bot_username=context.bot.username,
        )
    announced = await services.announcements.done(event.id)
    note = _announced_words(tr_for(services, member), done)
    screen = announce_screen(services, member, event, announced, note, from_card=press.from_card)
    await show(update, context, screen)


async def on_poster_code(update: Update, context: AmserContext, press: PosterCode) -> None:
    """The direct answer to the press: a PNG of the QR code of the event's link."""
    found = await manager_of(update, context, press.event)
    if found is None:
        return
    member, event = found
    _ = tr_for(context.services, member).gettext
    url = link(context.bot.username, event)
    caption = _("A QR code for posters: scanning it opens {link}").format(link=url)
    await hand_over(update, context, poster_code(url), f"event-{event.id}-qr.png", caption)


# --- the words ---------------------------------------------------------------------------------


async def _render_announcement(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    member = recipient.member
    event = await services.events.get(item.about or 0)
    if member is None or event is None or event.status is not EventStatus.PUBLISHED:
        return None
    if event.starts_at <= services.clock.now():
        return None  # held too long: it has started
    if not await services.preferences.wants(member.id, EVENTS):
        return None  # they turned new events off after it was queued
    mine = await services.events.mine(event.id, member.id)
    note = recipient.tr.gettext("📣 A new event in {community}:").format(
        community=escape(services.config.community_name)
    )
    card = event_card(services, member, event, mine, note=note)
    rows = list(card.markup.inline_keyboard) if card.markup else []
    rows.append((stop_button(services, recipient, Hearing.EVENTS),))
    return Screen(card.text, InlineKeyboardMarkup(rows))


def _both(services: Services, words: str) -> str:
    """The same words in Welsh and English, once if they are the same: a group is everyone's."""
    return " · ".join(
        dict.fromkeys(services.catalogs[lang].gettext(words) for lang in ("cy", "en"))
    )


async def _render_group_post(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    """In a group, the card and a button that opens the event in the bot, where whoever taps it
    can answer (a newcomer joins first and lands on the event afterwards)."""
    event = await services.events.get(item.about or 0)
    if event is None or event.status is not EventStatus.PUBLISHED:
        return None
    if event.starts_at <= services.clock.now():
        return None
    bot_username = str(item.data.get("bot", ""))
    heading = _both(services, N_("New event"))
    card = card_text(services, services.catalogs["cy"], event, also=services.catalogs["en"])
    text = f"<b>📣 {escape(heading)}</b>\n\n{card}"
    button = InlineKeyboardButton(
        _both(services, N_("Answer or find out more")), url=link(bot_username, event)
    )
    return Screen(text, InlineKeyboardMarkup([[button]]))


def register(app: AmserApplication) -> None:
    register_notice(app, ANNOUNCEMENT, _render_announcement)
    register_notice(app, GROUP_POST, _render_group_post)
    add_presses(app, {AskAnnounce: on_ask, AnnounceTo: on_announce, PosterCode: on_poster_code})
