"""Warnings, sanctions and appeals in the database directly: each with its audit row, the same
request again changing nothing, a timed end only once it is due, and the first decision on an
appeal counting."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.membership import Status
from storage.appeals import AppealRepository
from storage.database import Database
from storage.members import MemberRepository
from storage.moderation import (
    END_KIND,
    ModerationRepository,
    SanctionKind,
    SanctionRequest,
    WarnRequest,
    sanction_in,
    warn_in,
)
from tests.test_broadcast_storage import add_members

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
ACTOR, ANN, DAI = 1, 2, 3  # member ids, in the order added


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "moderation.db")
    await add_members(database, 3)
    await database.write(
        lambda tx: tx.executemany(
            "INSERT INTO roles (telegram_id, role, source) VALUES (?, 'admin', 'config')",
            [(1,), (3,)],
        )
    )
    yield database
    await database.close()


async def actions(db: Database) -> list[tuple[str, int | None]]:
    rows = await db.fetch_all("SELECT action, actor_id FROM audit ORDER BY id")
    return [(row["action"], row["actor_id"]) for row in rows]


async def test_warnings_expire_and_the_limit_suspends_once(db: Database) -> None:
    moderation = ModerationRepository(db)
    request = WarnRequest(ANN, ACTOR, "spam", expiry_days=90, limit=2)
    first = await db.write(lambda tx: warn_in(tx, request, NOW, None))
    assert (first.live, first.suspension) == (1, None)
    later = NOW + timedelta(days=90)  # the first has expired
    second = await db.write(lambda tx: warn_in(tx, request, later, None))
    assert (second.live, second.suspension) == (1, None)
    third = await db.write(lambda tx: warn_in(tx, request, later, None))
    assert third.live == 2 and third.suspension is not None
    assert third.suspension.given_by is None and third.suspension.until is None
    member = await MemberRepository(db).get(ANN)
    assert member is not None and member.status is Status.SUSPENDED
    assert await actions(db) == [("warn", ACTOR)] * 3 + [("suspend", None)]
    taken = await moderation.unwarn(ANN, ACTOR, later, None)
    assert taken is not None and taken.id == third.warning.id  # the newest
    assert [w.id for w in await moderation.live_warnings(ANN, later)] == [second.warning.id]


async def test_a_timed_suspension_ends_once_when_due(db: Database) -> None:
    moderation = ModerationRepository(db)
    ends = NOW + timedelta(days=3)
    request = SanctionRequest(ANN, SanctionKind.SUSPEND, ACTOR, "rude", ends)
    held = await db.write(lambda tx: sanction_in(tx, request, NOW, None))
    assert held is not None
    assert await db.write(lambda tx: sanction_in(tx, request, NOW, None)) is None  # already
    due = await db.fetch_all("SELECT kind, due_at FROM due_work WHERE member_id = ?", (ANN,))
    assert [row["kind"] for row in due] == [END_KIND]
    assert await moderation.end_due(held.id, NOW + timedelta(days=2), None) is None  # not yet
    assert await moderation.end_due(held.id, ends, None) is not None
    assert await moderation.end_due(held.id, ends, None) is None  # once
    member = await MemberRepository(db).get(ANN)
    assert member is not None and member.status is Status.ACTIVE
    assert await actions(db) == [("suspend", ACTOR), ("unsuspend", None)]


async def test_a_ban_replaces_a_suspension(db: Database) -> None:
    suspend = SanctionRequest(ANN, SanctionKind.SUSPEND, ACTOR, None, NOW + timedelta(days=1))
    await db.write(lambda tx: sanction_in(tx, suspend, NOW, None))
    ban = SanctionRequest(ANN, SanctionKind.BAN, ACTOR, "threats", None)
    banned = await db.write(lambda tx: sanction_in(tx, ban, NOW, None))
    assert banned is not None and banned.kind is SanctionKind.BAN
    assert await db.write(lambda tx: sanction_in(tx, ban, NOW, None)) is None
    assert (
        await db.write(lambda tx: sanction_in(tx, suspend, NOW, None)) is None
    )  # a ban is not made shorter
    assert await db.fetch_all("SELECT * FROM due_work WHERE member_id = ?", (ANN,)) == []


async def test_an_appeal_is_decided_once_by_another_coordinator(db: Database) -> None:
    moderation, appeals = ModerationRepository(db), AppealRepository(db)
    warned = await db.write(
        lambda tx: warn_in(tx, WarnRequest(ANN, ACTOR, "spam", 90, 3), NOW, None)
    )
    made = await appeals.appeal(ANN, "not me", NOW, warning_id=warned.warning.id)
    assert made is not None and made.reviewers == [DAI]
    assert await appeals.appeal(ANN, "again", NOW, warning_id=warned.warning.id) is None
    assert await appeals.decide(made.appeal.id, ACTOR, True, NOW, None) is None  # who acted
    decided = await appeals.decide(made.appeal.id, DAI, True, NOW, None)
    assert decided is not None
    assert await appeals.decide(made.appeal.id, DAI, False, NOW, None) is None  # a double tap
    assert await moderation.live_warnings(ANN, NOW) == []
    assert await actions(db) == [("warn", ACTOR), ("unwarn", DAI), ("appeal", DAI)]
