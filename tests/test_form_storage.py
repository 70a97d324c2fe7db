"""The forms table: one form per member, answers kept as their dataclass, finished once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path

import pytest

from storage.database import Database
from storage.forms import FormRepository
from storage.members import MemberRepository

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


class Way(StrEnum):
    GAVE = "gave"
    GOT = "got"


@dataclass(frozen=True)
class Answers:
    other_id: int | None = None
    minutes: int | None = None
    happened_on: date | None = None
    way: Way | None = None
    gave: bool | None = None
    categories: tuple[str, ...] = ()


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "forms.db")
    yield database
    await database.close()


async def member(db: Database, telegram_id: int) -> int:
    return (await MemberRepository(db).join(telegram_id, "cy", NOW)).id


async def test_answers_come_back_as_their_dataclass(db: Database) -> None:
    forms = FormRepository(db)
    answers = Answers(3, 90, date(2026, 11, 30), Way.GOT, False, ("garden", "lifts"))
    started = await forms.start(await member(db, 1), "log", "who", answers, NOW)
    again = await forms.get(started.id)
    assert again is not None and again.answers_as(Answers) == answers
    assert again.step == "who" and not again.finished and again.seen == frozenset()


async def test_starting_a_form_replaces_the_one_before(db: Database) -> None:
    forms = FormRepository(db)
    who = await member(db, 1)
    first = await forms.start(who, "log", "who", Answers(), NOW)
    second = await forms.start(who, "donate", "amount", Answers(), NOW)
    assert second.id != first.id
    assert await forms.get(first.id) is None
    mine = await forms.of_member(who)
    assert mine is not None and mine.id == second.id and mine.name == "donate"


async def test_moving_keeps_step_answers_and_seen(db: Database) -> None:
    forms = FormRepository(db)
    form = await forms.start(await member(db, 1), "log", "who", Answers(), NOW)
    moved = await forms.move(
        form.id, NOW, step="day", answers=Answers(minutes=60), seen=frozenset({"who"})
    )
    assert moved is not None and moved.step == "day" and moved.seen == {"who"}
    assert moved.answers_as(Answers).minutes == 60


async def test_a_form_finishes_once_and_then_stays_as_it_was(db: Database) -> None:
    forms = FormRepository(db)
    form = await forms.start(await member(db, 1), "log", "review", Answers(minutes=60), NOW)
    assert await forms.finish(form.id, NOW, outcome=42) is True
    assert await forms.finish(form.id, NOW, outcome=43) is False  # a double tap
    assert await forms.move(form.id, NOW, answers=Answers(minutes=5)) is None
    done = await forms.get(form.id)
    assert done is not None and done.finished and done.outcome == 42
    assert done.answers_as(Answers).minutes == 60


async def test_unknown_answers_are_ignored_and_missing_ones_default(db: Database) -> None:
    forms = FormRepository(db)
    form = await forms.start(await member(db, 1), "log", "who", {"minutes": 15, "old": 1}, NOW)
    assert form.answers_as(Answers) == Answers(minutes=15)
