"""/warn, /warns and /unwarn in the community group chat: the same warnings as in private,
kept by the time bank for its members (counting to the warn limit, the member told privately
with a way to appeal); the group hears only the count."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from html import escape

from bot.domain.membership import Status
from bot.runtime.context import AmserContext
from bot.runtime.i18n import Translator
from handlers.groups.rights import GroupActor
from handlers.moderation.shared import reason_line
from handlers.moderation.target import UserTarget, Words
from handlers.moderation.warnings import give_warning, take_back_warning

# What a command kept by the time bank does once its target is found and may be acted on:
# the group chat, the target, who acted and the reason typed; what to tell the group.
Kept = Callable[[AmserContext, int, UserTarget, GroupActor, str | None], Awaitable[Words]]


async def warn(
    context: AmserContext, chat_id: int, target: UserTarget, actor: GroupActor, reason: str | None
) -> Words:
    name = escape(target.name)
    member = target.member
    if member is None or member.status is not Status.ACTIVE:
        return partial(_not_a_member, name=name)
    services = context.services
    warned = await give_warning(
        services, member, actor.member_id, reason, chat_id=chat_id, details=actor.details
    )
    limit = services.config.warn_limit
    return partial(_warned, name=name, live=warned.live, limit=limit, reason=reason)


async def warns(
    context: AmserContext, chat_id: int, target: UserTarget, actor: GroupActor, reason: str | None
) -> Words:
    """How many warnings count (never what for: that is between the member and the bank)."""
    name = escape(target.name)
    if target.member is None or target.member.status is Status.ERASED:
        return partial(_not_a_member, name=name)
    services = context.services
    live = await services.moderation.live_warnings(target.member.id, services.clock.now())
    return partial(_counted, name=name, live=len(live), limit=services.config.warn_limit)


async def unwarn(
    context: AmserContext, chat_id: int, target: UserTarget, actor: GroupActor, reason: str | None
) -> Words:
    name = escape(target.name)
    member = target.member
    if member is None or member.status is Status.ERASED:
        return partial(_not_a_member, name=name)
    services = context.services
    lifted = await take_back_warning(
        services, member, actor.member_id, chat_id=chat_id, details=actor.details
    )
    return partial(_taken_back if lifted is not None else _none_to_take_back, name=name)


# --- the words ---------------------------------------------------------------------------------


def not_warned(tr: Translator, *, name: str) -> str:
    return tr.gettext("{name} is an admin, and admins can't be warned by the bot.").format(
        name=name
    )


def _not_a_member(tr: Translator, *, name: str) -> str:
    return tr.gettext(
        "Warnings are kept only for members of the time bank, and {name} isn't one at the "
        "moment. An admin can still use /mute or /ban here if needed."
    ).format(name=name)


def _warned(tr: Translator, *, name: str, live: int, limit: int, reason: str | None) -> str:
    text = tr.gettext(
        "⚠️ {name} has been warned ({live} of {limit}). I've let them know why."
    ).format(name=name, live=live, limit=limit)
    if reason:
        text += "\n" + reason_line(tr, reason)
    return text


def _counted(tr: Translator, *, name: str, live: int, limit: int) -> str:
    if not live:
        return tr.gettext("{name} has no warnings that count at the moment.").format(name=name)
    return tr.gettext("{name} has {live} of {limit} warnings that count.").format(
        name=name, live=live, limit=limit
    )


def _taken_back(tr: Translator, *, name: str) -> str:
    return tr.gettext("✅ {name}'s newest warning has been taken back. I've let them know.").format(
        name=name
    )


def _none_to_take_back(tr: Translator, *, name: str) -> str:
    return tr.gettext(
        "{name} has no warnings that count, so there is nothing to take back."
    ).format(name=name)
