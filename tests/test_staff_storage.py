"""The staff's list in the database directly: copied from the config's roles (a coordinator
who is also an ambassador once, as a coordinator), by Telegram id whether joined or not, and
by member id only for active members."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.domain.membership import Status
from storage.audit import AuditAction, AuditRepository
from storage.database import Database
from storage.inbox import InboxEntry, InboxRepository, Sender
from storage.members import MemberRepository
from storage.outbox import Notice
from storage.staff import (
    RoleChange,
    RoleRequest,
    RoleRow,
    RoleSource,
    StaffRepository,
    StaffRole,
    staff_members_in,
)
from tests.test_broadcast_storage import add_members

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "staff.db")
    yield database
    await database.close()


async def test_the_staff_by_telegram_id_each_once_under_their_highest_role(db: Database) -> None:
    staff = StaffRepository(db)
    assert await staff.telegram_ids() == []
    await staff.set_staff(admins=[30, 10], ambassadors=[20, 10, 40])
    assert await staff.telegram_ids() == [10, 20, 30, 40]
    assert await staff.telegram_ids(StaffRole.ADMIN) == [10, 30]
    assert await staff.telegram_ids(StaffRole.AMBASSADOR) == [20, 40]


async def test_setting_the_staff_again_replaces_them(db: Database) -> None:
    staff = StaffRepository(db)
    await staff.set_staff(admins=[10], ambassadors=[20])
    await staff.set_staff(admins=[20], ambassadors=[30])
    assert await staff.telegram_ids(StaffRole.ADMIN) == [20]
    assert await staff.telegram_ids(StaffRole.AMBASSADOR) == [30]


async def test_inside_a_write_only_active_members_count(db: Database) -> None:
    members, staff = MemberRepository(db), StaffRepository(db)
    admin = await members.join(10, "en", NOW)
    admin = await members.update(admin.id, NOW, status=Status.ACTIVE)
    ambassador = await members.join(20, "en", NOW)
    ambassador = await members.update(ambassador.id, NOW, status=Status.ACTIVE)
    await members.join(30, "en", NOW)  # still joining
    await staff.set_staff(admins=[10], ambassadors=[20, 30, 40])  # 40 has not joined at all

    def read(tx: sqlite3.Connection) -> tuple[list[int], list[int], list[int]]:
        return (
            staff_members_in(tx),
            staff_members_in(tx, role=StaffRole.AMBASSADOR),
            staff_members_in(tx, exclude=admin.id),
        )

    everyone, ambassadors, others = await db.write(read)
    assert everyone == sorted([admin.id, ambassador.id])
    assert ambassadors == [ambassador.id]
    assert others == [ambassador.id]


# --- roles given and taken by chat (/promote, /demote) ---------------------------------------


def request(target: int, role: StaffRole | None, reason: str | None = None) -> RoleRequest:
    """Member 1 (Telegram id 1) acting on member `target` (the same Telegram id)."""
    return RoleRequest(1, target, target, role, reason)


async def test_a_role_given_by_chat_is_kept_with_its_audit_row_once(db: Database) -> None:
    await add_members(db, 3)
    staff, audit = StaffRepository(db), AuditRepository(db)
    await staff.set_staff(admins=[1], ambassadors=[])
    given = await staff.change_role(request(2, StaffRole.AMBASSADOR, "repair café"), NOW, None)
    again = await staff.change_role(request(2, StaffRole.AMBASSADOR), NOW, None)
    assert (given, again) == (RoleChange.DONE, RoleChange.SAME)
    assert await staff.roles() == [
        RoleRow(1, StaffRole.ADMIN, RoleSource.CONFIG),
        RoleRow(2, StaffRole.AMBASSADOR, RoleSource.CHAT),
    ]
    [row] = await audit.recent()
    assert (row.action, row.actor_id, row.target_id, row.reason) == (
        AuditAction.PROMOTE,
        1,
        2,
        "repair café",
    )
    assert row.details == {"role": "ambassador", "before": "member"}
    # A restart copies the config again; the role given by chat stays.
    await staff.set_staff(admins=[1], ambassadors=[])
    assert RoleRow(2, StaffRole.AMBASSADOR, RoleSource.CHAT) in await staff.roles()
    taken = await staff.change_role(request(2, None), NOW, None)
    none_left = await staff.change_role(request(2, None), NOW, None)
    assert (taken, none_left) == (RoleChange.DONE, RoleChange.SAME)
    assert [r.telegram_id for r in await staff.roles()] == [1]
    assert [r.action for r in await audit.recent()] == [AuditAction.DEMOTE, AuditAction.PROMOTE]


async def test_a_role_the_config_names_is_not_changed_by_chat(db: Database) -> None:
    await add_members(db, 3)
    staff, audit = StaffRepository(db), AuditRepository(db)
    await staff.set_staff(admins=[1, 3], ambassadors=[2])
    assert await staff.change_role(request(3, None), NOW, None) is RoleChange.CONFIG
    assert await staff.change_role(request(2, StaffRole.ADMIN), NOW, None) is RoleChange.CONFIG
    assert [r.role for r in await staff.roles()] == [
        StaffRole.ADMIN,
        StaffRole.AMBASSADOR,
        StaffRole.ADMIN,
    ]
    assert await audit.recent() == []


async def test_a_failure_after_the_change_leaves_neither_role_nor_audit_row(db: Database) -> None:
    await add_members(db, 2)
    staff, audit = StaffRepository(db), AuditRepository(db)

    def fails(result: RoleChange) -> list[Notice]:
        raise RuntimeError("the disk is full")

    with pytest.raises(RuntimeError):
        await staff.change_role(request(2, StaffRole.ADMIN), NOW, None, then=fails)
    assert await staff.roles() == []
    assert await audit.recent() == []


async def test_a_username_belongs_to_one_member_and_goes_with_erasure(db: Database) -> None:
    await add_members(db, 2)
    members = MemberRepository(db)
    inbox = InboxRepository(db)

    async def sent(update_id: int, telegram_id: int, username: str | None) -> None:
        entry = InboxEntry(update_id, telegram_id, "{}", Sender(telegram_id, username))
        await inbox.store([entry], NOW)

    await sent(1, 99, "nobody")  # not a member: nothing kept
    assert await members.by_username("nobody") is None
    await sent(2, 1, "Ann_W")
    assert (await members.by_username("ann_w")).telegram_id == 1  # type: ignore[union-attr]
    await sent(3, 2, "ann_w")  # Telegram gave it to someone else
    assert (await members.by_username("ANN_W")).telegram_id == 2  # type: ignore[union-attr]
    assert (await members.get(1)).username is None  # type: ignore[union-attr]
    await sent(4, 1, None)  # and Ann has none now
    assert (await members.get(1)).username is None  # type: ignore[union-attr]
    await members.erase(2, NOW)
    assert await members.by_username("ann_w") is None
