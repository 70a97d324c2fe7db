"""The forms table: one form per member, answers kept as their dataclass, finished once."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path

import pytest

from storage.database import Database, migrate_to
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


async def test_forms_in_progress_before_the_forms_table_are_kept(tmp_path: Path) -> None:
    """Upgrading: joining, an offer being written and a /log being filled in carry on."""
    from handlers.listings.post import ListingAnswers
    from handlers.log.form import LogAnswers

    path = tmp_path / "old.db"
    stamp = NOW.isoformat()
    with closing(sqlite3.connect(path, isolation_level=None)) as old:
        migrate_to(old, 8)
        old.executescript(
            f"""
            INSERT INTO members (id, telegram_id, language, status, step, created_at, updated_at)
            VALUES (1, 11, 'cy', 'joining', 'area', '{stamp}', '{stamp}'),
                   (2, 12, 'en', 'active', 'listing:details', '{stamp}', '{stamp}'),
                   (3, 13, 'en', 'active', 'log:min', '{stamp}', '{stamp}'),
                   (4, 14, 'en', 'active', NULL, '{stamp}', '{stamp}');
            INSERT INTO listing_drafts (member_id, kind, category, title, updated_at)
            VALUES (2, 'request', 'gardening', 'Help with my garden', '{stamp}');
            INSERT INTO ledger_drafts (member_id, purpose, other_id, gave, updated_at)
            VALUES (3, 'log', 4, 0, '{stamp}');
            """
        )
    db = await Database.open(path)
    try:
        forms = FormRepository(db)
        joining, writing, logging = [await forms.of_member(i) for i in (1, 2, 3)]
        assert await forms.of_member(4) is None
        assert joining is not None and (joining.name, joining.step) == ("join", "area")
        assert writing is not None and (writing.name, writing.step) == ("listing", "details")
        assert writing.answers_as(ListingAnswers) == ListingAnswers(
            kind="request", category="gardening", title="Help with my garden"
        )
        assert logging is not None and (logging.name, logging.step) == ("log", "minutes")
        assert logging.answers_as(LogAnswers) == LogAnswers(other_id=4, gave=False)
        columns = [row["name"] for row in await db.fetch_all("PRAGMA table_info(members)")]
        assert "step" not in columns
        tables = {row["name"] for row in await db.fetch_all("SELECT name FROM sqlite_master")}
        assert not tables & {"listing_drafts", "ledger_drafts"}
    finally:
        await db.close()
