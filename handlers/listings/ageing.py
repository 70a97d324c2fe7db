"""What happens as a listing ages (due work): a warning before it closes, with Renew and Close
it; closing when its time is up; and a request nobody answered, flagged to the ambassadors."""

from __future__ import annotations

from datetime import timedelta
from html import escape

from bot.domain.listings import Kind, ListingStatus
from bot.runtime.context import AmserApplication, Services
from handlers.buttons import Buttons
from handlers.cards import card_text
from handlers.common import Screen, deliver, keyboard, tr_for
from handlers.credit_common import button_name
from handlers.listings.buttons import CloseMine, RenewMine
from storage.due_work import DueItem
from storage.listings import Listing
from storage.members import Member

WARNING_KIND, EXPIRY_KIND, UNANSWERED_KIND = (
    "listing_warning",
    "listing_expiry",
    "listing_unanswered",
)


async def schedule_ageing(services: Services, listing: Listing) -> None:
    """After posting, changing or renewing: the warning, the expiry and (for a request) the
    unanswered flag, each moved to the listing's new dates."""
    due = services.due_work
    config = services.config
    warn_at = listing.expires_at - timedelta(days=config.listing_warning_days)
    await due.schedule(
        f"listing-warning:{listing.id}",
        WARNING_KIND,
        max(warn_at, services.clock.now()),
        member_id=listing.member_id,
        payload={"listing": listing.id},
    )
    await due.schedule(
        f"listing-expiry:{listing.id}",
        EXPIRY_KIND,
        listing.expires_at,
        member_id=listing.member_id,
        payload={"listing": listing.id},
    )
    if listing.kind == Kind.REQUEST:
        await due.schedule(
            f"listing-unanswered:{listing.id}",
            UNANSWERED_KIND,
            listing.created_at + timedelta(days=config.unanswered_request_days),
            member_id=listing.member_id,
            payload={"listing": listing.id},
        )


async def _owned(services: Services, item: DueItem) -> tuple[Listing, Member] | None:
    listing_id = item.payload.get("listing")
    listing = await services.listings.get(listing_id) if isinstance(listing_id, int) else None
    if listing is None:
        return None
    owner = await services.members.get(listing.member_id)
    return (listing, owner) if owner is not None and owner.telegram_id is not None else None


async def warn_before_expiry(app: AmserApplication, item: DueItem) -> None:
    services = app.services
    found = await _owned(services, item)
    if found is None or found[0].status not in (ListingStatus.OPEN, ListingStatus.PAUSED):
        return
    listing, owner = found
    tr = tr_for(services, owner)
    _ = tr.gettext
    b = Buttons(services, owner.telegram_id or 0)
    text = _("Is this still needed? It closes in {days} days unless you renew it.").format(
        days=services.config.listing_warning_days
    )
    screen = Screen(
        text + "\n\n" + card_text(services, listing, tr, None),
        keyboard(
            [
                b(_("🔁 Renew"), RenewMine(listing.id)),
                b(_("✖️ Close it"), CloseMine(listing.id)),
            ]
        ),
    )
    await deliver(app, owner, screen)


async def expire(app: AmserApplication, item: DueItem) -> None:
    services = app.services
    found = await _owned(services, item)
    now = services.clock.now()
    if found is None or found[0].expires_at > now:
        return
    listing, owner = found
    if not await services.listings.set_status_if(
        listing.id, (ListingStatus.OPEN, ListingStatus.PAUSED), ListingStatus.EXPIRED, now
    ):
        return
    _ = tr_for(services, owner).gettext
    text = _(
        "“{title}” has now closed. Thank you for posting it. You can post it again any time "
        "with /offer or /request."
    ).format(title=escape(listing.title))
    await deliver(app, owner, Screen(text))


async def flag_unanswered(app: AmserApplication, item: DueItem) -> None:
    """A request with no helper after a week: ask the ambassadors to find someone."""
    services = app.services
    found = await _owned(services, item)
    if found is None or found[0].status != ListingStatus.OPEN:
        return
    listing, owner = found
    if await services.listings.has_accepted_introduction(listing.id):
        return
    days = services.config.unanswered_request_days
    staff = sorted(services.config.ambassadors | services.config.admins)
    for telegram_id in staff:
        person = await services.members.by_telegram_id(telegram_id)
        if person is None:
            continue
        tr = tr_for(services, person)
        text = tr.ngettext(
            "This request has had no helper for {days} day. Could you find someone? "
            "Send /unanswered to introduce a helper.",
            "This request has had no helper for {days} days. Could you find someone? "
            "Send /unanswered to introduce a helper.",
            days,
        ).format(days=days)
        card = card_text(services, listing, tr, button_name(owner, tr))
        await deliver(app, person, Screen(f"{text}\n\n{card}"))


def register(app: AmserApplication) -> None:
    app.due_work_runner.register(WARNING_KIND, warn_before_expiry)
    app.due_work_runner.register(EXPIRY_KIND, expire)
    app.due_work_runner.register(UNANSWERED_KIND, flag_unanswered)
