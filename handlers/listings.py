"""Offers and requests: posting them through a short guided flow with a preview, managing
your own (/mylistings), and what happens as they age (a warning, expiry, an unanswered flag)."""

from __future__ import annotations

import logging
from datetime import timedelta
from enum import StrEnum
from html import escape

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.domain.listings import AVAILABILITY, DETAILS_MAX, REMOTE, TITLE_MAX, Kind, ListingStatus
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from handlers import matches
from handlers.cards import card_text
from handlers.common import (
    Buttons,
    Screen,
    button_handler,
    deliver_to,
    keyboard,
    pairs,
    say,
    show,
    typed_answer,
)
from handlers.details import active_member
from handlers.menu import main_menu
from storage.drafts import Draft
from storage.due_work import DueItem
from storage.listings import Listing
from storage.members import ELSEWHERE, Member

logger = logging.getLogger(__name__)

COMMANDS = (
    Command("offer", N_("Offer to help with something")),
    Command("request", N_("Ask for help with something")),
    Command("mylistings", N_("Your offers and requests")),
)

STEP_PREFIX = "listing"
ANY_TIME = "any"
DURATIONS = (7, 14, 30, 60)
WARNING_KIND, EXPIRY_KIND, UNANSWERED_KIND = (
    "listing_warning",
    "listing_expiry",
    "listing_unanswered",
)


class Field(StrEnum):
    CATEGORY = "category"
    TITLE = "title"
    DETAILS = "details"
    PLACE = "place"
    AVAILABILITY = "availability"
    DAYS = "days"


ORDER = tuple(Field)
TEXT_LIMITS = {Field.TITLE: TITLE_MAX, Field.DETAILS: DETAILS_MAX}
PREVIEW = "preview"


# --- showing a listing -----------------------------------------------------------------------


# --- writing a listing -------------------------------------------------------------------------


def _field(member: Member) -> str | None:
    prefix, _sep, rest = (member.step or "").partition(":")
    return rest if prefix == STEP_PREFIX else None


def _complete(draft: Draft) -> bool:
    return all(getattr(draft, field) is not None for field in ORDER)


def question(services: Services, member: Member, draft: Draft, field: str) -> Screen:
    assert member.telegram_id is not None
    tr = services.catalogs[member.language]
    _ = tr.gettext
    b = Buttons(services, member.telegram_id)
    offering = draft.kind == Kind.OFFER
    back = [b(_("« Back"), "ls", field, "back")]
    if field == Field.CATEGORY:
        text = (
            _("What kind of help could you offer?")
            if offering
            else _("What kind of help do you need?")
        )
        choices = [
            b(c.label(tr.language), "ls", field, "set", c.key) for c in services.config.categories
        ]
        return Screen(text, keyboard(*pairs(choices), [b(_("Cancel"), "ls", field, "cancel")]))
    if field == Field.TITLE:
        text = (
            _("In a few words, what could you do? For example: “Help with your garden”.")
            if offering
            else _("In a few words, what do you need? For example: “Help with my garden”.")
        )
        return Screen(
            text + "\n" + _("(Up to {limit} characters.)").format(limit=TITLE_MAX), keyboard(back)
        )
    if field == Field.DETAILS:
        text = _(
            "Tell people a little more (up to {limit} characters). Please don't include your "
            "phone number or address: we'll introduce you safely."
        ).format(limit=DETAILS_MAX)
        return Screen(text, keyboard(back))
    if field == Field.PLACE:
        choices = [
            b(a.label(tr.language), "ls", field, "set", a.key) for a in services.config.areas
        ]
        choices.append(b(_("Somewhere else"), "ls", field, "set", ELSEWHERE))
        remote = [b(_("Remotely or by phone"), "ls", field, "set", REMOTE)]
        return Screen(_("Where?"), keyboard(*pairs(choices), remote, back))
    if field == Field.AVAILABILITY:
        choices = [b(_(label), "ls", field, "set", key) for key, label in AVAILABILITY.items()]
        anytime = [b(_("Any time"), "ls", field, "set", ANY_TIME)]
        return Screen(_("When suits you best?"), keyboard(*pairs(choices), anytime, back))
    if field == Field.DAYS:
        choices = [
            b(tr.ngettext("{n} day", "{n} days", days).format(n=days), "ls", field, "set", days)
            for days in DURATIONS
        ]
        return Screen(_("How long should it stay up?"), keyboard(*pairs(choices), back))
    return preview(services, member, draft)


