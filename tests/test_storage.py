"""The storage layer, tested directly: migrations, members, due work, backups."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.membership import Status
from storage.database import Database, DatabaseError, backup, migrations
from storage.due_work import DueWorkRepository
from storage.members import MemberRepository
from storage.support import ContactReason, SupportRepository, pseudonym_in

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path: Path):
    database = await Database.open(tmp_path / "test.db")
    yield database
    await database.close()


async def test_migrations_are_applied_once_and_numbered(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    for _ in range(2):
        database = await Database.open(path)
        await database.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == migrations()[-1][0]
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert [number for number, _ in migrations()] == list(range(1, len(migrations()) + 1))


async def test_connections_enforce_foreign_keys(db: Database) -> None:
    row = await db.fetch_one("PRAGMA foreign_keys")
    assert row is not None and row[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        await db.write(
            lambda tx: tx.execute("INSERT INTO member_offer_categories VALUES (999, 'x')")
        )


async def test_a_failed_transaction_leaves_nothing_behind(db: Database) -> None:
    def fails(tx: sqlite3.Connection) -> None:
        tx.execute("INSERT INTO settings VALUES ('a', 'b')")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await db.write(fails)
    assert await db.fetch_one("SELECT * FROM settings WHERE key = 'a'") is None


async def test_unwritable_location_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="cannot use the database"):
        await Database.open(tmp_path / "no" / "such" / "dir" / "x.db")


async def test_join_is_idempotent(db: Database) -> None:
    members = MemberRepository(db)
    first = await members.join(5, "cy", NOW)
    second = await members.join(5, "en", NOW + timedelta(hours=1))
    assert first == second and first.language == "cy" and first.status is Status.JOINING


async def test_concurrent_writers_are_serialised(db: Database) -> None:
    members = MemberRepository(db)
    joined = await asyncio.gather(*(members.join(i, "en", NOW) for i in range(50)))
    member = joined[0]
    await asyncio.gather(
        *(members.set_offer_category(member.id, f"c{i}", True, NOW) for i in range(20))
    )
    again = await members.get(member.id)
    assert again is not None and len(again.offer_categories) == 20


async def test_status_change_happens_once(db: Database) -> None:
    members = MemberRepository(db)
    member = await members.join(6, "en", NOW)
    await members.update(member.id, NOW, status=Status.PENDING)
    results = await asyncio.gather(
        *(members.set_status_if(member.id, Status.PENDING, Status.ACTIVE, NOW) for _ in range(5))
    )
    assert results.count(True) == 1


async def test_erase_keeps_an_anonymous_row(db: Database) -> None:
    members, due = MemberRepository(db), DueWorkRepository(db)
    member = await members.join(7, "en", NOW)
    await members.update(member.id, NOW, display_name="Al", offers_text="t", what_matters="w")
    await members.set_offer_category(member.id, "diy", True, NOW)
    await due.schedule("k", "kind", NOW, member_id=member.id)
    assert await members.erase(member.id, NOW) is True
    assert await members.erase(member.id, NOW) is False
    erased = await members.get(member.id)
    assert erased is not None and erased.status is Status.ERASED
    assert (
        erased.telegram_id,
        erased.display_name,
        erased.offers_text,
        erased.offer_categories,
    ) == (None, None, None, ())
    assert await db.fetch_all("SELECT * FROM due_work WHERE member_id = ?", (member.id,)) == []


async def test_erasing_only_a_pending_member_leaves_one_approved_meanwhile(db: Database) -> None:
    members = MemberRepository(db)
    member = await members.join(9, "cy", NOW)
    await members.update(member.id, NOW, status=Status.ACTIVE, display_name="Dai")
    assert not await members.erase(member.id, NOW, only_if=Status.PENDING)
    kept = await members.get(member.id)
    assert kept is not None and kept.status is Status.ACTIVE and kept.display_name == "Dai"
    await members.update(member.id, NOW, status=Status.PENDING)
    assert await members.erase(member.id, NOW, only_if=Status.PENDING)
    assert not await members.erase(member.id, NOW, only_if=Status.PENDING)  # a double tap


async def test_due_work_is_scheduled_once_per_key_and_completed(db: Database) -> None:
    due = DueWorkRepository(db)
    await due.schedule("r:1", "reminder", NOW + timedelta(hours=1))
    await due.schedule("r:1", "reminder", NOW + timedelta(hours=2))
    assert await due.due(NOW + timedelta(hours=1)) == []
    [item] = await due.due(NOW + timedelta(hours=2))
    await due.retry_at(item, NOW + timedelta(hours=3), "failed")
    [retried] = await due.due(NOW + timedelta(hours=3))
    assert retried.attempts == 1
    await due.complete(retried)
    assert await due.due(NOW + timedelta(days=9)) == []


async def test_backup_is_a_consistent_copy(db: Database, tmp_path: Path) -> None:
    members = MemberRepository(db)
    await members.join(8, "cy", NOW)
    target = tmp_path / "copy.db"
    backup(tmp_path / "test.db", target)
    with sqlite3.connect(target) as connection:
        assert connection.execute("SELECT telegram_id FROM members").fetchall() == [(8,)]
    with pytest.raises(DatabaseError, match="there is no database"):
        backup(tmp_path / "absent.db", target)


async def test_reads_see_every_commit_that_came_before_them(db: Database) -> None:
    """Many members joining at once each read back their own row (a stale snapshot would not)."""
    members = MemberRepository(db)

    async def join_and_look(telegram_id: int) -> bool:
        await members.join(telegram_id, "en", NOW)
        await members.by_telegram_id(telegram_id + 1)  # keep other reads in flight
        return await members.by_telegram_id(telegram_id) is not None

    assert all(await asyncio.gather(*(join_and_look(i) for i in range(1000, 1300))))


async def test_a_member_asks_for_contact_once_and_erasure_forgets_it_and_their_pseudonym(
    tmp_path: Path,
) -> None:
    db = await Database.open(tmp_path / "support.db")
    try:
        members = MemberRepository(db)
        member = await members.join(1, "en", NOW)
        support = SupportRepository(db)
        assert await support.ask_for_contact(member.id, ContactReason.CHECKIN, NOW)
        assert not await support.ask_for_contact(member.id, ContactReason.WELLBEING, NOW)
        first = await db.write(lambda tx: pseudonym_in(tx, member.id))
        assert await db.write(lambda tx: pseudonym_in(tx, member.id)) == first
        held = await members.personal_data(member.id)
        assert [row["reason"] for row in held["support_requests"]] == ["checkin"]
        assert await members.erase(member.id, NOW)
        assert await db.fetch_all("SELECT * FROM support_requests") == []
        assert await db.fetch_all("SELECT * FROM wellbeing_keys") == []
    finally:
        await db.close()
