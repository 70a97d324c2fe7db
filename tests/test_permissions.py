"""Who may do what: the one table, and when repeated refusals are audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.permissions import Action, GroupRights, may
from bot.domain.probing import Probing
from bot.domain.roles import Role

M, A, C = Role.MEMBER, Role.AMBASSADOR, Role.ADMIN

# action: (member, ambassador, coordinator), with ambassadors_may_grant off
TABLE: dict[Action, tuple[bool, bool, bool]] = {
    Action.QUEUE: (False, True, True),
    Action.REPORTS: (False, False, True),
    Action.BROADCAST: (False, True, True),
    Action.APPROVE_BROADCAST: (False, True, True),
    Action.MANAGE_BROADCASTS: (False, False, True),
    Action.EVENT: (False, True, True),
    Action.MANAGE_EVENTS: (False, False, True),
    Action.SUGGEST_INTRODUCTION: (False, True, True),
    Action.MANAGE_CREDITS: (False, False, True),
    Action.APPROVE_MEMBERS: (False, False, True),
    Action.DELIVERIES: (False, False, True),
    Action.PROMOTE: (False, False, True),
    Action.WARN: (False, False, True),
    Action.SUSPEND: (False, False, True),
    Action.BAN: (False, False, True),
    Action.REMOVE_LISTING: (False, False, True),
    Action.AUDIT: (False, False, True),
    Action.MODERATE_GROUP: (False, False, True),
}


def test_the_table_names_every_action() -> None:
    assert set(TABLE) == set(Action)


@pytest.mark.parametrize("action", list(Action))
def test_who_may_do_each_action(action: Action) -> None:
    got = tuple(may(role, action, ambassadors_may_grant=False) for role in (M, A, C))
    assert got == TABLE[action]


@pytest.mark.parametrize("action", list(Action))
def test_ambassadors_granting_changes_only_the_credit_tools(action: Action) -> None:
    got = tuple(may(role, action, ambassadors_may_grant=True) for role in (M, A, C))
    assert got == ((False, True, True) if action is Action.MANAGE_CREDITS else TABLE[action])


@pytest.mark.parametrize("action", list(Action))
def test_group_rights_allow_only_moderating_the_group(action: Action) -> None:
    rights = GroupRights(admin=True, can_restrict=True)
    got = tuple(may(role, action, ambassadors_may_grant=False, group=rights) for role in (M, A, C))
    assert got == ((True, True, True) if action is Action.MODERATE_GROUP else TABLE[action])


def test_a_group_admin_without_the_right_to_restrict_may_not_moderate() -> None:
    rights = GroupRights(admin=True, can_restrict=False)
    assert not may(M, Action.MODERATE_GROUP, ambassadors_may_grant=False, group=rights)
    assert may(C, Action.MODERATE_GROUP, ambassadors_may_grant=False, group=GroupRights())


T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_the_third_refusal_in_ten_minutes_is_audited_once() -> None:
    probing = Probing()
    minute = timedelta(minutes=1)
    assert [probing.refused(7, T0 + i * minute) for i in range(5)] == [
        False,
        False,
        True,
        False,
        False,
    ]
    assert probing.refused(8, T0) is False  # each member counts apart


def test_refusals_spread_out_are_not_audited() -> None:
    probing = Probing()
    times = [T0, T0 + timedelta(minutes=6), T0 + timedelta(minutes=12)]
    assert [probing.refused(7, at) for at in times] == [False, False, False]


def test_after_the_window_a_new_run_is_audited_again() -> None:
    probing = Probing()
    first = [probing.refused(7, T0 + timedelta(seconds=i)) for i in range(3)]
    later = T0 + timedelta(minutes=30)
    second = [probing.refused(7, later + timedelta(seconds=i)) for i in range(3)]
    assert first == second == [False, False, True]