def preview(services: Services, member: Member, draft: Draft) -> Screen:
    assert member.telegram_id is not None
    tr = services.catalogs[member.language]
    _ = tr.gettext
    b = Buttons(services, member.telegram_id)
    text = "\n\n".join(
        [
            _("<b>Here's how it will look:</b>"),
            card_text(services, draft, tr, member.display_name),
            tr.ngettext(
                "It will stay up for {n} day.", "It will stay up for {n} days.", draft.days or 0
            ).format(n=draft.days),
        ]
    )
    post = _("✅ Save changes") if draft.listing_id else _("✅ Post it")
    return Screen(
        text,
        keyboard(
            [b(post, "ls", PREVIEW, "post")],
            [
                b(_("✏️ Change something"), "ls", PREVIEW, "edit"),
                b(_("Cancel"), "ls", PREVIEW, "cancel"),
            ],
        ),
    )


def edit_choice(services: Services, member: Member) -> Screen:
    assert member.telegram_id is not None
    _ = services.catalogs[member.language].gettext
    b = Buttons(services, member.telegram_id)
    labels = {
        Field.CATEGORY: _("Kind of help"),
        Field.TITLE: _("Title"),
        Field.DETAILS: _("Details"),
        Field.PLACE: _("Where"),
        Field.AVAILABILITY: _("When"),
        Field.DAYS: _("How long"),
    }
    options = [b(label, "ls", PREVIEW, "change", field) for field, label in labels.items()]
    return Screen(
        _("What would you like to change?"),
        keyboard(*pairs(options), [b(_("« Back"), "ls", PREVIEW, "show")]),
    )


async def _ask(
    update: Update,
    context: AmserContext,
    member: Member,
    draft: Draft,
    field: str,
    *,
    new: bool = False,
    note: str | None = None,
) -> None:
    services = context.services
    if _field(member) != field:
        member = await services.members.update(
            member.id, services.clock.now(), step=f"{STEP_PREFIX}:{field}"
        )
    screen = question(services, member, draft, field)
    await (say if new else show)(update, context, screen.after(note) if note else screen)


async def _next(
    update: Update,
    context: AmserContext,
    member: Member,
    draft: Draft,
    done: str,
    *,
    new: bool = False,
) -> None:
    """After an answer: the next question while writing; the preview once everything is there."""
    if _complete(draft):
        await _ask(update, context, member, draft, PREVIEW, new=new)
        return
    following = next(f for f in ORDER if getattr(draft, f) is None)
    await _ask(update, context, member, draft, following, new=new)


async def start_listing(update: Update, context: AmserContext, kind: Kind, *, new: bool) -> None:
    member = await active_member(update, context)
    if member is None:
        return
    draft = await context.services.drafts.start(member.id, kind, context.services.clock.now())
    await _ask(update, context, member, draft, Field.CATEGORY, new=new)


async def offer_command(update: Update, context: AmserContext) -> None:
    await start_listing(update, context, Kind.OFFER, new=True)


async def request_command(update: Update, context: AmserContext) -> None:
    await start_listing(update, context, Kind.REQUEST, new=True)


async def on_step_button(update: Update, context: AmserContext, parts: list[str]) -> None:
    services = context.services
    member = await active_member(update, context)
    if member is None:
        return
    if parts[:1] == ["new"] and len(parts) == 2 and parts[1] in (Kind.OFFER, Kind.REQUEST):
        await start_listing(update, context, Kind(parts[1]), new=False)
        return
    draft = await services.drafts.get(member.id)
    field = _field(member)
    if draft is None or field is None or len(parts) < 2 or parts[0] != field:
        await _stale(update, context, member, draft)
        return
    action, rest, now = parts[1], parts[2:], services.clock.now()
    if action == "cancel":
        await _discard(update, context, member)
    elif action == "back":
        await _back(update, context, member, draft, field)
    elif action == "set" and rest and _valid_choice(services, field, rest[0]):
        value: object = int(rest[0]) if field == Field.DAYS else rest[0]
        draft = await services.drafts.set(member.id, now, **{field: value})
        await _next(update, context, member, draft, field)
    elif field == PREVIEW and action == "show":
        await _ask(update, context, member, draft, PREVIEW)
    elif field == PREVIEW and action == "edit":
        await show(update, context, edit_choice(services, member))
    elif field == PREVIEW and action == "change" and rest and rest[0] in ORDER:
        await _ask(update, context, member, draft, rest[0])
    elif field == PREVIEW and action == "post" and _complete(draft):
        await _post(update, context, member, draft)
    else:
        await _stale(update, context, member, draft)


