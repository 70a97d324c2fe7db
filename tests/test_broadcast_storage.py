"""Broadcasts' storage, tested directly: audiences, 10,000 recipients in one write, holding,
releasing and dropping outbox rows, and counting progress from the outbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.domain.broadcasts import (
    NEWS,
    Audience,
    AudienceKind,
    Progress,
    Status,
    needs_approval,
    telegram_length,
    text_for,
)
from storage.broadcasts import MESSAGE, BroadcastRepository
from storage.database import Database
from storage.members import MemberRepository
from storage.outbox import OutboxRepository
from storage.preferences import PreferenceRepository

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
EVERYONE = Audience(AudienceKind.EVERYONE)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "test.db")
    yield database
    await database.close()


async def add_members(db: Database, count: int, *, area: str = "canton", start: int = 1) -> None:
    stamp = NOW.isoformat()
    await db.write(
        lambda tx: tx.executemany(
            "INSERT INTO members (telegram_id, language, status, area, created_at, updated_at)"
            " VALUES (?, 'en', 'active', ?, ?, ?)",
            [(start + n, area, stamp, stamp) for n in range(count)],
        )
    )


def repositories(db: Database) -> tuple[BroadcastRepository, OutboxRepository]:
    outbox = OutboxRepository(db)
    return BroadcastRepository(db, outbox), outbox


async def test_the_audience_leaves_out_the_unreachable_those_without_news_and_other_areas(
    db: Database,
) -> None:
    broadcasts, _ = repositories(db)
    await add_members(db, 4, area="canton")
    await add_members(db, 2, area="splott", start=100)
    await db.write(lambda tx: tx.execute("UPDATE members SET unreachable_since = 'x' WHERE id = 1"))
    await db.write(lambda tx: tx.execute("UPDATE members SET status = 'pending' WHERE id = 2"))
    preferences = PreferenceRepository(db)
    assert await preferences.set(3, NEWS, False)
    assert not await preferences.set(3, NEWS, False)  # a second tap changes nothing
    assert not await preferences.wants(3, NEWS) and await preferences.wants(4, NEWS)
    await db.write(
        lambda tx: tx.execute(
            "INSERT INTO member_offer_categories (member_id, category) VALUES (5, 'garden')"
        )
    )
    assert await broadcasts.count_audience(EVERYONE) == 3  # 4, 5 and 6
    assert await broadcasts.count_audience(Audience(AudienceKind.AREA, "canton")) == 1
    assert await broadcasts.count_audience(Audience(AudienceKind.INTEREST, "garden")) == 1


async def test_ten_thousand_recipients_are_queued_in_the_write_that_starts_it(
    db: Database,
) -> None:
    broadcasts, outbox = repositories(db)
    await add_members(db, 10_000)
    made, created = await broadcasts.create(
        1, EVERYONE, "Hello", None, 7, NOW, approval_above=20_000
    )
    assert created and made.status is Status.SENDING and made.total == 10_000
    again, created = await broadcasts.create(1, EVERYONE, "Hello", None, 7, NOW, approval_above=1)
    assert not created and again.id == made.id
    assert (await outbox.counts_about(MESSAGE, made.id))["pending"] == 10_000


async def test_a_paused_broadcast_is_held_in_the_outbox_and_cancelling_drops_the_rest(
    db: Database,
) -> None:
    broadcasts, outbox = repositories(db)
    await add_members(db, 3)
    made, _ = await broadcasts.create(1, EVERYONE, None, "Helo", 1, NOW, approval_above=10)
    assert len(await outbox.next_batch(NOW)) == 3
    paused, changed = await broadcasts.pause(made.id)
    assert changed and paused is not None and paused.status is Status.PAUSED
    assert not (await broadcasts.pause(made.id))[1]
    assert await outbox.next_batch(NOW) == []
    assert (await broadcasts.resume(made.id))[1]
    batch = await outbox.next_batch(NOW)
    await broadcasts.delivered(made.id)
    await outbox.sent(batch[0])
    await outbox.fail(batch[1], "refused")
    cancelled, changed = await broadcasts.cancel(made.id, NOW)
    assert changed and cancelled is not None and cancelled.dropped == 1
    assert await broadcasts.progress(cancelled) == Progress(3, 0, 0, 1, 1, delivered=1)
    assert (await broadcasts.progress(cancelled)).sent == 1
    assert not await broadcasts.finish_if_done(made.id, NOW)  # cancelled, not done


async def test_erasing_the_author_of_a_paused_broadcast_leaves_nothing_held(
    db: Database,
) -> None:
    broadcasts, outbox = repositories(db)
    await add_members(db, 3)
    made, _ = await broadcasts.create(1, EVERYONE, None, "Helo", 1, NOW, approval_above=10)
    await broadcasts.pause(made.id)
    assert await MemberRepository(db).erase(1, NOW)
    assert await broadcasts.get(made.id) is None
    assert (await outbox.counts())["pending"] == 0
    assert await db.fetch_all("SELECT * FROM outbox_holds") == []


async def test_a_big_broadcast_waits_for_approval_and_starts_once(db: Database) -> None:
    broadcasts, outbox = repositories(db)
    await add_members(db, 3)
    made, _ = await broadcasts.create(1, EVERYONE, "Hi", "Helo", 1, NOW, approval_above=2)
    assert made.status is Status.AWAITING_APPROVAL
    assert await outbox.next_batch(NOW) == []
    first = await broadcasts.approve(made.id, 9002, NOW)
    second = await broadcasts.approve(made.id, 9001, NOW)
    assert first[1] and not second[1]
    assert second[0] is not None and second[0].approved_by == 9002
    assert len(await outbox.next_batch(NOW)) == 3
    for item in await outbox.next_batch(NOW):
        await outbox.sent(item)
    assert await broadcasts.finish_if_done(made.id, NOW)
    done = await broadcasts.get(made.id)
    assert done is not None and done.status is Status.DONE
    assert (await broadcasts.progress(done)).sent == 3


def test_each_member_gets_their_own_language_or_the_one_there_is() -> None:
    assert text_for("cy", "Hi", "Helo") == "Helo"
    assert text_for("en", "Hi", "Helo") == "Hi"
    assert text_for("cy", "Hi", None) == "Hi"
    assert text_for("en", None, "Helo") == "Helo"
    assert Progress(100, 40, 0, 0, 0).minutes_left(20) == 1


def test_the_two_person_rule_counts_recipients_above_the_limit() -> None:
    assert not needs_approval(500, 500)
    assert needs_approval(501, 500)


def test_length_is_measured_as_telegram_does() -> None:
    assert telegram_length("Helo") == 4
    assert telegram_length("🎉") == 2


def test_time_left_rounds_up_to_whole_minutes() -> None:
    assert Progress(10_000, 10_000, 0, 0, 0).minutes_left(23) == 8
    assert Progress(10, 0, 0, 0, 0).minutes_left(23) == 0
    assert Progress(10, 1, 0, 0, 0).minutes_left(0) == 1


def test_an_audience_names_its_area_or_category_and_everyone_none() -> None:
    with pytest.raises(ValueError):
        Audience(AudienceKind.AREA)
    with pytest.raises(ValueError):
        Audience(AudienceKind.EVERYONE, "canton")
