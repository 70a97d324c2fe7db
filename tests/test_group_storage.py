"""The groups the bot is in, as kept: a migration moves the group and what waits for it once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage.database import Database
from storage.groups import BotStanding, GroupLanguage, GroupRepository, Standing
from storage.outbox import Notice, OutboxRepository

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
OLD, NEW = -4_012_345_678, -1_009_876_543_210


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "amser.db")
    yield database
    await database.close()


async def test_a_migration_moves_the_group_and_its_waiting_messages_once(db: Database) -> None:
    groups, outbox = GroupRepository(db), OutboxRepository(db)
    standing = Standing(OLD, "Canton", BotStanding.ADMINISTRATOR, {"can_restrict_members": True})
    await groups.seen(standing, NOW, GroupLanguage.BOTH)
    await groups.set_language(OLD, "Canton", GroupLanguage.CY, NOW)
    await outbox.queue([Notice("x", chat_id=OLD), Notice("y", member_id=None, chat_id=-5)], NOW)
    for _ in range(2):  # the old group's message, then the new one's: the same move
        moved = await groups.migrated(OLD, NEW, NOW, GroupLanguage.BOTH)
    assert (moved.chat_id, moved.migrated_from, moved.language) == (NEW, OLD, GroupLanguage.CY)
    assert moved.bot_may("can_restrict_members")
    assert await groups.get(OLD) is None
    rows = await db.fetch_all("SELECT purpose, chat_id FROM outbox ORDER BY id")
    assert [tuple(row) for row in rows] == [("x", NEW), ("y", -5)]


async def test_a_migration_heard_after_the_supergroup_keeps_one_row(db: Database) -> None:
    groups = GroupRepository(db)
    await groups.set_language(OLD, "Canton", GroupLanguage.EN, NOW)
    await groups.seen(Standing(NEW, "Canton", BotStanding.MEMBER), NOW, GroupLanguage.BOTH)
    moved = await groups.migrated(OLD, NEW, NOW, GroupLanguage.BOTH)
    assert (moved.chat_id, moved.language, moved.migrated_from) == (NEW, GroupLanguage.EN, OLD)
    assert await groups.get(OLD) is None