def _valid_choice(services: Services, field: str, value: str) -> bool:
    if field == Field.CATEGORY:
        return services.config.category(value) is not None
    if field == Field.PLACE:
        return value in (REMOTE, ELSEWHERE) or services.config.area(value) is not None
    if field == Field.AVAILABILITY:
        return value == ANY_TIME or value in AVAILABILITY
    if field == Field.DAYS:
        return value.isdigit() and int(value) in DURATIONS
    return False


async def _back(
    update: Update, context: AmserContext, member: Member, draft: Draft, field: str
) -> None:
    if _complete(draft) and field != PREVIEW:
        await _ask(update, context, member, draft, PREVIEW)
        return
    index = ORDER.index(Field(field)) if field in ORDER else len(ORDER)
    if index == 0:
        await _discard(update, context, member)
        return
    await _ask(update, context, member, draft, ORDER[index - 1])


async def _stale(
    update: Update, context: AmserContext, member: Member, draft: Draft | None
) -> None:
    _ = context.services.catalogs[member.language].gettext
    field = _field(member)
    if draft is None or field is None:
        await say(
            update,
            context,
            main_menu(context.services, member).after(_("That button is from an earlier message.")),
        )
        return
    await _ask(
        update,
        context,
        member,
        draft,
        field,
        new=True,
        note=_("That button is from an earlier question. Here's where we are now:"),
    )


async def _discard(update: Update, context: AmserContext, member: Member) -> None:
    services = context.services
    await services.drafts.discard(member.id)
    member = await services.members.update(member.id, services.clock.now(), step=None)
    _ = services.catalogs[member.language].gettext
    await show(
        update, context, main_menu(services, member).after(_("Cancelled: nothing was posted."))
    )


async def handle_input(update: Update, context: AmserContext, member: Member) -> None:
    """Typed text while writing a listing: the title or the details, checked and kept."""
    services = context.services
    _ = services.catalogs[member.language].gettext
    draft = await services.drafts.get(member.id)
    field = _field(member)
    if draft is None or field is None:
        member = await services.members.update(member.id, services.clock.now(), step=None)
        await say(update, context, main_menu(services, member))
        return
    assert update.message is not None
    if field not in TEXT_LIMITS:
        await _ask(
            update,
            context,
            member,
            draft,
            field,
            new=True,
            note=_("Please choose from the buttons below."),
        )
        return
    limit = TEXT_LIMITS[Field(field)]
    tr = services.catalogs[member.language]
    value, problem = typed_answer(update.message, tr, limit, one_line=field == Field.TITLE)
    if problem is not None:
        await _ask(update, context, member, draft, field, new=True, note=problem)
        return
    draft = await services.drafts.set(member.id, services.clock.now(), **{field: value})
    await _next(update, context, member, draft, field, new=True)


async def _post(update: Update, context: AmserContext, member: Member, draft: Draft) -> None:
    services = context.services
    now = services.clock.now()
    days = draft.days or services.config.listing_days
    availability = None if draft.availability == ANY_TIME else draft.availability
    assert draft.category and draft.title and draft.details and draft.place
    fields = dict(
        category=draft.category,
        title=draft.title,
        details=draft.details,
        place=draft.place,
        availability=availability,
    )
    editing = draft.listing_id is not None
    if draft.listing_id is not None:
        listing = await services.listings.update(
            draft.listing_id, now, expires_at=now + timedelta(days=days), **fields
        )
    else:
        listing = await services.listings.create(
            member.id, draft.kind, now=now, expires_at=now + timedelta(days=days), **fields
        )
    await services.drafts.discard(member.id)
    member = await services.members.update(member.id, now, step=None)
    await schedule_ageing(services, listing)
    _ = services.catalogs[member.language].gettext
    note = (
        _("Saved. Thank you!")
        if editing
        else _(
            "Posted! Thank you. We'll let the people who fit best know, and tell you when someone "
            "responds."
        )
    )
    await show(update, context, Screen(note))
    await say(update, context, main_menu(services, member))
    if not editing:
        await matches.announce(context, listing)


