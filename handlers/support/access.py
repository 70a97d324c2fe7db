"""Who may work the support queue: active members who are ambassadors or coordinators, checked
again on every command, press and typed note."""

from __future__ import annotations

from telegram import Update

from bot.domain.roles import Role
from bot.runtime.context import AmserContext, Services
from handlers import details
from handlers.common import Screen, say, tr_for, user_id
from storage.members import Member


async def queue_worker(update: Update, context: AmserContext) -> Member | None:
    """The ambassador or coordinator acting, if they (still) may; else a kind no."""
    member = await details.active_member(update, context)
    if member is None:
        return None
    if context.services.role_of(user_id(update)) < Role.AMBASSADOR:
        text = tr_for(context.services, member).gettext(
            "Sorry, only ambassadors and coordinators can do that."
        )
        await say(update, context, Screen(text))
        return None
    return member


async def coordinator(update: Update, context: AmserContext) -> Member | None:
    """The coordinator acting on a report, if they (still) are one; else a kind no."""
    member = await details.active_member(update, context)
    if member is None:
        return None
    if context.services.role_of(user_id(update)) < Role.ADMIN:
        text = tr_for(context.services, member).gettext(
            "Sorry, only coordinators can deal with reports."
        )
        await say(update, context, Screen(text))
        return None
    return member


def is_admin(services: Services, member: Member) -> bool:
    return member.telegram_id is not None and services.role_of(member.telegram_id) is Role.ADMIN
