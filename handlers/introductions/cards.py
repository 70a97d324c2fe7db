"""The introduction card: one live card per introduction and member.

A member has at most one message with buttons for an introduction. When the introduction
changes, the presser's card is changed in place; the other member either has their card
changed in place too, or, when they need to hear about it, gets a new card and the old one
loses its buttons. So no stale button acts, and the live card always says how things stand.
"""

from __future__ import annotations

import logging
from html import escape

from telegram import Update
from telegram.error import NetworkError

from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers.buttons import Buttons
from handlers.common import Screen, edit_card, keyboard, say, show, tr_for
from handlers.credit_common import name_of
from handlers.introductions.presses import (
    Accept,
    AskBlock,
    Decline,
    End,
    NotYet,
    Share,
    Target,
    Write,
)
from handlers.introductions.shared import about, summary
from handlers.log.buttons import LogWith
from handlers.notices import Recipient, register_notice
from handlers.support.buttons import StartReport
from storage.introductions import ACTIVE, Introduction
from storage.listings import Listing
from storage.members import Member
from storage.outbox import Notice, OutboxItem
from storage.reports import ReportAbout

logger = logging.getLogger(__name__)

CARD = "introduction.card"  # a new card for a member who needs to hear of a change
UNREACHABLE = "introduction.unreachable"  # the other member's card could not reach them

# --- what a card says -------------------------------------------------------------------------


def proposal_screen(
    services: Services,
    intro: Introduction,
    viewer: Member,
    other: Member,
    listing: Listing | None,
    broker: Member | None,
) -> Screen:
    """Someone would like to be introduced: who they are, with Accept / Decline / Block."""
    tr = tr_for(services, viewer)
    _ = tr.gettext
    name = name_of(other, tr)
    if intro.brokered_by is not None:
        heading = _("<b>{broker} would like to introduce you to {name}.</b>").format(
            broker=escape((broker.display_name if broker else None) or _("A coordinator")),
            name=name,
        )
    elif listing is not None and listing.kind == "offer":
        heading = _("<b>{name} would like to take up your offer.</b>").format(name=name)
    else:
        heading = _("<b>{name} would like to help with your request.</b>").format(name=name)
    lines = [heading, *about(listing, tr), "", *summary(services, other, tr), ""]
    lines.append(
        _(
            "Would you like to be introduced? You can send each other messages through Amser, "
            "and your contact details stay private unless you both agree to share them."
        )
    )
    b = Buttons(services, viewer.telegram_id or 0)
    return Screen(
        "\n".join(lines),
        keyboard(
            [b(_("✅ Accept"), Accept(intro.id)), b(_("Decline"), Decline(intro.id))],
            [
                b(_("🚫 Block"), AskBlock(Target.INTRO, intro.id)),
                b(_("🚩 Report"), StartReport(ReportAbout.MEMBER, intro.id)),
            ],
        ),
    )


def _sharing_line(
    intro: Introduction, viewer: Member, other: Member, name: str, tr: Translator
) -> str:
    """Where sharing contacts stands, from the viewer's side."""
    _ = tr.gettext
    if intro.both_share:
        shared = _("You've both shared your Telegram contacts.")
        if other.telegram_id is None:
            return shared
        contact = f'<a href="tg://user?id={other.telegram_id}">{name}</a>'
        there = _("You can now talk to {contact} on Telegram directly.").format(contact=contact)
        return f"{shared}\n{there}"
    if intro.shares(viewer.id):
        return _(
            "You've agreed to share your Telegram contact. It will be shown to {name} "
            "only when they agree too."
        ).format(name=name)
    if intro.shares(other.id):
        return _(
            "{name} would like to share Telegram contacts. Yours is only shown if you agree too."
        ).format(name=name)
    return _(
        "You can send each other messages through Amser. Your Telegram contact is only "
        "shared if you both agree."
    )


def introduction_screen(
    services: Services,
    intro: Introduction,
    viewer: Member,
    other: Member,
    listing: Listing | None,
) -> Screen:
    """An accepted introduction as one member sees it, with what they can do next."""
    tr = tr_for(services, viewer)
    _ = tr.gettext
    name = name_of(other, tr)
    lines = [
        _("<b>You're introduced to {name}.</b>").format(name=name),
        *about(listing, tr),
        "",
        *summary(services, other, tr),
        "",
        _sharing_line(intro, viewer, other, name, tr),
    ]
    b = Buttons(services, viewer.telegram_id or 0)
    if intro.both_share:
        share_row = []
    elif intro.shares(viewer.id):
        share_row = [b(_("Don't share it after all"), NotYet(intro.id))]
    else:
        share_row = [
            b(_("📇 Share my Telegram contact"), Share(intro.id)),
            b(_("Not yet"), NotYet(intro.id)),
        ]
    log = b(_("⏱ Log time"), LogWith(intro.id))
    return Screen(
        "\n".join(lines),
        keyboard(
            share_row,
            [b(_("💬 Send a message"), Write(intro.id)), log],
            [
                b(_("End introduction"), End(intro.id)),
                b(_("🚫 Block"), AskBlock(Target.INTRO, intro.id)),
            ],
            [b(_("🚩 Report"), StartReport(ReportAbout.MEMBER, intro.id))],
        ),
    )


def waiting_screen(
    services: Services, viewer: Member, other: Member, listing: Listing | None
) -> Screen:
    tr = tr_for(services, viewer)
    text = tr.gettext("Waiting for {name} to reply.").format(name=name_of(other, tr))
    return Screen("\n".join([text, *about(listing, tr)]))


