"""Who may deal with reports (coordinators), checked again on every press; the queue itself is
for `details.ambassador`."""

from __future__ import annotations

from telegram import Update

from bot.domain.roles import Role
from bot.runtime.context import AmserContext, Services
from handlers import details
from handlers.common import Screen, say, tr_for, user_id
from storage.members import Member


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
