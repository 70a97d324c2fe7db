"""/promote and /demote: coordinators give a member a role (ambassador or coordinator) or take
it away, by chat. The role, its audit row and the member's notice are written together; the
role takes effect at once (the role book is read again, and the member's command menu set)."""

from __future__ import annotations

from html import escape

from telegram import Update

from bot.domain import N_
from bot.domain.membership import Status
from bot.domain.permissions import Action
from bot.domain.roles import Role
from bot.domain.targets import REASON_MAX, reason_of, role_and_reason
from bot.runtime import menus
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers.access import authorised
from handlers.common import Screen, say, tr_for
from handlers.credit_common import name_of
from handlers.moderation.target import Target, TargetedCommand
from handlers.notices import Recipient, register_notice
from storage.members import Member
from storage.outbox import Notice, OutboxItem
from storage.staff import RoleChange, RoleRequest, StaffRole

COMMANDS = (
    Command("promote", N_("Give a member a role: ambassador or coordinator"), Action.PROMOTE),
    Command("demote", N_("Take a member's role away"), Action.PROMOTE),
)
ROLE_CHANGED = "roles.changed"  # to the member: what they can do now

_STAFF = {Role.AMBASSADOR: StaffRole.AMBASSADOR, Role.ADMIN: StaffRole.ADMIN}


async def may_change_roles(update: Update, context: AmserContext) -> Member | None:
    """Who may give and take roles (checked on every command and press)."""
    return await authorised(update, context, Action.PROMOTE)


async def promote(update: Update, context: AmserContext, actor: Member, target: Target) -> None:
    _ = tr_for(context.services, actor).gettext
    asked = role_and_reason(target.rest)
    if asked.role is None or asked.role is Role.MEMBER:
        text = _(
            "Which role should {name} have? Send /promote with their name and then "
            "ambassador or admin, for example: /promote {name} ambassador"
        ).format(name=name_of(target.member, tr_for(context.services, actor)))
        await say(update, context, Screen(text))
        return
    await _change(update, context, actor, target, _STAFF[asked.role], asked.reason)


async def demote(update: Update, context: AmserContext, actor: Member, target: Target) -> None:
    await _change(update, context, actor, target, None, reason_of(target.rest))


async def _change(
    update: Update,
    context: AmserContext,
    actor: Member,
    target: Target,
    role: StaffRole | None,
    reason: str | None,
) -> None:
    services = context.services
    tr = tr_for(services, actor)
    _ = tr.gettext
    member = target.member
    name = name_of(member, tr)
    note = target.note(tr)
    refusal = _refusal(tr, member, role, reason)
    if refusal is not None or member.telegram_id is None:
        await say(update, context, Screen(refusal or ""))
        return
    before = services.role_of(member.telegram_id)
    request = RoleRequest(actor.id, member.id, member.telegram_id, role, reason)
    told = Notice(
        ROLE_CHANGED,
        member_id=member.id,
        data={"role": str(role) if role else "member", "before": before.name.lower()},
    )
    changed = await services.staff.change_role(
        request,
        services.clock.now(),
        services.config.log_chat,
        then=lambda result: [told] if result is RoleChange.DONE else [],
    )
    if changed is RoleChange.DONE:
        await services.reload_roles()
        app = context.application
        if isinstance(app, AmserApplication):
            await menus.publish_member_menu(app, member.telegram_id, member.language)
    text = _answer(tr, name, role, changed)
    await say(update, context, Screen(f"{note}\n{text}" if note else text))


def _refusal(
    tr: Translator, member: Member, role: StaffRole | None, reason: str | None
) -> str | None:
    """Why this cannot be done to this member, before trying; None if it may be tried."""
    _ = tr.gettext
    if member.telegram_id is None:
        return _("{name} isn't on Telegram, so they can't be given a role.").format(
            name=name_of(member, tr)
        )
    if reason is not None and len(reason) > REASON_MAX:
        return _(
            "That reason is a little long: please keep it to {limit} characters (yours had "
            "{length}). Nothing has been changed."
        ).format(limit=REASON_MAX, length=len(reason))
    if role is not None and member.status is not Status.ACTIVE:
        return _(
            "{name} isn't an active member at the moment, so they can't be given a role."
        ).format(name=name_of(member, tr))
    return None


def _answer(tr: Translator, name: str, role: StaffRole | None, changed: RoleChange) -> str:
    _ = tr.gettext
    if changed is RoleChange.CONFIG:
        return _(
            "{name}'s role is set in the config file, so it can't be changed by chat. "
            "Nothing has been changed."
        ).format(name=name)
    if changed is RoleChange.SAME and role is None:
        return _("{name} has no role to take away.").format(name=name)
    if changed is RoleChange.SAME and role is StaffRole.AMBASSADOR:
        return _("{name} is already an ambassador.").format(name=name)
    if changed is RoleChange.SAME:
        return _("{name} is already a coordinator.").format(name=name)
    if role is None:
        return _("✅ {name} is now a member without a role. I've let them know.").format(name=name)
    if role is StaffRole.AMBASSADOR:
        return _("✅ {name} is now an ambassador. I've let them know what they can do.").format(
            name=name
        )
    return _("✅ {name} is now a coordinator. I've let them know what they can do.").format(
        name=name
    )


async def _render_changed(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    """Told kindly, in their language; nothing if their role has changed again since."""
    member = recipient.member
    if member is None or member.telegram_id is None or member.status is not Status.ACTIVE:
        return None
    role = services.role_of(member.telegram_id)
    if str(item.data.get("role")) != ("member" if role is Role.MEMBER else role.name.lower()):
        return None
    tr = recipient.tr
    _ = tr.gettext
    community = escape(services.config.community_name)
    if role is Role.MEMBER:
        if item.data.get("before") == "admin":
            text = _("Your role as a coordinator in {community} has ended.")
        else:
            text = _("Your role as an ambassador in {community} has ended.")
        thanks = _(
            "Thank you for everything you've done. You can still do all that members can: "
            "send /help to see it."
        )
        return Screen(f"{text.format(community=community)} {thanks}")
    if role is Role.ADMIN:
        text = _("🎉 You're now a coordinator in {community}. Thank you for looking after it!")
    else:
        text = _("🎉 You're now an ambassador in {community}. Thank you for welcoming people!")
    lines = [text.format(community=community), "", _("Here's what you can do now:")]
    lines += _new_commands(services, role, tr)
    lines += ["", _("These are in your command menu too, and /help lists them any time.")]
    return Screen("\n".join(lines))


def _new_commands(services: Services, role: Role, tr: Translator) -> list[str]:
    """The commands the role adds to what every member has."""
    extra = services.config.ambassadors_may_grant
    return [
        f"/{command.name} — {tr.gettext(command.description)}"
        for command in services.commands
        if command.for_role(role, ambassadors_manage_credits=extra)
        and not command.for_role(Role.MEMBER, ambassadors_manage_credits=extra)
    ]


PROMOTE = TargetedCommand("promote", may_change_roles, promote)
DEMOTE = TargetedCommand("demote", may_change_roles, demote)


def register(app: AmserApplication) -> None:
    PROMOTE.register(app)
    DEMOTE.register(app)
    register_notice(app, ROLE_CHANGED, _render_changed)
