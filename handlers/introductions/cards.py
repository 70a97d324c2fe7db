"""The introduction card: one live card per introduction and member.

A member has at most one message with buttons for an introduction. When the introduction
changes, the presser's card is changed in place; the other member either has their card
changed in place too, or, when they need to hear about it, gets a new card and the old one
loses its buttons. So no stale button acts, and the live card always says how things stand.
"""

from __future__ import annotations

from html import escape

from telegram import Update

from bot.runtime.context import AmserContext, Services
from bot.runtime.i18n import Translator
from handlers.buttons import Buttons
from handlers.common import Screen, deliver_card, edit_card, keyboard, show, tr_for
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
from storage.introductions import Introduction
from storage.listings import Listing
from storage.members import Member

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
            [b(_("🚫 Block"), AskBlock(Target.INTRO, intro.id))],
        ),
    )


def _sharing_line(
    intro: Introduction, viewer: Member, other: Member, name: str, tr: Translator
) -> str:
    """Where sharing contacts stands, from the viewer's side."""
    _ = tr.gettext
    if intro.both_share:
        return _("You've both shared your Telegram contacts.")
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


async def show_card(
    update: Update, context: AmserContext, intro: Introduction, viewer: Member, screen: Screen
) -> None:
    """The presser's answer, in place of the message they pressed. It is their card now if it
    has buttons; any other copy loses its buttons."""
    await show(update, context, screen)
    query = update.callback_query
    here = query.message.message_id if query is not None and query.message is not None else None
    keep = here if screen.markup is not None else None
    previous = await context.services.introductions.set_card(intro.id, viewer.id, keep)
    if previous is not None and previous != here:
        await edit_card(context, viewer, previous, None)


async def send_card(
    context: AmserContext, intro: Introduction, viewer: Member, screen: Screen
) -> None:
    """A new card, for a member who needs to hear about a change; the old one loses its
    buttons."""
    sent = await deliver_card(context, viewer, screen)
    previous = await context.services.introductions.set_card(intro.id, viewer.id, sent)
    if previous is not None:
        await edit_card(context, viewer, previous, None)


async def refresh_card(context: AmserContext, intro: Introduction, viewer: Member) -> None:
    """The member's card, changed in place to say how things stand (no new message)."""
    card = intro.card_of(viewer.id)
    if card is None:
        return
    screen = await card_screen(context.services, intro, viewer)
    if screen is None or screen.markup is None:
        await retire_card(context, intro, viewer)
    else:
        await edit_card(context, viewer, card, screen)


async def retire_card(context: AmserContext, intro: Introduction, viewer: Member) -> None:
    """The introduction is over for this member: their card keeps its words, not its buttons."""
    previous = await context.services.introductions.set_card(intro.id, viewer.id, None)
    if previous is not None:
        await edit_card(context, viewer, previous, None)
