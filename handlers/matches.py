"""Match notices: telling the members who fit best about a new listing, privately, at a kind
time; "Not this time"; and /notices, where members turn notices on or off or pick the kinds.

The ranking is `bot.domain.matching`; the candidates and the queue are `storage.matching`. A notice
held back by quiet hours or the daily cap waits in the queue, and one due-work item (the
earliest queued time) sends it later.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import CommandHandler, filters

from bot.config import Config
from bot.domain import N_
from bot.domain.listings import Kind, ListingStatus
from bot.domain.matching import day_start, rank, send_after
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from handlers.buttons import ButtonData, Buttons, add_presses
from handlers.cards import card_text
from handlers.common import Screen, deliver, keyboard, pairs, say, show, tr_for
from handlers.details import active_member
from handlers.introductions.presses import Respond
from handlers.menu import back_to_menu
from storage.due_work import DueItem
from storage.listings import Listing
from storage.matching import Notice, NoticePreferences
from storage.members import Member

logger = logging.getLogger(__name__)

COMMANDS = (Command("notices", N_("Match notices: on, off or which kinds")),)

DUE_KIND = "match_notices"
DUE_KEY = "match-notices"
FAIRNESS_WINDOW = timedelta(days=7)
RETRY_DELAY = timedelta(minutes=5)


class NotThisTime(ButtonData, prefix="mt:no"):
    notice: int


class ShowNotices(ButtonData, prefix="mt:show"):
    """/notices from a button (the profile's "🔔 Match notices")."""


class SwitchNotices(ButtonData, prefix="mt:all"):
    """ "🔔 Turn notices on" / "🔕 Turn notices off": says what the tap makes true."""

    on: bool


class SwitchKind(ButtonData, prefix="mt:cat"):
    """One kind of help on or off; says what the tap makes true, so a double tap is harmless."""

    category: str
    on: bool


def _application(target: AmserContext | AmserApplication) -> AmserApplication:
    if isinstance(target, AmserApplication):
        return target
    application = target.application
    if not isinstance(application, AmserApplication):
        raise TypeError("match notices need the Amser application")
    return application


def _when(config: Config, now: datetime, sent_today: int) -> datetime:
    return send_after(
        now,
        config.timezone,
        config.quiet_hours_start,
        config.quiet_hours_end,
        sent_today,
        config.daily_notice_cap,
    )


# --- telling the members who fit ---------------------------------------------------------------


async def announce(target: AmserContext | AmserApplication, listing: Listing) -> int:
    """Call right after a listing is posted: rank the members who fit, queue a notice for the
    best few (config.notify_best), send those allowed now and leave the rest for later (quiet
    hours, daily cap). Calling it again for the same listing tells nobody twice. Returns how
    many members were newly queued or told."""
    app = _application(target)
    services = app.services
    config = services.config
    if listing.status != ListingStatus.OPEN:
        return 0
    now = services.clock.now()
    await services.matching.touch(listing.member_id, now)
    candidates = await services.matching.candidates(
        listing, day_start(now, config.timezone), now - FAIRNESS_WINDOW
    )
    best = rank(
        candidates,
        place=listing.place,
        availability=listing.availability,
        now=now,
        limit=config.notify_best,
    )
    if best:
        planned = [
            (
                ranked.candidate.member_id,
                ranked.score,
                _when(config, now, ranked.candidate.sent_today),
            )
            for ranked in best
        ]
        await services.matching.record(listing.id, planned, now)
        await deliver_due(app, listing_id=listing.id)
    await _schedule_next(services)
    return len(best)


async def deliver_due(app: AmserApplication, listing_id: int | None = None) -> int:
    """Send every queued notice whose time has come (of one listing, or all); returns how many
    were sent. Each is checked again: still wanted, still under the cap, not in quiet hours."""
    services = app.services
    sent = 0
    while batch := await services.matching.due(services.clock.now(), listing_id):
        for notice in batch:
            sent += await _deliver(app, notice)
    return sent


async def _deliver(app: AmserApplication, notice: Notice) -> bool:
    services = app.services
    config = services.config
    matching = services.matching
    now = services.clock.now()
    if not await matching.deliverable(notice.id):
        await matching.drop(notice.id)
        return False
    since_day = day_start(now, config.timezone)
    when = _when(config, now, await matching.sent_since(notice.member_id, since_day))
    if when > now:
        await matching.postpone(notice.id, when)
        return False
    if not await matching.claim(notice, now, since_day, config.daily_notice_cap):
        current = await matching.get(notice.id)
        if current is not None and current.status == "queued":  # the cap filled meanwhile
            await matching.postpone(notice.id, _when(config, now, config.daily_notice_cap))
        return False
    member = await services.members.get(notice.member_id)
    listing = await services.listings.get(notice.listing_id)
    try:
        delivered = (
            member is not None
            and listing is not None
            and await deliver(app, member, notice_screen(services, member, listing, notice.id))
        )
    except TelegramError as exc:
        logger.warning("match notice %s not sent, will retry: %s", notice.id, exc)
        await matching.unclaim(notice.id)
        await matching.postpone(notice.id, now + RETRY_DELAY)
        return False
    if not delivered:
        logger.info("match notice %s cannot reach member %s", notice.id, notice.member_id)
        await matching.unclaim(notice.id)
        await matching.drop(notice.id)
    return delivered


async def _schedule_next(services: Services) -> None:
    """One due-work item, at the earliest queued notice's time."""
    when = await services.matching.next_due()
    if when is None:
        await services.due_work.cancel(DUE_KEY)
    else:
        await services.due_work.schedule(DUE_KEY, DUE_KIND, when)


async def send_queued(app: AmserApplication, item: DueItem) -> None:
    """Due work: the morning after quiet hours, or a new day after the cap."""
    await deliver_due(app)
    await _schedule_next(app.services)


# --- what the notice says ------------------------------------------------------------------


def notice_screen(services: Services, member: Member, listing: Listing, notice_id: int) -> Screen:
    """The listing as the recipient should see it, in their language, with what they can do."""
    tr = tr_for(services, member)
    _ = tr.gettext
    b = Buttons(services, member.telegram_id or 0)
    if listing.kind == Kind.REQUEST:
        heading, yes = _("<b>Could you help with this?</b>"), _("🙋 I can help")
    else:
        heading, yes = _("<b>This might be what you asked for</b>"), _("🙋 I'd like this")
    lines = [
        heading,
        "",
        card_text(services, listing, tr, None),
        "",
        _("Nothing about you is shared until you both agree."),
    ]
    return Screen(
        "\n".join(lines),
        keyboard([b(yes, Respond(listing.id)), b(_("Not this time"), NotThisTime(notice_id))]),
    )


# --- /notices: on, off, and which kinds -------------------------------------------------------


def notices_screen(services: Services, member: Member, prefs: NoticePreferences) -> Screen:
    tr = tr_for(services, member)
    _ = tr.gettext
    b = Buttons(services, member.telegram_id or 0)
    config = services.config
    if not prefs.enabled:
        text = _(
            "<b>Match notices</b>\n"
            "Match notices are off, so we won't tell you about requests or offers that fit "
            "you. You can turn them on again at any time."
        )
        return Screen(
            text,
            keyboard(
                [b(_("🔔 Turn notices on"), SwitchNotices(on=True))], back_to_menu(services, member)
            ),
        )
    cap = config.daily_notice_cap
    text = "\n".join(
        [
            _("<b>Match notices</b>"),
            tr.ngettext(
                "When someone asks for help that fits what you offer, or offers something you "
                "asked for, we'll tell you here: at most {count} a day, and never between "
                "{start} and {end}.",
                "When someone asks for help that fits what you offer, or offers something you "
                "asked for, we'll tell you here: at most {count} a day, and never between "
                "{start} and {end}.",
                cap,
            ).format(
                count=cap,
                start=f"{config.quiet_hours_start:%H:%M}",
                end=f"{config.quiet_hours_end:%H:%M}",
            ),
            "",
            _("✓ means you hear about that kind. Tap a kind to change it."),
        ]
    )
    # Each button says what the tap will make true, so a repeated tap changes nothing.
    kinds = [
        b(
            ("✓ " if prefs.wants(category.key) else "") + category.label(member.language),
            SwitchKind(category.key, on=not prefs.wants(category.key)),
        )
        for category in config.categories
    ]
    return Screen(
        text,
        keyboard(
            *pairs(kinds),
            [b(_("🔕 Turn notices off"), SwitchNotices(on=False))],
            back_to_menu(services, member),
        ),
    )


async def notices_command(update: Update, context: AmserContext) -> None:
    member = await active_member(update, context)
    if member is None:
        return
    prefs = await context.services.matching.preferences(member.id)
    await say(update, context, notices_screen(context.services, member, prefs))


async def _show_notices(
    update: Update,
    context: AmserContext,
    member: Member,
    prefs: NoticePreferences | None = None,
    note: str | None = None,
) -> None:
    """The member's /notices screen, as the preferences now are unless given."""
    if prefs is None:
        prefs = await context.services.matching.preferences(member.id)
    screen = notices_screen(context.services, member, prefs)
    await show(update, context, screen.after(note) if note else screen)


async def on_show(update: Update, context: AmserContext, press: ShowNotices) -> None:
    member = await active_member(update, context)
    if member is not None:
        await _show_notices(update, context, member)


async def on_switch(update: Update, context: AmserContext, press: SwitchNotices) -> None:
    member = await active_member(update, context)
    if member is not None:
        prefs = await context.services.matching.set_enabled(member.id, press.on)
        await _show_notices(update, context, member, prefs)


async def on_switch_kind(update: Update, context: AmserContext, press: SwitchKind) -> None:
    member = await active_member(update, context)
    if member is None:
        return
    services = context.services
    every = frozenset(category.key for category in services.config.categories)
    if press.category not in every:  # a kind no longer offered: show things as they are
        await _show_notices(update, context, member)
        return
    changed = await services.matching.set_category(member.id, press.category, press.on, every)
    if changed is not None:
        await _show_notices(update, context, member, changed)
        return
    note = tr_for(services, member).gettext(
        "At least one kind needs to stay on. To stop all match notices, tap “Turn notices off”."
    )
    await _show_notices(update, context, member, note=note)


async def on_not_this_time(update: Update, context: AmserContext, press: NotThisTime) -> None:
    member = await active_member(update, context)
    if member is None:
        return
    services = context.services
    _ = tr_for(services, member).gettext
    notice = await services.matching.get(press.notice)
    if notice is None or notice.member_id != member.id:
        logger.warning("member %s pressed another member's notice %s", member.id, press.notice)
        text = _("Sorry, that button doesn't work any more. Send /start to carry on.")
        await say(update, context, Screen(text))
        return
    await services.matching.touch(member.id, services.clock.now())
    if await services.matching.decline(notice.id, member.id) or notice.status == "declined":
        text = _("Thank you for letting us know. We'll tell you about the next one that fits.")
    else:
        text = _("You've already answered this one. Thank you!")
    await show(update, context, Screen(text))


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("notices", notices_command, filters.ChatType.PRIVATE))
    add_presses(
        app,
        {
            NotThisTime: on_not_this_time,
            ShowNotices: on_show,
            SwitchNotices: on_switch,
            SwitchKind: on_switch_kind,
        },
    )
    app.due_work_runner.register(DUE_KIND, send_queued)
