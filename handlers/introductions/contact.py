"""Sharing Telegram contacts, only when both members have agreed; until then each can say
"Not yet", or take their agreement back."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from telegram import Update

from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers.buttons import add_presses
from handlers.common import Screen, tr_for, username_of
from handlers.credit_common import name_of
from handlers.introductions.cards import (
    card_notice,
    introduction_screen,
    refresh_card,
    show_card,
)
from handlers.introductions.presses import NotYet, Share
from handlers.introductions.shared import (
    PartyAct,
    finished,
    listing_of,
    open_between,
    party_press,
)
from handlers.notices import Recipient, register_notice
from storage.introductions import Changed, Introduction
from storage.members import Member
from storage.outbox import Notice, OutboxItem

CONTACT = "introduction.contact"  # the other member's contact, once both have agreed


def contact_screen(tr: Translator, other: Member, username: str | None) -> Screen:
    _ = tr.gettext
    contact = f'<a href="tg://user?id={other.telegram_id}">{name_of(other, tr)}</a>'
    if username:
        contact += f" (@{escape(username)})"
    return Screen(
        "\n".join(
            [
                _("<b>You've both agreed to share contacts.</b>"),
                _("You can now talk to {contact} on Telegram directly.").format(contact=contact),
                "",
                _(
                    "Please remember: meet somewhere public the first time, and never handle "
                    "bank cards, PINs or cash."
                ),
            ]
        )
    )


def _while_open(act: PartyAct) -> PartyAct:
    """Only in an accepted introduction still open between them; else say it has finished."""

    async def checked(
        update: Update, context: AmserContext, member: Member, intro: Introduction, other: Member
    ) -> None:
        if not await open_between(context.services, intro, other):
            await show_card(update, context, intro, member, finished(context.services, member))
            return
        await act(update, context, member, intro, other)

    return checked


def _shared(member: Member, other: Member) -> Callable[[Changed], list[Notice]]:
    """What follows the member's yes: each one's contact for the other once both have agreed
    (only the yes that completed it gets here, so each goes once), else the other's new card
    asking them."""

    def then(result: Changed) -> list[Notice]:
        intro = result.introduction
        if not result.changed:
            return []  # already agreed (a double tap, or an old copy): nothing more happens
        if not intro.both_share:
            return [card_notice(intro, other.id)]
        key = f"introduction:{intro.id}:contact"
        return [
            Notice(CONTACT, member_id=viewer, about=intro.id, key=f"{key}:{viewer}")
            for viewer in (member.id, other.id)
        ]

    return then


async def _share(
    update: Update, context: AmserContext, member: Member, intro: Introduction, other: Member
) -> None:
    services = context.services
    result = await services.introductions.set_share(
        intro.id, member.id, True, services.clock.now(), then=_shared(member, other)
    )
    intro = result.introduction
    listing = await listing_of(services, intro)
    await show_card(
        update, context, intro, member, introduction_screen(services, intro, member, other, listing)
    )
    if result.changed and intro.both_share:
        await refresh_card(context, intro, other)  # it no longer asks them to share


async def _not_yet(
    update: Update, context: AmserContext, member: Member, intro: Introduction, other: Member
) -> None:
    services = context.services
    _ = tr_for(services, member).gettext
    result = await services.introductions.set_share(
        intro.id, member.id, False, services.clock.now()
    )
    intro = result.introduction
    listing = await listing_of(services, intro)
    screen = introduction_screen(services, intro, member, other, listing)
    if intro.both_share:
        note = _("You've both shared your contacts already, so this can't be undone.")
    else:
        note = _("Okay, your Telegram contact stays private.")
    await show_card(update, context, intro, member, screen.after(note))
    if result.changed:
        await refresh_card(context, intro, other)  # it no longer says they would like to share


def register(app: AmserApplication) -> None:
    async def render_contact(
        services: Services, recipient: Recipient, item: OutboxItem
    ) -> Screen | None:
        """Looked up and worded when sent, so a failed lookup is tried again with the send."""
        intro = await services.introductions.get(item.about or 0)
        viewer = recipient.member
        if intro is None or viewer is None or not intro.involves(viewer.id):
            return None
        other = await services.members.get(intro.other(viewer.id))
        if other is None or other.telegram_id is None or not intro.both_share:
            return None
        if await services.blocks.is_blocked_either_way(intro.owner_id, intro.responder_id):
            return None
        return contact_screen(recipient.tr, other, await username_of(app.bot, other))

    register_notice(app, CONTACT, render_contact)
    add_presses(
        app,
        {Share: party_press(_while_open(_share)), NotYet: party_press(_while_open(_not_yet))},
    )
