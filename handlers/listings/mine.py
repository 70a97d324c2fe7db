"""/mylistings: a member's own offers and requests, and what they can do to each one: change
it, pause and resume it, close it, or renew it for another stretch."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any, Protocol

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.domain.listings import Kind, ListingStatus
from bot.runtime.context import AmserApplication, AmserContext, Services
from handlers.buttons import Buttons, PressHandler, add_presses
from handlers.cards import card_text
from handlers.common import Screen, keyboard, say, show, tr_for
from handlers.details import active_member
from handlers.listings.ageing import ageing
from handlers.listings.buttons import (
    ChangeMine,
    CloseMine,
    OpenMine,
    PauseMine,
    RenewMine,
    ResumeMine,
    ShowMine,
    StartPosting,
)
from handlers.listings.post import LIVE, start_changing
from storage.listings import Listing
from storage.members import Member

SHOWN = 20  # a phone screen of buttons; members rarely have more than a few up

STATUS_LABELS = {
    ListingStatus.OPEN: N_("open"),
    ListingStatus.PAUSED: N_("paused"),
    ListingStatus.MATCHED: N_("matched"),
}


def my_listings(services: Services, member: Member, listings: list[Listing]) -> Screen:
    _ = tr_for(services, member).gettext
    b = Buttons(services, member.telegram_id or 0)
    new = [
        b(_("🙋 Offer help"), StartPosting(Kind.OFFER)),
        b(_("🤝 Ask for help"), StartPosting(Kind.REQUEST)),
    ]
    if not listings:
        return Screen(_("You have no offers or requests up at the moment."), keyboard(new))
    rows = [
        [b(_listing_label(item, _(STATUS_LABELS[ListingStatus(item.status)])), OpenMine(item.id))]
        for item in listings[:SHOWN]
    ]
    return Screen(
        _("<b>Your offers and requests</b>\nTap one to change, pause, close or renew it."),
        keyboard(*rows, new),
    )


def _listing_label(listing: Listing, status: str) -> str:
    """A button label (plain text, so nothing to escape): icon, title and status."""
    icon = "🙋" if listing.kind == Kind.OFFER else "🤝"
    return f"{icon} {listing.title} ({status})"


def my_card(services: Services, member: Member, listing: Listing) -> Screen:
    tr = tr_for(services, member)
    _ = tr.gettext
    b = Buttons(services, member.telegram_id or 0)
    pause = (
        b(_("▶️ Resume"), ResumeMine(listing.id))
        if listing.status == ListingStatus.PAUSED
        else b(_("⏸ Pause"), PauseMine(listing.id))
    )
    until = _("Up until {date}.").format(
        date=listing.expires_at.astimezone(services.config.timezone).strftime("%d/%m/%Y")
    )
    return Screen(
        card_text(services, listing, tr, None) + "\n\n" + until,
        keyboard(
            [b(_("✏️ Change it"), ChangeMine(listing.id)), pause],
            [b(_("🔁 Renew"), RenewMine(listing.id)), b(_("✖️ Close it"), CloseMine(listing.id))],
            [b(_("« Back"), ShowMine())],
        ),
    )


async def _list_screen(services: Services, member: Member) -> Screen:
    return my_listings(services, member, await services.listings.by_member(member.id))


async def _show_list(
    update: Update, context: AmserContext, member: Member, note: str | None = None
) -> None:
    screen = await _list_screen(context.services, member)
    await show(update, context, screen.after(note) if note else screen)


async def _show_card(
    update: Update, context: AmserContext, member: Member, listing_id: int, note: str | None
) -> None:
    listing = await context.services.listings.get(listing_id)
    if listing is None:
        await _show_list(update, context, member)
        return
    screen = my_card(context.services, member, listing)
    await show(update, context, screen.after(note) if note else screen)


class _OnListing(Protocol):
    @property
    def listing(self) -> int: ...


Own = Callable[[Update, AmserContext, Member, Listing], Awaitable[None]]


def _own(act: Own) -> PressHandler[Any]:
    """A press on one of the member's own listings; someone else's (or a gone one) shows their
    own list instead."""

    async def pressed(update: Update, context: AmserContext, press: _OnListing) -> None:
        member = await active_member(update, context)
        if member is None:
            return
        listing = await context.services.listings.get(press.listing)
        if listing is None or listing.member_id != member.id:
            await _show_list(update, context, member)
            return
        await act(update, context, member, listing)

    return pressed


# --- commands and buttons ----------------------------------------------------------------------


async def mylistings_command(update: Update, context: AmserContext) -> None:
    member = await active_member(update, context)
    if member is not None:
        await say(update, context, await _list_screen(context.services, member))


async def on_show_mine(update: Update, context: AmserContext, press: ShowMine) -> None:
    member = await active_member(update, context)
    if member is not None:
        await _show_list(update, context, member)


async def _open(update: Update, context: AmserContext, member: Member, listing: Listing) -> None:
    await _show_card(update, context, member, listing.id, None)


async def _change(update: Update, context: AmserContext, member: Member, listing: Listing) -> None:
    if listing.status in LIVE:
        await start_changing(update, context, member, listing)
    else:
        note = tr_for(context.services, member).gettext("That one is already closed.")
        await _show_list(update, context, member, note)


def _switch(before: ListingStatus, after: ListingStatus, note: str) -> Own:
    """Pause or Resume: one status to another (a repeated tap changes nothing), then the card."""

    async def act(update: Update, context: AmserContext, member: Member, listing: Listing) -> None:
        services = context.services
        await services.listings.set_status_if(listing.id, (before,), after, services.clock.now())
        said = tr_for(services, member).gettext(note)
        await _show_card(update, context, member, listing.id, said)

    return act


async def _close(update: Update, context: AmserContext, member: Member, listing: Listing) -> None:
    services = context.services
    _ = tr_for(services, member).gettext
    if await services.listings.set_status_if(
        listing.id, LIVE, ListingStatus.CLOSED, services.clock.now()
    ):
        note = _("Closed. Thank you! You can post it again any time.")
    else:
        note = _("That one is already closed.")
    await _show_list(update, context, member, note)


async def _renew(update: Update, context: AmserContext, member: Member, listing: Listing) -> None:
    services = context.services
    now = services.clock.now()
    days = services.config.listing_days
    renewed = replace(listing, status=ListingStatus.OPEN, expires_at=now + timedelta(days=days))
    await services.listings.set_status_if(
        listing.id,
        (*LIVE, ListingStatus.EXPIRED),
        ListingStatus.OPEN,
        now,
        expires_at=renewed.expires_at,
        then=lambda moved: ageing(services.config, renewed, now) if moved else [],
    )
    note = tr_for(services, member).gettext("Renewed: it stays up for another {days} days.")
    await _show_card(update, context, member, listing.id, note.format(days=days))


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("mylistings", mylistings_command, filters.ChatType.PRIVATE))
    paused = N_("Paused: nobody will see it until you resume it.")
    resumed = N_("It's up again.")
    add_presses(
        app,
        {
            ShowMine: on_show_mine,
            OpenMine: _own(_open),
            ChangeMine: _own(_change),
            PauseMine: _own(_switch(ListingStatus.OPEN, ListingStatus.PAUSED, paused)),
            ResumeMine: _own(_switch(ListingStatus.PAUSED, ListingStatus.OPEN, resumed)),
            CloseMine: _own(_close),
            RenewMine: _own(_renew),
        },
    )
