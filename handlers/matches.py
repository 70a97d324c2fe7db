"""Match notices: telling the members who fit best about a new listing, privately, at a kind
time; "Not this time"; and /notices, where members turn notices on or off or pick the kinds.

The ranking is `bot.domain.matching`; the candidates and the queue are `storage.matching`. A notice
is planned in the same write that posts its listing; one allowed now is marked sent with its
message in the outbox, in that write. One held back by quiet hours or the daily cap waits in
the queue, and one due-work item (the earliest queued time) moves it to the outbox later.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime, timedelta

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.config import Config
from bot.domain import N_
from bot.domain.listings import Kind, ListingStatus
from bot.domain.matching import day_start, rank, send_after
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers.buttons import ButtonData, Buttons, add_presses
from handlers.cards import card_text
from handlers.common import Screen, keyboard, pairs, say, show, tr_for
from handlers.details import active_member
from handlers.introductions.presses import Respond
from handlers.menu import back_to_menu
from handlers.notices import Recipient, register_notice
from handlers.support.buttons import StartReport
from storage.due_work import DueItem
from storage.effects import Cancel, Effect, Schedule, apply_in
from storage.listings import Listing
from storage.matching import NoticePreferences, next_due_in, record_in, send_due_in, touch_in
from storage.members import Member
from storage.outbox import Notice, OutboxItem
from storage.reports import ReportAbout

logger = logging.getLogger(__name__)

COMMANDS = (Command("notices", N_("Match notices: on, off or which kinds")),)

DUE_KIND = "match_notices"
DUE_KEY = "match-notices"
FAIRNESS_WINDOW = timedelta(days=7)
PURPOSE = "match.notice"

Planned = list[tuple[int, float, datetime]]  # member id, score, when it may be sent


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


async def plan(services: Services, listing: Listing) -> Planned:
    """Whom to tell about a listing (posted, or about to be), and when: the best few who fit
    (config.notify_best), each at a kind time (quiet hours, daily cap). Only reads."""
    config = services.config
    if listing.status != ListingStatus.OPEN:
        return []
    now = services.clock.now()
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
    return [
        (ranked.candidate.member_id, ranked.score, _when(config, now, ranked.candidate.sent_today))
        for ranked in best
    ]


def announce_in(
    tx: sqlite3.Connection, config: Config, listing: Listing, planned: Planned, now: datetime
) -> None:
    """Queue a listing's notices inside the write that posts it: those allowed now go to the
    outbox, the rest wait for the morning or a new day. Nobody is ever told twice."""
    touch_in(tx, listing.member_id, now)
    record_in(tx, listing.id, planned, now)
    _send_due_in(tx, config, now, listing.id)


def _send_due_in(
    tx: sqlite3.Connection, config: Config, now: datetime, listing_id: int | None = None
) -> None:
    """Every queued notice whose time has come (of one listing, or all) marked sent with its
    message in the outbox, in the same write; then the one due-work item moved to the earliest
    still waiting."""
    sent = send_due_in(
        tx,
        now,
        day_start(now, config.timezone),
        lambda sent_today: _when(config, now, sent_today),
        listing_id,
    )
    notices: list[Effect] = [
        Notice(
            PURPOSE,
            member_id=notice.member_id,
            about=notice.listing_id,
            data={"notice": notice.id},
            key=f"match-notice:{notice.id}",
        )
        for notice in sent
    ]
    when = next_due_in(tx)
    later = Cancel(DUE_KEY) if when is None else Schedule(DUE_KEY, DUE_KIND, when)
    apply_in(tx, [*notices, later], now)


async def send_queued(app: AmserApplication, item: DueItem) -> None:
    """Due work: the morning after quiet hours, or a new day after the cap."""
    services = app.services
    now = services.clock.now()
    await services.db.write(lambda tx: _send_due_in(tx, services.config, now))


# --- what the notice says ------------------------------------------------------------------


async def _render_notice(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    """Worded as it is sent; nothing if the listing closed or the member may no longer be told."""
    notice_id = item.data.get("notice")
    notice = await services.matching.get(notice_id) if isinstance(notice_id, int) else None
    if notice is None or not await services.matching.deliverable(notice.id):
        return None
    listing = await services.listings.get(notice.listing_id)
    if listing is None:
        return None
    return notice_screen(services, recipient.tr, recipient.chat_id, listing, notice.id)


def notice_screen(
    services: Services, tr: Translator, telegram_id: int, listing: Listing, notice_id: int
) -> Screen:
    """The listing as the recipient should see it, in their language, with what they can do."""
    _ = tr.gettext
    b = Buttons(services, telegram_id)
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
        keyboard(
            [b(yes, Respond(listing.id)), b(_("Not this time"), NotThisTime(notice_id))],
            [b(_("🚩 Report"), StartReport(ReportAbout.LISTING, listing.id))],
        ),
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
    register_notice(app, PURPOSE, _render_notice)
