"""Sharing Telegram contacts, only when both members have agreed; until then each can say
"Not yet", or take their agreement back."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.error import BadRequest, Forbidden

from bot.runtime.context import AmserApplication, AmserContext, Services
from handlers.buttons import add_presses
from handlers.common import Screen, deliver, tr_for
from handlers.credit_common import name_of
from handlers.introductions.cards import (
    introduction_screen,
    refresh_card,
    send_card,
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
from storage.introductions import Introduction
from storage.members import Member


def contact_screen(
    services: Services, viewer: Member, other: Member, username: str | None
) -> Screen:
    tr = tr_for(services, viewer)
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


async def _share(
    update: Update, context: AmserContext, member: Member, intro: Introduction, other: Member
) -> None:
    services = context.services
    result = await services.introductions.set_share(intro.id, member.id, True, services.clock.now())
    intro = result.introduction
    listing = await listing_of(services, intro)
    await show_card(
        update, context, intro, member, introduction_screen(services, intro, member, other, listing)
    )
    if not result.changed:
        return  # already agreed (a double tap, or an old copy): nothing more happens
    if intro.both_share:
        # Only the press that completed the agreement gets here, so each contact goes out once.
        await deliver(
            context,
            member,
            contact_screen(services, member, other, await _username(context, other)),
        )
        await deliver(
            context, other, contact_screen(services, other, member, _presser_username(update))
        )
        await refresh_card(context, intro, other)
    else:
        await send_card(
            context, intro, other, introduction_screen(services, intro, other, member, listing)
        )


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


def _presser_username(update: Update) -> str | None:
    return update.effective_user.username if update.effective_user else None


async def _username(context: AmserContext, member: Member) -> str | None:
    """The member's @username if Telegram tells us; nothing is stored."""
    if member.telegram_id is None:
        return None
    try:
        chat = await context.bot.get_chat(member.telegram_id)
    except (BadRequest, Forbidden):
        return None
    return chat.username


def register(app: AmserApplication) -> None:
    add_presses(
        app,
        {Share: party_press(_while_open(_share)), NotYet: party_press(_while_open(_not_yet))},
    )
