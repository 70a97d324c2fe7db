"""Moderating the community group chat: /ban, /unban, /kick, /mute [how long], /unmute, and the
time bank's /warn, /warns, /unwarn, by reply, @username or Telegram id, for the group's
administrators who may restrict members and for coordinators; every action audited, the group
told in its language."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from functools import partial
from html import escape
from typing import Any

from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import CommandHandler, filters

from bot.domain.permissions import Action
from bot.domain.roles import Role
from bot.domain.targets import REASON_MAX, duration_and_reason, reason_of
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers.access import may_do, probed
from handlers.common import Screen, say, user_id
from handlers.groups import acts, warn
from handlers.groups.rights import acting, rights_of
from handlers.groups.words import group_of, in_group, until_words
from handlers.moderation.target import UserTarget, Words, resolve_user
from storage.audit import AuditAction, AuditEntry

MUTE_MAX_MINUTES = 366 * 24 * 60  # Telegram's longest timed restriction


class Kind(StrEnum):
    BAN = "ban"
    UNBAN = "unban"
    KICK = "kick"
    MUTE = "mute"
    UNMUTE = "unmute"
    WARN = "warn"
    WARNS = "warns"
    UNWARN = "unwarn"


AUDITED = {
    Kind.BAN: AuditAction.BAN,
    Kind.UNBAN: AuditAction.UNBAN,
    Kind.KICK: AuditAction.KICK,
    Kind.MUTE: AuditAction.MUTE,
    Kind.UNMUTE: AuditAction.UNMUTE,
}
PROTECTED = (Kind.BAN, Kind.KICK, Kind.MUTE, Kind.WARN)  # never done to an administrator
# What the time bank keeps (not Telegram): the same warnings as /warn in private, with their
# audit rows written by the time bank.
KEPT: dict[Kind, warn.Kept] = {
    Kind.WARN: warn.warn,
    Kind.WARNS: warn.warns,
    Kind.UNWARN: warn.unwarn,
}


async def moderate(update: Update, context: AmserContext, kind: Kind) -> None:
    services = context.services
    chat = update.effective_chat
    if chat is None:
        return
    group = await group_of(services, chat)

    async def tell(words: Words) -> None:
        await say(update, context, Screen(in_group(services, group, words)))

    actor_telegram_id = user_id(update)
    rights = await rights_of(update, context)
    if not may_do(services, actor_telegram_id, Action.MODERATE_GROUP, rights):
        await tell(not_yours)
        member = await services.members.by_telegram_id(actor_telegram_id)
        await probed(services, actor_telegram_id, member, Action.MODERATE_GROUP)
        return
    found = await resolve_user(update, context, kind.value, actor_telegram_id)
    if not isinstance(found, UserTarget):
        await tell(found)
        return
    terms = _terms(kind, found.rest)
    if not isinstance(terms, Terms):
        await tell(terms)
        return
    found, protected = await _looked_up(context, chat.id, found)
    name = escape(found.name)
    if kind in PROTECTED and protected:
        await tell(partial(warn.not_warned if kind is Kind.WARN else _admin, name=name))
        return
    if kind in KEPT:
        actor = await acting(update, context)
        await tell(await KEPT[kind](context, chat.id, found, actor, terms.reason))
        return
    now = services.clock.now()
    until = now + timedelta(minutes=terms.minutes) if terms.minutes is not None else None
    try:
        supergroup = chat.type == ChatType.SUPERGROUP
        await ACTS[kind](
            acts.Asked(context.bot, chat.id, found.telegram_id, now, supergroup, until)
        )
    except BadRequest as exc:
        await tell(partial(_refused, error=exc.message, name=name))
        return
    entry = await _entry(update, context, kind, found, terms, until)
    await services.audit.add(entry, now, services.config.log_chat)
    done = partial(_done, services=services, kind=kind, name=name, reason=terms.reason)
    await tell(partial(done, until=until))


@dataclass(frozen=True)
class Terms:
    """How long (a mute; None: until lifted) and why."""

    minutes: int | None
    reason: str | None


def _terms(kind: Kind, rest: str) -> Terms | Words:
    """The length (for /mute) and the reason typed after the target; or what to say back."""
    minutes: int | None = None
    if kind is Kind.MUTE:
        parsed = duration_and_reason(rest)
        if parsed.unreadable is not None:
            return partial(_unreadable, typed=escape(parsed.unreadable))
        minutes, reason = parsed.minutes, parsed.reason
        if minutes is not None and minutes > MUTE_MAX_MINUTES:
            minutes = None  # Telegram takes so long a mute as one for ever: say so
    else:
        reason = reason_of(rest)
    if reason is not None and len(reason) > REASON_MAX:
        return _long_reason
    return Terms(minutes, reason)


async def _entry(
    update: Update,
    context: AmserContext,
    kind: Kind,
    target: UserTarget,
    terms: Terms,
    until: datetime | None,
) -> AuditEntry:
    """The action's audit row: people not in Amser by their Telegram id and name."""
    actor = await acting(update, context)
    details: dict[str, Any] = dict(actor.details)
    if target.member is None:
        details.update(target_telegram_id=target.telegram_id, target_name=target.name)
    if terms.minutes is not None and until is not None:
        details.update(minutes=terms.minutes, until=until.isoformat())
    return AuditEntry(
        AUDITED[kind],
        actor.member_id,
        target.member.id if target.member is not None else None,
        terms.reason,
        chat_id=update.effective_chat.id if update.effective_chat else None,
        details=details,
    )


