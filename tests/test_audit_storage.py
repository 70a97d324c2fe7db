"""The audit, directly: rows written with the action, a log chat line queued with each, rows
that cannot be changed or deleted, and a former member shown as such."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.runtime.i18n import Catalogs
from handlers.audit.words import line
from storage.audit import (
    LOG_PURPOSE,
    AuditAction,
    AuditEntry,
    AuditRecord,
    AuditRepository,
    audit_in,
)
from storage.database import Database
from storage.members import MemberRepository
from tests.test_broadcast_storage import add_members

NOW = datetime(2027, 1, 4, 10, tzinfo=UTC)
LOG_CHAT = -100123


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "audit.db")
    yield database
    await database.close()


async def test_a_row_and_its_log_line_are_written_with_the_action(db: Database) -> None:
    await add_members(db, 2)
    audit = AuditRepository(db)
    warn = AuditEntry(AuditAction.WARN, actor_id=1, target_id=2, reason="spam", details={"n": 1})
    first = await audit.add(warn, NOW, LOG_CHAT)
    second = await audit.add(AuditEntry(AuditAction.REFUSED, actor_id=2), NOW, None)
    [newest, oldest] = await audit.recent()
    assert (newest.id, oldest.id) == (second, first)
    assert (oldest.action, oldest.actor_id, oldest.target_id) == (AuditAction.WARN, 1, 2)
    assert (oldest.reason, oldest.details, oldest.at) == ("spam", {"n": 1}, NOW)
    assert oldest.action.hashtag == "#WARN"
    lines = await db.fetch_all("SELECT purpose, chat_id, about FROM outbox")
    assert [tuple(line) for line in lines] == [(LOG_PURPOSE, LOG_CHAT, first)]
    assert [r.id for r in await audit.recent(target_id=2)] == [first]
    assert [r.id for r in await audit.recent(action=AuditAction.REFUSED)] == [second]
    assert [r.id for r in await audit.recent(before=second)] == [first]


async def test_a_failed_action_leaves_no_row(db: Database) -> None:
    await add_members(db, 1)

    def action_that_fails(tx: sqlite3.Connection) -> None:
        audit_in(tx, AuditEntry(AuditAction.BAN, actor_id=1), NOW, LOG_CHAT)
        raise RuntimeError("the action failed after its audit row")

    with pytest.raises(RuntimeError):
        await db.write(action_that_fails)
    assert await AuditRepository(db).recent() == []
    assert await db.fetch_all("SELECT * FROM outbox") == []


async def test_rows_cannot_be_changed_or_deleted(db: Database) -> None:
    await add_members(db, 1)
    await AuditRepository(db).add(AuditEntry(AuditAction.PROMOTE, actor_id=1), NOW, None)
    for sql in ("UPDATE audit SET reason = 'x'", "DELETE FROM audit"):
        with pytest.raises(sqlite3.IntegrityError, match="kept as written"):
            await db.write(lambda tx, sql=sql: tx.execute(sql))


async def test_an_erased_member_is_a_former_member(db: Database) -> None:
    await add_members(db, 2)
    audit = AuditRepository(db)
    await audit.add(AuditEntry(AuditAction.SUSPEND, actor_id=1, target_id=2), NOW, None)
    assert await MemberRepository(db).erase(2, NOW)
    [record] = await audit.recent()
    assert record.target_erased and record.target_name is None
    assert not record.actor_erased


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("action", list(AuditAction))
def test_every_kind_of_action_has_its_hashtag_line_in_both_languages(
    action: AuditAction, language: str
) -> None:
    record = AuditRecord(
        1, NOW, action, 5, "Cai", False, 7, "Ann <3", False, None, None, "spam <b>", {}
    )
    text = line(Catalogs()[language], record)
    assert text.startswith(f"#{action.value.upper()} Cai → Ann &lt;3: ")
    assert text.endswith(" (spam &lt;b&gt;)")
    what = text.split(": ", 1)[1].removesuffix(" (spam &lt;b&gt;)")
    assert what.strip() and "{" not in what
