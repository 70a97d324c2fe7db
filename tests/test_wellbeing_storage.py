"""The wellbeing repository: consent once, answers once per question per round under the
pseudonym, and withdrawing deleting answers and the rounds to come in one write."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.wellbeing import Kind, Round
from storage.database import Database
from storage.due_work import DueWorkRepository
from storage.effects import Schedule
from storage.members import MemberRepository
from storage.wellbeing import WellbeingRepository, round_keys

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
ROUND = Round(Kind.ONS, date(2026, 11, 24))


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "test.db")
    yield database
    await database.close()


async def _member(db: Database, telegram_id: int = 1) -> int:
    return (await MemberRepository(db).join(telegram_id, "en", NOW)).id


def _rounds(member_id: int) -> list[Schedule]:
    ons, since = round_keys(member_id)
    later = NOW + timedelta(days=91)
    return [Schedule(ons, "wellbeing.round", later, member_id, {"kind": "ons"}),
            Schedule(since, "wellbeing.round", later, member_id, {"kind": "since"})]  # fmt: skip


async def test_consent_is_given_once_with_its_rounds(db: Database) -> None:
    repo, member_id = WellbeingRepository(db), await _member(db)
    assert not await repo.consented(member_id)
    assert await repo.consent(member_id, NOW, _rounds(member_id))
    assert not await repo.consent(member_id, NOW + timedelta(hours=1), _rounds(member_id))
    assert await repo.consented_at(member_id) == NOW
    due = await DueWorkRepository(db).due(NOW + timedelta(days=92))
    assert sorted(item.key for item in due) == sorted(round_keys(member_id))


async def test_answers_are_kept_once_under_the_pseudonym(db: Database) -> None:
    repo, member_id = WellbeingRepository(db), await _member(db)
    await repo.consent(member_id, NOW, [])
    assert (await repo.answer(member_id, ROUND, 0, 7, NOW)).new
    assert not (await repo.answer(member_id, ROUND, 0, 2, NOW)).new
    assert (await repo.answer(member_id, ROUND, 1, None, NOW)).new
    assert await repo.answered(member_id, ROUND) == {0: 7, 1: None}
    row = await db.fetch_one("SELECT * FROM wellbeing_answers LIMIT 1")
    assert row is not None
    columns = row.keys()  # a Row's `in` looks at its values, not its columns
    assert "member_id" not in columns and "pseudonym" in columns


async def test_withdrawing_deletes_only_their_answers_and_rounds(db: Database) -> None:
    repo = WellbeingRepository(db)
    ann, ben = await _member(db, 1), await _member(db, 2)
    for member_id in (ann, ben):
        await repo.consent(member_id, NOW, _rounds(member_id))
        await repo.answer(member_id, ROUND, 0, 5, NOW)
    assert await repo.withdraw(ann, NOW)
    assert not await repo.withdraw(ann, NOW)  # twice: nothing more
    assert not await repo.consented(ann) and await repo.answer_count(ann) == 0
    # An answer arriving after the withdrawal (its press already under way) is not kept.
    assert not (await repo.answer(ann, ROUND, 1, 5, NOW)).new
    assert await repo.answer_count(ann) == 0
    assert await repo.consented(ben) and await repo.answer_count(ben) == 1
    due = await DueWorkRepository(db).due(NOW + timedelta(days=92))
    assert sorted(item.key for item in due) == sorted(round_keys(ben))
