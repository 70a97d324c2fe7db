"""/warn, /warns and /unwarn: coordinators warn a member with a reason; a warning counts until
it expires ([moderation] warn_expiry_days), and at the warn limit the bot pauses the member's
membership. The member is told each time, with a way to appeal."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from datetime import datetime
from html import escape

from telegram import Update

from bot.domain import N_
from bot.domain.membership import Status
from bot.domain.permissions import Action
from bot.domain.targets import reason_of
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers.access import authorised
from handlers.common import Screen, keyboard, say, tr_for
from handlers.credit_common import name_of
from handlers.moderation.appeals import appeal_button
from handlers.moderation.others import pausing
from handlers.moderation.sanctions import SUSPENDED
from handlers.moderation.shared import moment_words, reason_line, refusal, with_note
from handlers.moderation.target import Target, TargetedCommand
from handlers.notices import Recipient, register_notice
from storage.effects import follow_in
from storage.members import Member
from storage.moderation import GivenWarning, Warned, WarnRequest, warn_in
from storage.outbox import Notice, OutboxItem

COMMANDS = (
    Command("warn", N_("Warn a member, with a reason"), Action.WARN),
    Command("warns", N_("See a member's warnings"), Action.WARN),
    Command("unwarn", N_("Take back a member's newest warning"), Action.WARN),
)
WARNED = "moderation.warned"  # to the member: a warning, why, until when, and Appeal
UNWARNED = "moderation.unwarned"  # to the member: a warning taken back


async def may_warn(update: Update, context: AmserContext) -> Member | None:
    return await authorised(update, context, Action.WARN)


async def warn(update: Update, context: AmserContext, actor: Member, target: Target) -> None:
    services = context.services
    tr = tr_for(services, actor)
    member = target.member
    reason = reason_of(target.rest)
    problem = cannot_warn(services, tr, member, reason)
    if problem is not None:
        await say(update, context, Screen(problem))
        return
    warned = await give_warning(services, member, actor.id, reason)
    text = warned_words(services, tr, member, warned)
    await say(update, context, with_note(target, tr, text))


def cannot_warn(
    services: Services, tr: Translator, member: Member, reason: str | None
) -> str | None:
    """Why this member cannot be warned with this reason; None if they may be."""
    problem = refusal(services, tr, member, reason)
    if problem is None and member.status is not Status.ACTIVE:
        problem = tr.gettext(
            "{name} isn't an active member at the moment, so there is nothing to warn."
        ).format(name=name_of(member, tr))
    return problem


async def give_warning(
    services: Services,
    member: Member,
    actor_id: int | None,
    reason: str | None,
    *,
    chat_id: int | None = None,
    details: Mapping[str, object] | None = None,
) -> Warned:
    """A warning given by /warn, in private or in the group chat `chat_id` (`details`: who
    gave it, if not a member), in a write of its own."""
    now = services.clock.now()
    write = warning_in(services, member.id, actor_id, reason, now, chat_id=chat_id, details=details)
    return await services.db.write(write)


def warning_in(
    services: Services,
    member_id: int,
    actor_id: int | None,
    reason: str | None,
    now: datetime,
    *,
    chat_id: int | None = None,
    details: Mapping[str, object] | None = None,
) -> Callable[[sqlite3.Connection], Warned]:
    """The one way a warning is given, as one step of the caller's write (/warn's own, or a
    report's): its audit row, the member told with Appeal, and at the warn limit their
    suspension (told too, and the others in their introductions told kindly)."""
    config = services.config
    request = WarnRequest(
        member_id,
        actor_id,
        reason,
        config.warn_expiry_days,
        config.warn_limit,
        chat_id=chat_id,
        details=dict(details or {}),
        zone=config.timezone,
    )

    def told(warned: Warned) -> list[Notice]:
        notices = [Notice(WARNED, member_id=member_id, about=warned.warning.id)]
        if warned.suspension is not None:
            data = {"warn_limit": config.warn_limit}
            notices.append(Notice(SUSPENDED, member_id, None, warned.suspension.id, data))
        return notices

    def write(tx: sqlite3.Connection) -> Warned:
        warned = warn_in(tx, request, now, config.log_chat, pausing(now))
        return follow_in(tx, told, warned, now)

    return write


async def take_back_warning(
    services: Services,
    member: Member,
    actor_id: int | None,
    *,
    chat_id: int | None = None,
    details: Mapping[str, object] | None = None,
) -> GivenWarning | None:
    """The one way the newest warning is taken back (/unwarn in private or in the group chat),
    with its audit row and the member told; None if none counts."""
    return await services.moderation.unwarn(
        member.id,
        actor_id,
        services.clock.now(),
        services.config.log_chat,
        chat_id=chat_id,
        details=details,
        then=lambda w: [Notice(UNWARNED, member_id=member.id, about=w.id)] if w else [],
    )


def warned_words(services: Services, tr: Translator, member: Member, warned: Warned) -> str:
    """What the coordinator who warned is told: how many count now, and the warn limit."""
    _ = tr.gettext
    limit = services.config.warn_limit
    text = _("⚠️ {name} has been warned ({live} of {limit}). I've let them know why.").format(
        name=name_of(member, tr), live=warned.live, limit=limit
    )
    if warned.suspension is not None:
        text += "\n" + _(
            "That is the warn limit, so their membership is paused until a coordinator lifts "
            "it (/unsuspend)."
        )
    return text


async def warns(update: Update, context: AmserContext, actor: Member, target: Target) -> None:
    services = context.services
    tr = tr_for(services, actor)
    _ = tr.gettext
    name = name_of(target.member, tr)
    live = await services.moderation.live_warnings(target.member.id, services.clock.now())
    if not live:
        text = _("{name} has no warnings that count at the moment.").format(name=name)
        await say(update, context, with_note(target, tr, text))
        return
    lines = [
        _("<b>{name}'s warnings</b> ({live} of {limit})").format(
            name=name, live=len(live), limit=services.config.warn_limit
        )
    ]
    for warning in live:
        given = moment_words(services, tr, warning.given_at)
        until = moment_words(services, tr, warning.expires_at)
        why = escape(warning.reason) if warning.reason else _("no reason given")
        lines.append(
            _("• {given}: {reason} (counts until {until})").format(
                given=given, reason=why, until=until
            )
        )
    await say(update, context, with_note(target, tr, "\n".join(lines)))


async def unwarn(update: Update, context: AmserContext, actor: Member, target: Target) -> None:
    services = context.services
    tr = tr_for(services, actor)
    _ = tr.gettext
    member = target.member
    name = name_of(member, tr)
    lifted = await take_back_warning(services, member, actor.id)
    if lifted is None:
        text = _("{name} has no warnings that count, so there is nothing to take back.")
    else:
        text = _("✅ {name}'s newest warning has been taken back. I've let them know.")
    await say(update, context, with_note(target, tr, text.format(name=name)))


async def _live_warning(services: Services, item: OutboxItem) -> GivenWarning | None:
    warning = await services.moderation.warning_by_id(item.about or 0)
    if warning is None or not warning.times.live_at(services.clock.now()):
        return None
    return warning


async def _render_warned(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    """The warning, why, until when, and Appeal; nothing if it no longer counts."""
    warning = await _live_warning(services, item)
    if warning is None:
        return None
    tr = recipient.tr
    _ = tr.gettext
    community = escape(services.config.community_name)
    limit = services.config.warn_limit
    live = len(await services.moderation.live_warnings(warning.member_id, services.clock.now()))
    lines = [
        _("⚠️ <b>A warning from the coordinators of {community}</b>").format(community=community),
        "",
        reason_line(tr, warning.reason),
        _("It counts until {until}. You have {live} of {limit} warnings that count.").format(
            until=moment_words(services, tr, warning.expires_at), live=live, limit=limit
        ),
        _("At {limit}, your membership is paused until a coordinator lifts it.").format(
            limit=limit
        ),
        "",
        _("If you think this isn't fair, tap Appeal and tell us why."),
    ]
    b = appeal_button(services, recipient, warning_id=warning.id)
    return Screen("\n".join(lines), keyboard([b]))


async def _render_unwarned(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    _ = recipient.tr.gettext
    return Screen(_("✅ A warning you were given has been taken back by a coordinator."))


WARN = TargetedCommand("warn", may_warn, warn)
WARNS = TargetedCommand("warns", may_warn, warns)
UNWARN = TargetedCommand("unwarn", may_warn, unwarn)


def register(app: AmserApplication) -> None:
    for command in (WARN, WARNS, UNWARN):
        command.register(app)
    register_notice(app, WARNED, _render_warned)
    register_notice(app, UNWARNED, _render_unwarned)
