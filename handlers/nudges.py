"""Gentle nudges, each of which a member can turn off ("What I hear about"): their request still
open a while ("Is this still needed?"), and after a quiet spell, "What could you offer this
month?". (The reminder of an exchange waiting for their answer is the exchange's own follow-up,
handlers/log, honouring the same preferences.) All are due work and outbox notices, held in
quiet hours, and checked again when they are sent."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from html import escape

from telegram import Update

from bot.config import Config
from bot.domain.broadcasts import Hearing
from bot.domain.listings import Kind, ListingStatus
from bot.domain.nudges import quiet_since, request_nudge_at, still_quiet
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from handlers.broadcasts.delivery import stop_button
from handlers.buttons import ButtonData, Buttons, add_presses
from handlers.cards import card_text
from handlers.common import Screen, keyboard, show, tr_for
from handlers.credit_common import name_of
from handlers.details import active_member
from handlers.listings.buttons import CloseMine, RenewMine, StartBrowsing, StartPosting
from handlers.notices import Recipient, after_quiet_hours, register_notice
from storage.due_work import DueItem
from storage.effects import Effect, Schedule
from storage.listings import Listing
from storage.nudges import Quiet
from storage.outbox import Notice, OutboxItem, Priority
from storage.timestamps import from_db, to_db

COMMANDS: tuple[Command, ...] = ()

REQUEST_KIND = "request_nudge"  # due work: one per request
QUIET_KIND, QUIET_KEY = "quiet_nudges", "nudges:quiet"  # standing due work: the daily look
REQUEST, QUIET = "nudge.request", "nudge.quiet"  # notices
QUIET_EVERY = timedelta(days=1)
QUIET_BATCH = 500  # members nudged per write; a fuller pass comes back at once for the rest


class NotNow(ButtonData, prefix="nd:later"):
    """ "Not now" under "What could you offer this month?"."""


def with_stop(services: Services, recipient: Recipient, screen: Screen, kind: Hearing) -> Screen:
    """The screen with "Stop these" for its kind of nudge under its own buttons."""
    rows = [list(row) for row in screen.markup.inline_keyboard] if screen.markup else []
    return Screen(screen.text, keyboard(*rows, [stop_button(services, recipient, kind)]))


async def wanted(services: Services, recipient: Recipient, kind: Hearing) -> bool:
    """The member still wants this kind (they may have turned it off since it was queued)."""
    member = recipient.member
    return member is not None and await services.preferences.wants(member.id, kind)


# --- their request, still open ---------------------------------------------------------------


def request_key(listing_id: int) -> str:
    return f"request-nudge:{listing_id}"


def request_nudge(config: Config, listing: Listing, now: datetime) -> list[Effect]:
    """With a request posted or changed: "Is this still needed?" once, some days after posting
    (nothing once that has passed, as when it is renewed later)."""
    if listing.kind != Kind.REQUEST:
        return []
    when = request_nudge_at(listing.created_at, config.request_nudge_days, now)
    if when is None:
        return []
    payload = {"listing": listing.id}
    return [Schedule(request_key(listing.id), REQUEST_KIND, when, listing.member_id, payload)]


async def ask_about_request(app: AmserApplication, item: DueItem) -> Iterable[Effect]:
    services = app.services
    listing_id = item.payload.get("listing")
    listing = await services.listings.get(listing_id) if isinstance(listing_id, int) else None
    if listing is None or listing.status != ListingStatus.OPEN:
        return ()
    if not await services.preferences.wants(listing.member_id, Hearing.REQUEST_NUDGES):
        return ()
    now = services.clock.now()
    return [
        Notice(
            REQUEST,
            member_id=listing.member_id,
            about=listing.id,
            key=f"{REQUEST}:{listing.id}",
            not_before=after_quiet_hours(services.config, now),
        )
    ]


async def _render_request(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    listing = await services.listings.get(item.about or 0)
    if listing is None or listing.status != ListingStatus.OPEN:
        return None  # closed, paused or expired meanwhile
    if not await wanted(services, recipient, Hearing.REQUEST_NUDGES):
        return None
    tr = recipient.tr
    _ = tr.gettext
    b = Buttons(services, recipient.chat_id)
    days = (item.created_at - listing.created_at).days
    text = tr.ngettext(
        "Your request has been open for {days} day. Is this still needed?",
        "Your request has been open for {days} days. Is this still needed?",
        days,
    ).format(days=days)
    screen = Screen(
        f"{text}\n\n{card_text(services, listing, tr, None)}",
        keyboard(
            [
                b(_("👍 Keep it open"), RenewMine(listing.id)),
                b(_("✖️ Close it"), CloseMine(listing.id)),
            ]
        ),
    )
    return with_stop(services, recipient, screen, Hearing.REQUEST_NUDGES)


# --- a quiet spell ---------------------------------------------------------------------------


def _quiet_notices(config: Config, now: datetime, quiet: list[Quiet]) -> list[Effect]:
    when = after_quiet_hours(config, now)
    return [
        Notice(
            QUIET,
            member_id=member.member_id,
            data={"active_at": to_db(member.active_at)},
            priority=Priority.BULK,
            key=f"{QUIET}:{member.member_id}:{to_db(member.active_at)}",
            not_before=when,
        )
        for member in quiet
    ]


async def look_for_quiet(app: AmserApplication, item: DueItem) -> Iterable[Effect]:
    """The daily look for members quiet a while, nudged once each per quiet spell."""
    services = app.services
    config = services.config
    now = services.clock.now()
    quiet = await services.nudges.nudge_quiet(
        now,
        quiet_since(now, config.quiet_nudge_days),
        QUIET_BATCH,
        then=lambda found: _quiet_notices(config, now, found),
    )
    again = now if len(quiet) == QUIET_BATCH else now + QUIET_EVERY
    return [Schedule(QUIET_KEY, QUIET_KIND, again)]


async def _render_quiet(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    member = recipient.member
    then = from_db(item.data.get("active_at"))
    if (
        member is None
        or then is None
        or not await wanted(services, recipient, Hearing.QUIET_NUDGES)
    ):
        return None
    now_active = await services.nudges.active_at(member.id)
    if now_active is None or not still_quiet(then, now_active):
        return None  # they came back meanwhile
    tr = recipient.tr
    _ = tr.gettext
    b = Buttons(services, recipient.chat_id)
    text = _(
        "Hello {name}! It's been a while, and we'd love to hear from you. "
        "<b>What could you offer this month?</b> An hour of company, a lift, a hand in the "
        "garden: every bit counts at {community}."
    ).format(
        name=name_of(member, tr),
        community=escape(services.config.community_name),
    )
    screen = Screen(
        text,
        keyboard(
            [b(_("🙋 Offer help"), StartPosting(Kind.OFFER))],
            [b(_("🔎 Browse"), StartBrowsing()), b(_("Not now"), NotNow())],
        ),
    )
    return with_stop(services, recipient, screen, Hearing.QUIET_NUDGES)


async def on_not_now(update: Update, context: AmserContext, press: NotNow) -> None:
    member = await active_member(update, context)
    if member is None:
        return
    text = tr_for(context.services, member).gettext(
        "No problem at all. We're here whenever you're ready: /start shows everything you can do."
    )
    await show(update, context, Screen(text))


async def schedule_standing(app: AmserApplication) -> None:
    """At start-up: the daily look, unless already scheduled (it reschedules itself)."""
    services = app.services
    await services.due_work.ensure(QUIET_KEY, QUIET_KIND, services.clock.now() + QUIET_EVERY)


def register(app: AmserApplication) -> None:
    app.due_work_runner.register(REQUEST_KIND, ask_about_request)
    app.due_work_runner.register(QUIET_KIND, look_for_quiet)
    app.startup.append(schedule_standing)
    register_notice(app, REQUEST, _render_request)
    register_notice(app, QUIET, _render_quiet)
    add_presses(app, {NotNow: on_not_now})
