"""Event announcements, directly: each audience once, each member once whatever the audiences,
not the organiser, not members who turned new events off or can't be reached; and the rules of
whom an event may be announced to."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.domain.announcements import EVENTS, Target, audience_for, targets
from bot.domain.broadcasts import Audience, AudienceKind
from bot.domain.events import ONLINE
from storage.announcements import ANNOUNCEMENT, GROUP_POST, AnnouncementRepository
from storage.database import Database
from storage.events import EventRepository
from storage.outbox import OutboxRepository, Priority
from storage.preferences import PreferenceRepository
from tests.test_broadcast_storage import add_members
from tests.test_event_storage import CHOIR, LONDON, NOW


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "announce.db")
    yield database
    await database.close()


def test_whom_an_event_may_be_announced_to() -> None:
    assert targets("canton", has_groups=False) == (Target.EVERYONE, Target.AREA, Target.INTEREST)
    assert Target.AREA not in targets(ONLINE, has_groups=True)
    assert Target.GROUP in targets(ONLINE, has_groups=True)
    assert audience_for(Target.AREA, "canton", "diy") == Audience(AudienceKind.AREA, "canton")
    assert audience_for(Target.INTEREST, "canton", "diy") == Audience(AudienceKind.INTEREST, "diy")
    assert audience_for(Target.AREA, ONLINE, "diy") is None
    assert audience_for(Target.GROUP, "canton", "diy") is None


async def test_each_audience_once_and_each_member_once(db: Database) -> None:
    await add_members(db, 4)  # ids 1-4 in Canton; 1 organises
    await add_members(db, 2, area="splott", start=5)  # ids 5-6
    await db.write(lambda tx: tx.execute("UPDATE members SET unreachable_since = 'x' WHERE id = 4"))
    await PreferenceRepository(db).set(3, EVENTS, False)
    event = await EventRepository(db).publish(1, CHOIR, LONDON, NOW)
    announcements = AnnouncementRepository(db)

    area = await announcements.announce(event.id, Target.AREA, (), NOW, bot_username="b")
    assert area is not None and area.first and area.queued == 1  # only 2
    again = await announcements.announce(event.id, Target.AREA, (), NOW, bot_username="b")
    assert again is not None and not again.first and again.queued == 0
    everyone = await announcements.announce(event.id, Target.EVERYONE, (), NOW, bot_username="b")
    assert everyone is not None and everyone.queued == 2  # 5 and 6: 2 heard already
    groups = await announcements.announce(
        event.id, Target.GROUP, (-100, -200), NOW, bot_username="b"
    )
    assert groups is not None and groups.queued == 2
    assert await announcements.done(event.id) == {Target.AREA, Target.EVERYONE, Target.GROUP}

    batch = await OutboxRepository(db).next_batch(NOW)
    sent = sorted((item.purpose, item.member_id, item.chat_id) for item in batch)
    assert [s for s in sent if s[0] == ANNOUNCEMENT] == [
        (ANNOUNCEMENT, 2, 2),
        (ANNOUNCEMENT, 5, 5),
        (ANNOUNCEMENT, 6, 6),
    ]
    assert {(p, c) for p, m, c in sent if p == GROUP_POST} == {
        (GROUP_POST, -100),
        (GROUP_POST, -200),
    }
    assert all(item.priority is Priority.BULK for item in batch)


async def test_a_cancelled_event_is_not_announced(db: Database) -> None:
    await add_members(db, 2)
    events = EventRepository(db)
    event = await events.publish(1, CHOIR, LONDON, NOW)
    await events.cancel(event.id, NOW)
    announcements = AnnouncementRepository(db)
    assert (
        await announcements.announce(event.id, Target.EVERYONE, (), NOW, bot_username="b") is None
    )
    assert await announcements.done(event.id) == frozenset()
