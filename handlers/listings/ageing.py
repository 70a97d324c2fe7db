"""What happens as a listing ages (due work): a warning before it closes, with Renew and Close
it; closing when its time is up; and a request nobody answered, flagged to the ambassadors.
Each writes its messages to the outbox; their words are chosen when they are sent."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from html import escape

from bot.config import Config
from bot.domain.listings import Kind, ListingStatus
from bot.runtime.context import AmserApplication, Services
from handlers.buttons import Buttons
from handlers.cards import card_text
from handlers.common import Screen, keyboard
from handlers.credit_common import button_name
from handlers.listings.buttons import CloseMine, RenewMine
from handlers.notices import Recipient, register_notice
from handlers.nudges import request_nudge
from storage.due_work import DueItem
from storage.effects import Effect, Schedule
from storage.listings import Listing
from storage.outbox import Notice, OutboxItem

WARNING_KIND, EXPIRY_KIND, UNANSWERED_KIND = (
    "listing_warning",
    "listing_expiry",
    "listing_unanswered",
)
WARNING, EXPIRED, UNANSWERED = "listing.warning", "listing.expired", "listing.unanswered"


def ageing(config: Config, listing: Listing, now: datetime) -> list[Effect]:
    """After posting, changing or renewing: the warning, the expiry and (for a request) the
    unanswered flag and the "still needed?" nudge, each moved to the listing's new dates
    (written with the change)."""
    warn_at = listing.expires_at - timedelta(days=config.listing_warning_days)
    about = {"listing": listing.id}
    work: list[Effect] = [
        Schedule(
            f"listing-warning:{listing.id}",
            WARNING_KIND,
            max(warn_at, now),
            member_id=listing.member_id,
            payload=about,
        ),
        Schedule(
            f"listing-expiry:{listing.id}",
            EXPIRY_KIND,
            listing.expires_at,
            member_id=listing.member_id,
            payload=about,
        ),
    ]
    if listing.kind == Kind.REQUEST:
        work.append(
            Schedule(
                f"listing-unanswered:{listing.id}",
                UNANSWERED_KIND,
                listing.created_at + timedelta(days=config.unanswered_request_days),
                member_id=listing.member_id,
                payload=about,
            )
        )
    return [*work, *request_nudge(config, listing, now)]


async def _listing(services: Services, data: dict[str, object]) -> Listing | None:
    listing_id = data.get("listing")
    return await services.listings.get(listing_id) if isinstance(listing_id, int) else None


async def _owned(services: Services, item: DueItem) -> Listing | None:
    """The item's listing, if its owner can still be told anything."""
    listing = await _listing(services, item.payload)
    if listing is None:
        return None
    owner = await services.members.get(listing.member_id)
    return listing if owner is not None and owner.telegram_id is not None else None


def _to_owner(purpose: str, listing: Listing) -> Notice:
    return Notice(purpose, member_id=listing.member_id, about=listing.id)


async def warn_before_expiry(app: AmserApplication, item: DueItem) -> Iterable[Effect]:
    listing = await _owned(app.services, item)
    if listing is None or listing.status not in (ListingStatus.OPEN, ListingStatus.PAUSED):
        return ()
    return [_to_owner(WARNING, listing)]


async def expire(app: AmserApplication, item: DueItem) -> None:
    services = app.services
    listing = await _owned(services, item)
    now = services.clock.now()
    if listing is None or listing.expires_at > now:
        return
    await services.listings.set_status_if(
        listing.id,
        (ListingStatus.OPEN, ListingStatus.PAUSED),
        ListingStatus.EXPIRED,
        now,
        then=lambda closed: [_to_owner(EXPIRED, listing)] if closed else [],
    )


async def flag_unanswered(app: AmserApplication, item: DueItem) -> Iterable[Effect]:
    """A request with no helper after a week: ask the ambassadors to find someone."""
    services = app.services
    listing = await _owned(services, item)
    if listing is None or listing.status != ListingStatus.OPEN:
        return ()
    if await services.listings.has_accepted_introduction(listing.id):
        return ()
    staff = await services.staff.telegram_ids()
    people = [await services.members.by_telegram_id(telegram_id) for telegram_id in staff]
    return [
        Notice(UNANSWERED, member_id=person.id, about=listing.id)
        for person in people
        if person is not None
    ]


# --- what they say -----------------------------------------------------------------------------


async def _render_warning(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    listing = await services.listings.get(item.about or 0)
    if listing is None or listing.status not in (ListingStatus.OPEN, ListingStatus.PAUSED):
        return None
    tr = recipient.tr
    _ = tr.gettext
    b = Buttons(services, recipient.chat_id)
    text = _("Is this still needed? It closes in {days} days unless you renew it.").format(
        days=services.config.listing_warning_days
    )
    return Screen(
        text + "\n\n" + card_text(services, listing, tr, None),
        keyboard(
            [
                b(_("🔁 Renew"), RenewMine(listing.id)),
                b(_("✖️ Close it"), CloseMine(listing.id)),
            ]
        ),
    )


async def _render_expired(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    listing = await services.listings.get(item.about or 0)
    if listing is None or listing.status != ListingStatus.EXPIRED:
        return None  # renewed meanwhile, or gone
    text = recipient.tr.gettext(
        "“{title}” has now closed. Thank you for posting it. You can post it again any time "
        "with /offer or /request."
    ).format(title=escape(listing.title))
    return Screen(text)


async def _render_unanswered(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    listing = await services.listings.get(item.about or 0)
    if listing is None or listing.status != ListingStatus.OPEN:
        return None
    if await services.listings.has_accepted_introduction(listing.id):
        return None
    owner = await services.members.get(listing.member_id)
    if owner is None:
        return None
    tr = recipient.tr
    days = services.config.unanswered_request_days
    text = tr.ngettext(
        "This request has had no helper for {days} day. Could you find someone? "
        "Send /unanswered to introduce a helper.",
        "This request has had no helper for {days} days. Could you find someone? "
        "Send /unanswered to introduce a helper.",
        days,
    ).format(days=days)
    card = card_text(services, listing, tr, button_name(owner, tr))
    return Screen(f"{text}\n\n{card}")


def register(app: AmserApplication) -> None:
    app.due_work_runner.register(WARNING_KIND, warn_before_expiry)
    app.due_work_runner.register(EXPIRY_KIND, expire)
    app.due_work_runner.register(UNANSWERED_KIND, flag_unanswered)
    register_notice(app, WARNING, _render_warning)
    register_notice(app, EXPIRED, _render_expired)
    register_notice(app, UNANSWERED, _render_unanswered)