async def _looked_up(
    context: AmserContext, chat_id: int, target: UserTarget
) -> tuple[UserTarget, bool]:
    """The target with the name Telegram shows (for someone not in Amser), and whether they
    are protected: the group's owner or administrators, or the time bank's coordinators."""
    coordinator = context.services.role_of(target.telegram_id) >= Role.ADMIN
    try:
        standing = await context.bot.get_chat_member(chat_id, target.telegram_id)
    except BadRequest:  # not someone Telegram knows there: its refusal will say so
        return target, coordinator
    if target.member is None:
        target = replace(target, name=standing.user.full_name)
    admin = standing.status in (ChatMember.OWNER, ChatMember.ADMINISTRATOR)
    return target, coordinator or admin


ACTS: dict[Kind, acts.Act] = {
    Kind.BAN: acts.ban,
    Kind.UNBAN: acts.unban,
    Kind.KICK: acts.kick,
    Kind.MUTE: acts.mute,
    Kind.UNMUTE: acts.unmute,
}


# --- the words ---------------------------------------------------------------------------------


def not_yours(tr: Translator) -> str:
    return tr.gettext(
        "Sorry, this is for the group's admins who may restrict members, and for coordinators."
    )


def _unreadable(tr: Translator, *, typed: str) -> str:
    return tr.gettext(
        "I couldn't read “{typed}” as a length of time. Try 30m, 2h, 3d or 1w, for example."
    ).format(typed=typed)


def _long_reason(tr: Translator) -> str:
    return tr.gettext("Please keep the reason to {limit} characters.").format(limit=REASON_MAX)


def _admin(tr: Translator, *, name: str) -> str:
    return tr.gettext(
        "{name} is an admin, and admins can't be banned, removed or muted by the bot."
    ).format(name=name)


def _refused(tr: Translator, *, error: str, name: str) -> str:
    """What Telegram's refusal means, in plain words."""
    lowered = error.lower()
    if "not enough rights" in lowered or "administrator rights" in lowered:
        return tr.gettext(
            "I can't do that here: please make me an admin of this group who may ban and "
            "restrict members."
        )
    if "administrator" in lowered or "owner" in lowered or "restrict self" in lowered:
        return _admin(tr, name=name)
    if "supergroup" in lowered:
        return tr.gettext(
            "Telegram allows that only in supergroups. An admin can turn this group into one "
            "in its settings, for example by making its history visible to new members."
        )
    if "participant_id_invalid" in lowered or "user not found" in lowered:
        return tr.gettext("Telegram doesn't know anyone with that id.")
    return tr.gettext("Telegram refused that: {error}").format(error=escape(error))


def _done(
    tr: Translator,
    *,
    kind: Kind,
    name: str,
    reason: str | None,
    until: datetime | None,
    services: Services,
) -> str:
    _ = tr.gettext
    text = {
        Kind.BAN: _("{name} is banned from this group."),
        Kind.UNBAN: _("{name} may join this group again."),
        Kind.KICK: _("{name} has been removed from the group, and may join again."),
        Kind.MUTE: _("{name} is muted {until}."),
        Kind.UNMUTE: _("{name} can send messages again."),
    }[kind].format(name=name, until=until_words(services, tr, until) if kind is Kind.MUTE else "")
    if reason is not None:
        text += "\n" + _("Reason: {reason}").format(reason=escape(reason))
    return text


def register(app: AmserApplication, handler_group: int) -> None:
    for kind in Kind:
        app.add_handler(
            CommandHandler(kind.value, partial(moderate, kind=kind), filters.ChatType.GROUPS),
            group=handler_group,
        )