# --- ageing: a warning before the end, expiry, and requests nobody answered ----------------------


async def schedule_ageing(services: Services, listing: Listing) -> None:
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
    listing = await services.listings.get(int(item.payload.get("listing", 0)))
    if listing is None:
        return None
    owner = await services.members.get(listing.member_id)
    if owner is None or owner.telegram_id is None:
        return None
    return listing, owner


async def warn_before_expiry(app: AmserApplication, item: DueItem) -> None:
    services = app.services
    found = await _owned(services, item)
    if found is None or found[0].status not in (ListingStatus.OPEN, ListingStatus.PAUSED):
        return
    listing, owner = found
    assert owner.telegram_id is not None
    tr = services.catalogs[owner.language]
    _ = tr.gettext
    b = Buttons(services, owner.telegram_id)
    text = _("Is this still needed? It closes in {days} days unless you renew it.").format(
        days=services.config.listing_warning_days
    )
    await app.bot.send_message(
        owner.telegram_id,
        text + "\n\n" + card_text(services, listing, tr, None),
        reply_markup=keyboard(
            [
                b(_("🔁 Renew"), "ml", "renew", listing.id),
                b(_("✖️ Close it"), "ml", "close", listing.id),
            ]
        ),
    )


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
    assert owner.telegram_id is not None
    _ = services.catalogs[owner.language].gettext
    await app.bot.send_message(
        owner.telegram_id,
        _(
            "“{title}” has now closed. Thank you for posting it. You can post it again any time "
            "with /offer or /request."
        ).format(title=escape(listing.title)),
    )


async def flag_unanswered(app: AmserApplication, item: DueItem) -> None:
    """A request with no helper after a week: ask the ambassadors to find someone."""
    services = app.services
    found = await _owned(services, item)
    if found is None or found[0].status != ListingStatus.OPEN:
        return
    listing, owner = found
    if await services.listings.has_accepted_introduction(listing.id):
        return
    staff = sorted(services.config.ambassadors | services.config.admins)
    for telegram_id in staff:
        person = await services.members.by_telegram_id(telegram_id)
        if person is None:
            continue
        tr = services.catalogs[person.language]
        text = tr.ngettext(
            "This request has had no helper for {days} day. Could you find someone? "
            "Send /unanswered to introduce a helper.",
            "This request has had no helper for {days} days. Could you find someone? "
            "Send /unanswered to introduce a helper.",
            services.config.unanswered_request_days,
        ).format(days=services.config.unanswered_request_days)
        card = card_text(services, listing, tr, owner.display_name)
        await deliver_to(app, telegram_id, Screen(f"{text}\n\n{card}"))


# --- your own listings -------------------------------------------------------------------------


STATUS_LABELS = {
    ListingStatus.OPEN: N_("open"),
    ListingStatus.PAUSED: N_("paused"),
    ListingStatus.MATCHED: N_("matched"),
}