async def card_screen(services: Services, intro: Introduction, viewer: Member) -> Screen | None:
    """The card for the introduction as it stands now; None once it is over."""
    other = await services.members.get(intro.other(viewer.id))
    listing = await services.listings.get(intro.listing_id) if intro.listing_id else None
    if other is None or intro.status not in ("proposed", "accepted"):
        return None
    if intro.status == "accepted":
        return introduction_screen(services, intro, viewer, other, listing)
    if intro.has_accepted(viewer.id):
        return waiting_screen(services, viewer, other, listing)
    broker = await services.members.get(intro.brokered_by)
    return proposal_screen(services, intro, viewer, other, listing, broker)


# --- keeping one live card --------------------------------------------------------------------

Sender = AmserContext | AmserApplication


async def _take_buttons_off(sender: Sender, viewer: Member, message_id: int) -> None:
    """Best effort: an old copy keeps its words but loses its buttons (which check on arrival
    anyway), so a network failure here is not worth failing the change for."""
    try:
        await edit_card(sender, viewer, message_id, None)
    except NetworkError as exc:
        logger.info("could not take the buttons off card %s: %s", message_id, exc.message)


async def show_card(
    update: Update, context: AmserContext, intro: Introduction, viewer: Member, screen: Screen
) -> None:
    """The presser's answer, in place of the message they pressed. It is their card now if it
    has buttons; any other copy loses its buttons."""
    await show(update, context, screen)
    query = update.callback_query
    here = query.message.message_id if query is not None and query.message is not None else None
    keep = here if screen.markup is not None else None
    known = intro.card_of(viewer.id)
    # Only if no new card has been sent meanwhile (from the outbox): that one stays live.
    replaced = await context.services.introductions.replace_card(intro.id, viewer.id, known, keep)
    if replaced and known is not None and known != here:
        await _take_buttons_off(context, viewer, known)


async def say_card(
    update: Update, context: AmserContext, intro: Introduction, viewer: Member, screen: Screen
) -> None:
    """A new card, as the answer to the member's own update; the old one loses its buttons."""
    message = await say(update, context, screen)
    introductions = context.services.introductions
    previous = await introductions.set_card(intro.id, viewer.id, message.message_id)
    if previous is not None:
        await _take_buttons_off(context, viewer, previous)


def card_notice(intro: Introduction, member_id: int) -> Notice:
    """A new card for a member who needs to hear of a change, worded as things stand when it
    is sent; the old one then loses its buttons."""
    return Notice(CARD, member_id=member_id, about=intro.id)


async def refresh_card(context: AmserContext, intro: Introduction, viewer: Member) -> None:
    """The member's card, changed in place to say how things stand (no new message)."""
    card = intro.card_of(viewer.id)
    if card is None:
        return
    screen = await card_screen(context.services, intro, viewer)
    if screen is None or screen.markup is None:
        await retire_card(context, intro, viewer)
        return
    try:
        await edit_card(context, viewer, card, screen)
    except NetworkError as exc:  # the card still works: its buttons check on arrival
        logger.info("could not refresh card %s: %s", card, exc.message)


async def retire_card(context: AmserContext, intro: Introduction, viewer: Member) -> None:
    """The introduction is over for this member: their card keeps its words, not its buttons."""
    previous = await context.services.introductions.set_card(intro.id, viewer.id, None)
    if previous is not None:
        await _take_buttons_off(context, viewer, previous)


# --- cards through the outbox -----------------------------------------------------------------


async def _render_card(services: Services, recipient: Recipient, item: OutboxItem) -> Screen | None:
    intro = await services.introductions.get(item.about or 0)
    viewer = recipient.member
    if intro is None or viewer is None or not intro.involves(viewer.id):
        return None
    screen = await card_screen(services, intro, viewer)
    return screen if screen is not None and screen.markup is not None else None  # else: over


async def _card_unreachable(services: Services, item: OutboxItem) -> list[Notice]:
    """The member can't be reached: the other one, who may be waiting on them, is told."""
    intro = await services.introductions.get(item.about or 0)
    member_id = item.member_id
    if intro is None or member_id is None or intro.status not in ACTIVE:
        return []
    if not intro.involves(member_id):
        return []
    key = f"introduction:{intro.id}:unreachable:{member_id}"
    data = {"who": member_id}
    other = intro.other(member_id)
    return [Notice(UNREACHABLE, member_id=other, about=intro.id, data=data, key=key)]


async def _render_unreachable(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    intro = await services.introductions.get(item.about or 0)
    who = await services.members.get(int(item.data["who"]))
    if intro is None or who is None or intro.status not in ACTIVE:
        return None
    if await services.blocks.is_blocked_either_way(intro.owner_id, intro.responder_id):
        return None
    text = recipient.tr.gettext(
        "Sorry, {name} can't be reached on Telegram just now, so they may not see your "
        "introduction for a while."
    )
    return Screen(text.format(name=name_of(who, recipient.tr)))


def register(app: AmserApplication) -> None:
    async def remember(
        services: Services, recipient: Recipient, item: OutboxItem, message_id: int
    ) -> None:
        viewer = recipient.member
        if viewer is None or item.about is None:
            return
        previous = await services.introductions.set_card(item.about, viewer.id, message_id)
        if previous is not None:
            await _take_buttons_off(app, viewer, previous)

    register_notice(app, CARD, _render_card, remember=remember, instead=_card_unreachable)
    register_notice(app, UNREACHABLE, _render_unreachable)
