"""/suspend, /unsuspend and /ban: coordinators pause a member's membership (for a time, or until
lifted) or remove them from the time bank. A suspended member keeps their balance but cannot
post, be introduced, log time or send messages through Amser, and their listings are hidden;
the others in their open introductions are told kindly, never why. A ban also closes their
listings and ends their introductions, and bans them from the community's group chats (due
work written with the ban; handlers/groups/bank_bans.py); the ledger is kept. A timed
suspension ends by itself (due work, kept across restarts)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from html import escape

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.domain.membership import Status
from bot.domain.moderation import length_and_reason, until
from bot.domain.permissions import Action
from bot.domain.targets import command_arguments, reason_of, split_arguments
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers import forms
from handlers.access import authorised
from handlers.common import Screen, keyboard, say, tr_for
from handlers.credit_common import name_of
from handlers.moderation.appeals import appeal_button
from handlers.moderation.others import pausing, resumed_notices
from handlers.moderation.shared import moment_words, reason_line, refusal, with_note
from handlers.moderation.target import Target, TargetedCommand
from handlers.notices import Recipient, register_notice
from storage.due_work import DueItem
from storage.effects import Effect, apply_in
from storage.members import Member
from storage.moderation import (
    END_KIND,
    Sanction,
    SanctionKind,
    SanctionRequest,
    sanction_in,
)
from storage.outbox import Notice, OutboxItem

COMMANDS = (
    Command(
        "suspend", N_("Pause a member's membership, for a time or until lifted"), Action.SUSPEND
    ),
    Command("unsuspend", N_("Lift a member's suspension"), Action.SUSPEND),
    Command("ban", N_("Remove a member from the time bank"), Action.BAN),
)
SUSPENDED = "moderation.suspended"  # to the member: paused or removed, why, until when, Appeal
LIFTED = "moderation.lifted"  # to the member: active again


async def may_suspend(update: Update, context: AmserContext) -> Member | None:
    return await authorised(update, context, Action.SUSPEND)


async def may_ban(update: Update, context: AmserContext) -> Member | None:
    return await authorised(update, context, Action.BAN)


async def unsuspend_command(update: Update, context: AmserContext) -> None:
    actor = await may_suspend(update, context)
    if actor is not None and not await _lift_bar(update, context, actor):
        await UNSUSPEND.about(update, context, actor)


async def _lift_bar(update: Update, context: AmserContext, actor: Member) -> bool:
    """/unsuspend <Telegram id> of someone banned who then erased themselves: only their id's
    digest is left, and lifting it lets the account join again; False if it isn't that."""
    services = context.services
    message = update.effective_message
    number = split_arguments(command_arguments(message.text or "") if message else "").telegram_id
    if number is None or await services.members.by_telegram_id(number) is not None:
        return False
    now = services.clock.now()
    if not await services.barred.lift(number, actor.id, now, services.config.log_chat):
        return False
    _ = tr_for(services, actor).gettext
    text = _(
        "✅ Telegram id {number} belonged to someone who was banned and then erased their "
        "details. The ban is lifted: they can join again with /start, as someone new."
    ).format(number=number)
    await say(update, context, Screen(text))
    return True


async def suspend(update: Update, context: AmserContext, actor: Member, target: Target) -> None:
    services = context.services
    tr = tr_for(services, actor)
    _ = tr.gettext
    member = target.member
    asked = length_and_reason(target.rest)
    if asked.unreadable is not None:
        text = _(
            "I couldn't read “{words}” as a length of time. Try, for example, 3d, 1w, 12h or "
            "2 weeks, or leave it out to suspend until you lift it. Nothing has been changed."
        ).format(words=escape(asked.unreadable))
        await say(update, context, Screen(text))
        return
    problem = refusal(services, tr, member, asked.reason)
    if problem is not None:
        await say(update, context, Screen(problem))
        return
    now = services.clock.now()
    ends = until(now, asked.minutes)
    request = SanctionRequest(member.id, SanctionKind.SUSPEND, actor.id, asked.reason, ends)
    done = await services.db.write(sanctioning_in(services, request, now))
    await say(update, context, with_note(target, tr, suspended_words(services, tr, member, done)))


def suspended_words(
    services: Services, tr: Translator, member: Member, done: Sanction | None
) -> str:
    """What the coordinator who suspended is told: until when, or that nothing changed."""
    _ = tr.gettext
    name = name_of(member, tr)
    if done is None:
        return _(
            "{name} is already suspended or isn't an active member. Nothing has been changed."
        ).format(name=name)
    if done.until is None:
        return _(
            "⏸ {name} is suspended until you lift it (/unsuspend). I've let them know why."
        ).format(name=name)
    return _("⏸ {name} is suspended until {until}. I've let them know why.").format(
        name=name, until=moment_words(services, tr, done.until)
    )


