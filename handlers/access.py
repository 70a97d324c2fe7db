"""Who may do what, asked by every command and button press of a role's feature: the role
(services.role_of) and the one table (bot/domain/permissions.py); a kind no otherwise, and
repeated tries audited."""

from __future__ import annotations

from telegram import Update

from bot.domain import N_
from bot.domain.permissions import Action, GroupRights, least_role, may
from bot.domain.roles import Role
from bot.runtime.context import AmserContext, Services
from handlers import details
from handlers.common import Screen, current_member, say, translator, user_id
from storage.audit import AuditAction, AuditEntry
from storage.members import Member

REFUSALS: dict[Role, str] = {
    Role.AMBASSADOR: N_("Sorry, this is for ambassadors and coordinators."),
    Role.ADMIN: N_("Sorry, this is for coordinators."),
}


def may_do(
    services: Services,
    telegram_id: int | None,
    action: Action,
    group: GroupRights | None = None,
) -> bool:
    """Whether this Telegram user may do `action` now (for what is shown, e.g. a card's
    buttons; a press is checked again with `allowed`); `group`: their rights in the group
    chat the command came from."""
    if telegram_id is None:
        return False
    role = services.role_of(telegram_id)
    grant = services.config.ambassadors_may_grant
    return may(role, action, ambassadors_may_grant=grant, group=group)


def member_may(services: Services, member: Member, action: Action) -> bool:
    return may_do(services, member.telegram_id, action)


def refusal(services: Services, action: Action) -> str:
    """The kind no for `action` (a message id: translate it)."""
    least = least_role(action, ambassadors_may_grant=services.config.ambassadors_may_grant)
    return REFUSALS.get(least, REFUSALS[Role.ADMIN])


async def allowed(
    update: Update, context: AmserContext, action: Action, member: Member | None = None
) -> bool:
    """Whether the sender may do `action`; if not they are told kindly, and a third try within
    the window is audited. `member`: theirs, when the caller has it already."""
    services = context.services
    if may_do(services, user_id(update), action):
        return True
    member = member or await current_member(update, context)
    tr = translator(update, context, member)
    await say(update, context, Screen(tr.gettext(refusal(services, action))))
    await probed(services, user_id(update), member, action)
    return False


async def probed(
    services: Services, telegram_id: int, member: Member | None, action: Action
) -> None:
    """Count a refusal; the third within the window is audited (#REFUSED)."""
    now = services.clock.now()
    if services.probing.refused(telegram_id, now):
        details_ = {"action": action.value, "telegram_id": telegram_id}
        entry = AuditEntry(
            AuditAction.REFUSED, member.id if member is not None else None, details=details_
        )
        await services.audit.add(entry, now, services.config.log_chat)


async def authorised(update: Update, context: AmserContext, action: Action) -> Member | None:
    """An active member who may do `action`, checked again on every command, press and typed
    answer; else None, and they have been told why."""
    member = await details.active_member(update, context)
    if member is None or not await allowed(update, context, action, member):
        return None
    return member
