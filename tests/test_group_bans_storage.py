"""A time-bank ban's due work for the group chats, in the database directly: written with the
ban, one item per group the bot is in (none where it has left), kept when the member is
erased, and replaced by letting them back when the ban is lifted before it ran."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.database import Database
from storage.due_work import DueWorkRepository
from storage.group_bans import BAN_KIND, UNBAN_KIND, GroupBan
from storage.groups import BotStanding, GroupLanguage, GroupRepository, Standing
from storage.members import MemberRepository
from storage.moderation import ModerationRepository, SanctionKind, SanctionRequest, sanction_in
from tests.test_broadcast_storage import add_members
from tests.test_moderation_storage import NOW

ACTOR, ANN = 1, 2  # member ids (Telegram ids 1 and 2)
CANTON, GRANGE, GONE = -1001, -1002, -1003


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "group_bans.db")
    await add_members(database, 2)
    groups = GroupRepository(database)
    for chat_id, status in (
        (CANTON, BotStanding.ADMINISTRATOR),
        (GRANGE, BotStanding.MEMBER),
        (GONE, BotStanding.LEFT),
    ):
        await groups.seen(Standing(chat_id, f"group {chat_id}", status), NOW, GroupLanguage.EN)
    yield database
    await database.close()


async def group_work(db: Database) -> list[tuple[str, GroupBan]]:
    due = await DueWorkRepository(db).due(NOW)
    return sorted(
        ((item.kind, GroupBan.of(item.payload)) for item in due if item.member_id is None),
        key=lambda pair: pair[1].chat_id,
    )


async def test_a_ban_writes_one_item_per_group_the_bot_is_in(db: Database) -> None:
    moderation = ModerationRepository(db)
    request = SanctionRequest(ANN, SanctionKind.BAN, ACTOR, "spam", None)
    ban = await db.write(lambda tx: sanction_in(tx, request, NOW, None))
    assert ban is not None
    work = await group_work(db)
    assert [(kind, w.chat_id, w.telegram_id, w.actor_id) for kind, w in work] == [
        (BAN_KIND, GRANGE, 2, ACTOR),
        (BAN_KIND, CANTON, 2, ACTOR),
    ]
    assert {w.sanction_id for _kind, w in work} == {ban.id}
    assert (
        await db.write(lambda tx: sanction_in(tx, request, NOW, None)) is None
    )  # again: nothing more
    assert len(await group_work(db)) == 2
    await moderation.lift(ANN, ACTOR, NOW, None)
    assert [(kind, w.chat_id) for kind, w in await group_work(db)] == [
        (UNBAN_KIND, GRANGE),
        (UNBAN_KIND, CANTON),
    ]


async def test_erasing_the_banned_member_does_not_undo_it(db: Database) -> None:
    request = SanctionRequest(ANN, SanctionKind.BAN, ACTOR, None, None)
    assert await db.write(lambda tx: sanction_in(tx, request, NOW, None)) is not None
    assert await MemberRepository(db).erase(ANN, NOW)  # /forget straight after
    assert [w.chat_id for _kind, w in await group_work(db)] == [GRANGE, CANTON]


async def test_a_suspension_writes_none(db: Database) -> None:
    moderation = ModerationRepository(db)
    request = SanctionRequest(ANN, SanctionKind.SUSPEND, ACTOR, None, None)
    assert await db.write(lambda tx: sanction_in(tx, request, NOW, None)) is not None
    await moderation.lift(ANN, ACTOR, NOW, None)
    assert await group_work(db) == []