async def ban(update: Update, context: AmserContext, actor: Member, target: Target) -> None:
    services = context.services
    tr = tr_for(services, actor)
    _ = tr.gettext
    member = target.member
    reason = reason_of(target.rest)
    problem = refusal(services, tr, member, reason)
    if problem is not None:
        await say(update, context, Screen(problem))
        return
    request = SanctionRequest(member.id, SanctionKind.BAN, actor.id, reason, None)
    done = await services.db.write(sanctioning_in(services, request, services.clock.now()))
    if done is None:
        text = _("{name} is already banned or isn't a member. Nothing has been changed.")
    else:
        text = _(
            "⛔ {name} has been removed from the time bank: their offers and requests are "
            "closed and their introductions ended; their time credits are kept. I've let them "
            "know why."
        )
        if await services.groups.present():
            text += "\n" + _("I'm also removing them from the community's group chats.")
    await say(update, context, with_note(target, tr, text.format(name=name_of(member, tr))))


def sanctioning_in(
    services: Services, request: SanctionRequest, now: datetime
) -> Callable[[sqlite3.Connection], Sanction | None]:
    """A suspension or ban and all it writes, as one step of the caller's write (/suspend's
    or /ban's own, or a report's): its audit row, the member told with Appeal, and the others
    in their introductions told kindly; None if nothing changed."""

    def write(tx: sqlite3.Connection) -> Sanction | None:
        done = sanction_in(tx, request, now, services.config.log_chat, pausing(now))
        told = [Notice(SUSPENDED, member_id=done.member_id, about=done.id)] if done else []
        apply_in(tx, told, now)
        return done

    return write


async def unsuspend(update: Update, context: AmserContext, actor: Member, target: Target) -> None:
    services = context.services
    tr = tr_for(services, actor)
    _ = tr.gettext
    member = target.member
    now = services.clock.now()
    lifted = await services.moderation.lift(
        member.id,
        actor.id,
        now,
        services.config.log_chat,
        alongside=lambda tx, held: resumed_notices(tx, held, now),
        then=lambda held: [Notice(LIFTED, member_id=member.id, about=held.id)] if held else [],
    )
    if lifted is None:
        text = _("{name} isn't suspended, so there is nothing to lift.")
    else:
        text = _("▶️ {name} is an active member again. I've let them know.")
    await say(update, context, with_note(target, tr, text.format(name=name_of(member, tr))))


async def end_when_due(app: AmserApplication, item: DueItem) -> list[Effect]:
    """A timed suspension is over: the member is active again, and told (same write)."""
    services = app.services
    sanction_id = int(item.key.rsplit(":", 1)[1])
    member_id = item.member_id
    now = services.clock.now()
    await services.moderation.end_due(
        sanction_id,
        now,
        services.config.log_chat,
        alongside=lambda tx, held: resumed_notices(tx, held, now),
        then=lambda held: [Notice(LIFTED, member_id=member_id, about=held.id)] if held else [],
    )
    return []


# --- what members are told ----------------------------------------------------------------------


async def _render_suspended(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    """Paused or removed: why, until when, what it means, and Appeal; nothing if lifted."""
    member = recipient.member
    held = await services.moderation.in_force(member.id) if member is not None else None
    if held is None or held.id != item.about:
        return None
    tr = recipient.tr
    _ = tr.gettext
    community = escape(services.config.community_name)
    if held.kind is SanctionKind.BAN:
        lines = [
            _("⛔ <b>You have been removed from {community}</b>").format(community=community),
            "",
            reason_line(tr, held.reason),
            _(
                "Your offers and requests are closed and your introductions have ended. Your "
                "time credit history is kept. You can still use /privacy, /mydata and /forget."
            ),
        ]
    else:
        lines = [
            _("⏸ <b>Your membership of {community} is paused</b>").format(community=community),
            "",
        ]
        limit = item.data.get("warn_limit")
        if limit:
            lines.append(
                _("You have had {limit} warnings that still count, so it is paused.").format(
                    limit=limit
                )
            )
        lines.append(reason_line(tr, held.reason))
        if held.until is None:
            lines.append(_("It stays paused until a coordinator lifts it."))
        else:
            lines.append(
                _("It will start again by itself on {until}.").format(
                    until=moment_words(services, tr, held.until)
                )
            )
        lines.append(
            _(
                "Meanwhile you keep your balance, but you can't post, be introduced, log time "
                "or send messages through Amser, and your offers and requests are hidden. You "
                "can still use /privacy, /mydata and /forget."
            )
        )
    lines += ["", _("If you think this isn't fair, tap Appeal and tell us why.")]
    b = appeal_button(services, recipient, sanction_id=held.id)
    return Screen("\n".join(lines), keyboard([b]))


async def _render_lifted(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    member = recipient.member
    if member is None or member.status is not Status.ACTIVE:
        return None
    _ = recipient.tr.gettext
    return Screen(
        _("▶️ Your membership of {community} is active again. Welcome back!").format(
            community=escape(services.config.community_name)
        )
    )


SUSPEND = TargetedCommand("suspend", may_suspend, suspend)
UNSUSPEND = TargetedCommand("unsuspend", may_suspend, unsuspend)
BAN = TargetedCommand("ban", may_ban, ban)


def register(app: AmserApplication) -> None:
    SUSPEND.register(app)
    BAN.register(app)
    # /unsuspend <Telegram id> may be a former member's bar (_lift_bar) before a target.
    app.add_handler(CommandHandler("unsuspend", unsuspend_command, filters.ChatType.PRIVATE))
    forms.register(app, UNSUSPEND.choose)
    register_notice(app, SUSPENDED, _render_suspended)
    register_notice(app, LIFTED, _render_lifted)
    app.due_work_runner.register(END_KIND, end_when_due)
