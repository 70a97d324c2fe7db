"""Who may deal with reports (coordinators), checked again on every press; the queue itself is
for `details.ambassador`."""

from __future__ import annotations

from telegram import Update

from bot.domain import N_
from bot.domain.roles import Role
from bot.runtime.context import AmserContext, Services
from handlers import details
from storage.members import Member


async def coordinator(update: Update, context: AmserContext) -> Member | None:
    """The coordinator acting on a report, if they (still) are one; else a kind no."""
    return await details.with_role(
        update, context, Role.ADMIN, N_("Sorry, only coordinators can deal with reports.")
    )


def is_admin(services: Services, member: Member) -> bool:
    return member.telegram_id is not None and services.role_of(member.telegram_id) is Role.ADMIN
