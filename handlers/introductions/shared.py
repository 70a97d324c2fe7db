"""What several introduction screens share: lines about the other member, and looking the
introduction up again on every press (`party_press`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from html import escape
from typing import Any, Protocol

from telegram import Update

from bot.domain.membership import Status
from bot.runtime.context import AmserContext, Services
from bot.runtime.i18n import Translator
from handlers import details
from handlers.buttons import PressHandler
from handlers.common import Screen, show, tr_for
from storage.introductions import Introduction
from storage.listings import Listing
from storage.members import Member


def about(listing: Listing | None, tr: Translator) -> list[str]:
    if listing is None:
        return []
    return [tr.gettext("About: “{title}”").format(title=escape(listing.title))]


def summary(services: Services, other: Member, tr: Translator) -> list[str]:
    """What a member sees of someone before contact is shared: name, area, what they offer."""
    _ = tr.gettext
    return [
        _("Area: {area}").format(area=escape(details.area_label(services, other, tr))),
        _("Could offer: {offers}").format(offers=escape(details.offers_label(services, other, tr))),
        _("In their words: {text}").format(text=escape(other.offers_text or "—")),
    ]


def finished(services: Services, member: Member) -> Screen:
    return Screen(tr_for(services, member).gettext("This introduction has already finished."))


async def listing_of(services: Services, intro: Introduction) -> Listing | None:
    return await services.listings.get(intro.listing_id) if intro.listing_id else None


async def party(
    update: Update, context: AmserContext, intro_id: int
) -> tuple[Member, Introduction, Member] | None:
    """The presser, the introduction and the other member, if the presser is part of it."""
    member = await details.active_member(update, context)
    if member is None:
        return None
    services = context.services
    intro = await services.introductions.get(intro_id)
    other = await services.members.get(intro.other(member.id)) if intro else None
    if intro is None or other is None or not intro.involves(member.id):
        _ = tr_for(services, member).gettext
        await show(update, context, Screen(_("Sorry, I couldn't find that introduction.")))
        return None
    return member, intro, other


class _OnIntro(Protocol):
    @property
    def intro(self) -> int: ...


# What a press on an introduction does, given the presser, the introduction and the other member.
PartyAct = Callable[[Update, AmserContext, Member, Introduction, Member], Awaitable[None]]


def party_press(act: PartyAct) -> PressHandler[Any]:
    """Handle a press naming an introduction: `act` runs only if the presser is part of it."""

    async def pressed(update: Update, context: AmserContext, press: _OnIntro) -> None:
        found = await party(update, context, press.intro)
        if found is not None:
            await act(update, context, *found)

    return pressed


async def open_between(services: Services, intro: Introduction, other: Member) -> bool:
    """Messages and contacts may pass only in an accepted introduction with no block."""
    return (
        intro.status == "accepted"
        and other.status is Status.ACTIVE
        and other.telegram_id is not None
        and not await services.blocks.is_blocked_either_way(intro.owner_id, intro.responder_id)
    )