def my_listings(services: Services, member: Member, listings: list[Listing]) -> Screen:
    assert member.telegram_id is not None
    _ = services.catalogs[member.language].gettext
    b = Buttons(services, member.telegram_id)
    new = [
        b(_("🙋 Offer help"), "ls", "new", Kind.OFFER),
        b(_("🤝 Ask for help"), "ls", "new", Kind.REQUEST),
    ]
    if not listings:
        return Screen(_("You have no offers or requests up at the moment."), keyboard(new))
    rows = [
        [
            b(
                _listing_label(item, _(STATUS_LABELS[ListingStatus(item.status)])),
                "ml",
                "card",
                item.id,
            )
        ]
        for item in listings[:20]
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
    assert member.telegram_id is not None
    tr = services.catalogs[member.language]
    _ = tr.gettext
    b = Buttons(services, member.telegram_id)
    pause = (
        b(_("▶️ Resume"), "ml", "resume", listing.id)
        if listing.status == ListingStatus.PAUSED
        else b(_("⏸ Pause"), "ml", "pause", listing.id)
    )
    until = _("Up until {date}.").format(
        date=listing.expires_at.astimezone(services.config.timezone).strftime("%d/%m/%Y")
    )
    return Screen(
        card_text(services, listing, tr, None) + "\n\n" + until,
        keyboard(
            [b(_("✏️ Change it"), "ml", "edit", listing.id), pause],
            [
                b(_("🔁 Renew"), "ml", "renew", listing.id),
                b(_("✖️ Close it"), "ml", "close", listing.id),
            ],
            [b(_("« Back"), "ml", "list")],
        ),
    )


async def mylistings_command(update: Update, context: AmserContext) -> None:
    member = await active_member(update, context)
    if member is not None:
        listings = await context.services.listings.by_member(member.id)
        await say(update, context, my_listings(context.services, member, listings))


async def on_my_button(update: Update, context: AmserContext, parts: list[str]) -> None:
    services = context.services
    member = await active_member(update, context)
    if member is None:
        return
    _ = services.catalogs[member.language].gettext
    action = parts[0] if parts else ""
    if action == "list" or len(parts) != 2 or not parts[1].isdigit():
        await show(
            update,
            context,
            my_listings(services, member, await services.listings.by_member(member.id)),
        )
        return
    listing = await services.listings.get(int(parts[1]))
    if listing is None or listing.member_id != member.id:  # checked again: never someone else's
        await show(
            update,
            context,
            my_listings(services, member, await services.listings.by_member(member.id)),
        )
        return
    now = services.clock.now()
    live = (ListingStatus.OPEN, ListingStatus.PAUSED, ListingStatus.MATCHED)
    note: str | None = None
    if action == "edit" and listing.status in live:
        draft = await services.drafts.start_from(listing, now)
        draft = await services.drafts.set(
            member.id,
            now,
            days=services.config.listing_days,
            availability=listing.availability or ANY_TIME,
        )
        await _ask(update, context, member, draft, PREVIEW)
        return
    if action == "pause":
        await services.listings.set_status_if(
            listing.id, (ListingStatus.OPEN,), ListingStatus.PAUSED, now
        )
        note = _("Paused: nobody will see it until you resume it.")
    elif action == "resume":
        await services.listings.set_status_if(
            listing.id, (ListingStatus.PAUSED,), ListingStatus.OPEN, now
        )
        note = _("It's up again.")
    elif action == "close":
        if await services.listings.set_status_if(listing.id, live, ListingStatus.CLOSED, now):
            note = _("Closed. Thank you! You can post it again any time.")
        else:
            note = _("That one is already closed.")
        await show(
            update,
            context,
            my_listings(services, member, await services.listings.by_member(member.id)).after(note),
        )
        return
    elif action == "renew":
        renewed_until = now + timedelta(days=services.config.listing_days)
        if await services.listings.set_status_if(
            listing.id,
            (*live, ListingStatus.EXPIRED),
            ListingStatus.OPEN,
            now,
            expires_at=renewed_until,
        ):
            listing = await services.listings.get(listing.id) or listing
            await schedule_ageing(services, listing)
        note = _("Renewed: it stays up for another {days} days.").format(
            days=services.config.listing_days
        )
    listing = await services.listings.get(listing.id) or listing
    screen = my_card(services, member, listing)
    await show(update, context, screen.after(note) if note else screen)


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("offer", offer_command, filters.ChatType.PRIVATE))
    app.add_handler(CommandHandler("request", request_command, filters.ChatType.PRIVATE))
    app.add_handler(CommandHandler("mylistings", mylistings_command, filters.ChatType.PRIVATE))
    app.add_handler(button_handler("ls", on_step_button))
    app.add_handler(button_handler("ml", on_my_button))
    app.input_handlers[STEP_PREFIX] = handle_input
    app.due_work_runner.register(WARNING_KIND, warn_before_expiry)
    app.due_work_runner.register(EXPIRY_KIND, expire)
    app.due_work_runner.register(UNANSWERED_KIND, flag_unanswered)
