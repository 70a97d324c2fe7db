"""Who may do what: the one table every command, button and menu asks."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.roles import Role


class Action(StrEnum):
    """Everything that needs more than being a member."""

    QUEUE = "queue"  # the support queue: taking, closing, handing back requests
    REPORTS = "reports"  # dealing with reports (and seeing them in the queue)
    BROADCAST = "broadcast"  # sending a community notice
    APPROVE_BROADCAST = "approve_broadcast"  # a big broadcast's second yes (not one's own)
    MANAGE_BROADCASTS = "manage_broadcasts"  # pausing or cancelling anyone's broadcast
    EVENT = "event"  # creating events, and looking after one's own
    MANAGE_EVENTS = "manage_events"  # looking after anyone's event
    SUGGEST_INTRODUCTION = "suggest_introduction"  # /unanswered
    MANAGE_CREDITS = "manage_credits"  # /grant, /record, /reverse, /exchanges
    APPROVE_MEMBERS = "approve_members"  # /pending, approving and declining newcomers
    DELIVERIES = "deliveries"  # /deliveries
    PROMOTE = "promote"  # /promote, /demote
    WARN = "warn"
    SUSPEND = "suspend"
    BAN = "ban"
    REMOVE_LISTING = "remove_listing"
    AUDIT = "audit"  # /audit
    MODERATE_GROUP = "moderate_group"  # /ban, /unban, /kick, /mute, /unmute in a group chat


@dataclass(frozen=True)
class GroupRights:
    """Someone's standing in the group chat a command came from, as Telegram says (an
    anonymous administrator counts as an administrator who may restrict members)."""

    admin: bool = False
    can_restrict: bool = False


# What a group's own administrators may do there by their Telegram rights, whatever their role.
_BY_GROUP_RIGHTS: dict[Action, str] = {Action.MODERATE_GROUP: "can_restrict"}


# The least role each action needs (a higher role may do everything a lower one may).
_LEAST: dict[Action, Role] = {
    Action.QUEUE: Role.AMBASSADOR,
    Action.BROADCAST: Role.AMBASSADOR,
    Action.APPROVE_BROADCAST: Role.AMBASSADOR,
    Action.EVENT: Role.AMBASSADOR,
    Action.SUGGEST_INTRODUCTION: Role.AMBASSADOR,
}


def least_role(action: Action, *, ambassadors_may_grant: bool) -> Role:
    """The least role that may do `action` (coordinators only, unless the table says less)."""
    if action is Action.MANAGE_CREDITS and ambassadors_may_grant:
        return Role.AMBASSADOR
    return _LEAST.get(action, Role.ADMIN)


def may(
    role: Role, action: Action, *, ambassadors_may_grant: bool, group: GroupRights | None = None
) -> bool:
    """Whether someone of `role` may do `action` (ownership rules are the feature's own); in
    a group chat, `group` is their standing there, which may allow what the role does not."""
    right = _BY_GROUP_RIGHTS.get(action)
    if group is not None and right is not None and getattr(group, right):
        return True
    return role >= least_role(action, ambassadors_may_grant=ambassadors_may_grant)
