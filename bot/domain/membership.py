"""The rules of joining: the order of the steps and where a new member ends up."""

from __future__ import annotations

from enum import StrEnum

from bot.domain.roles import Role


class Status(StrEnum):
    """Where a member stands: joining, waiting for approval, active, suspended or erased."""

    JOINING = "joining"
    PENDING = "pending"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    ERASED = "erased"


class Step(StrEnum):
    """A question about the member's details; also the input we are waiting for."""

    NAME = "name"
    AREA = "area"
    OFFERS = "offers"
    OFFERS_TEXT = "offers_text"
    MATTERS = "matters"


JOIN_ORDER = (Step.NAME, Step.AREA, Step.OFFERS, Step.OFFERS_TEXT, Step.MATTERS)


def passed(step: Step, current: Step, answered: bool) -> bool:
    """Joining asks its questions in order, going back a step at a time: a question is done
    once the member has gone past it, or answered it while it is the current one."""
    return JOIN_ORDER.index(step) < JOIN_ORDER.index(current) or (step is current and answered)


def status_after_joining(require_approval: bool, role: Role) -> Status:
    """Staff named in the config are trusted already; others may need a coordinator's yes."""
    return Status.PENDING if require_approval and role is Role.MEMBER else Status.ACTIVE


def reminder_key(member_id: int) -> str:
    return f"onboarding-reminder:{member_id}"
