"""Gentle nudges' storage, tested directly: who is quiet enough to be asked what they could
offer, once per quiet spell, and who is left out."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.broadcasts import Hearing
from storage.database import Database, migrate_to
from storage.nudges import NudgeRepository
from storage.preferences import PreferenceRepository
from storage.timestamps import from_db, to_db

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "test.db")
    yield database
    await database.close()


async def add_member(db: Database, telegram_id: int, active_days_ago: int | None) -> None:
    """An active member who joined 100 days ago, last active some days ago (None: never)."""
    joined = to_db(NOW - 100 * DAY)
    active = to_db(NOW - active_days_ago * DAY) if active_days_ago is not None else None
    await db.write(
        lambda tx: tx.execute(
            "INSERT INTO members (telegram_id, language, status, joined_at, last_active_at,"
            " created_at, updated_at) VALUES (?, 'en', 'active', ?, ?, ?, ?)",
            (telegram_id, joined, active, joined, joined),
        )
    )


async def quiet_ids(nudges: NudgeRepository, now: datetime, limit: int = 100) -> list[int]:
    return [quiet.member_id for quiet in await nudges.nudge_quiet(now, now - 60 * DAY, limit)]


async def test_quiet_members_are_found_once_per_quiet_spell(db: Database) -> None:
    nudges = NudgeRepository(db)
    await add_member(db, 1, 61)
    await add_member(db, 2, 59)
    await add_member(db, 3, None)  # never active since joining 100 days ago
    assert await quiet_ids(nudges, NOW) == [1, 3]
    assert await quiet_ids(nudges, NOW + DAY) == [2]  # 1 and 3 were asked in this spell
    assert await quiet_ids(nudges, NOW + 30 * DAY) == []
    await db.write(
        lambda tx: tx.execute(
            "UPDATE members SET last_active_at = ? WHERE id = 1", (to_db(NOW + 2 * DAY),)
        )
    )
    assert await nudges.active_at(1) == NOW + 2 * DAY
    assert await quiet_ids(nudges, NOW + 62 * DAY) == [1]  # a new spell


async def test_those_who_stopped_them_paused_or_cannot_be_reached_are_left_out(
    db: Database,
) -> None:
    nudges = NudgeRepository(db)
    for telegram_id in range(1, 6):
        await add_member(db, telegram_id, 90)
    await PreferenceRepository(db).set(1, Hearing.QUIET_NUDGES, False)
    await db.write(lambda tx: tx.execute("UPDATE members SET paused = 1 WHERE id = 2"))
    await db.write(lambda tx: tx.execute("UPDATE members SET unreachable_since = 'x' WHERE id = 3"))
    await db.write(lambda tx: tx.execute("UPDATE members SET status = 'suspended' WHERE id = 4"))
    assert await quiet_ids(nudges, NOW) == [5]


async def test_a_pass_takes_a_batch_and_the_next_the_rest(db: Database) -> None:
    nudges = NudgeRepository(db)
    for telegram_id in range(1, 6):
        await add_member(db, telegram_id, 90)
    assert await quiet_ids(nudges, NOW, limit=3) == [1, 2, 3]
    assert await quiet_ids(nudges, NOW, limit=3) == [4, 5]


async def test_the_upgrade_counts_quiet_days_from_itself(tmp_path: Path) -> None:
    # A database from before 0024, built by the migrations up to 0023: established members
    # with no recorded activity.
    path = tmp_path / "old.db"
    joined = to_db(NOW - 100 * DAY)
    with closing(sqlite3.connect(path, isolation_level=None)) as old:
        migrate_to(old, 23)
        old.executemany(
            "INSERT INTO members (id, telegram_id, language, status, joined_at, last_active_at,"
            " created_at, updated_at) VALUES (?, ?, 'en', ?, ?, ?, ?, ?)",
            [
                (1, 1, "active", joined, None, joined, joined),
                (2, 2, "active", joined, to_db(NOW - 5 * DAY), joined, joined),
                (3, 3, "erased", joined, None, joined, joined),
            ],
        )
    before = datetime.now(UTC).replace(microsecond=0)
    db = await Database.open(path)
    try:
        rows = await db.fetch_all("SELECT id, last_active_at FROM members ORDER BY id")
        stamps = {row["id"]: row["last_active_at"] for row in rows}
        upgraded = from_db(stamps[1])
        assert upgraded is not None and upgraded >= before
        assert stamps[1] == to_db(upgraded)  # exactly the format to_db writes
        assert stamps[2] == to_db(NOW - 5 * DAY) and stamps[3] is None
        # The first daily look after the upgrade does not take them for quiet members.
        found = await NudgeRepository(db).nudge_quiet(upgraded, upgraded - timedelta(seconds=1), 10)
        assert 1 not in [quiet.member_id for quiet in found]
    finally:
        await db.close()
