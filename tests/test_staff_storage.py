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
from storage.database import Database
from storage.members import MemberRepository
from storage.staff import StaffRepository, StaffRole, staff_members_in

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
