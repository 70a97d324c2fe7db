"""The bot's life in the community group: what it keeps of each group, a supergroup
migration (what waits to be sent follows), being removed, the welcome and flood control."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.config import Config
from bot.emulator import BotApiEmulator
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from bot.runtime.harness import running_bot
from handlers.groups import welcome
from storage.groups import REMOVED, BotStanding, GroupLanguage
from storage.outbox import Notice, Priority
from tests.helpers import joined, member_of

GROUP = -4_012_345_678
SUPERGROUP = -1_009_876_543_210


@pytest.fixture
def config(config: Config) -> Config:
    return replace(config, group_language="en")


def later_welcome(chat_id: int, app: AmserApplication) -> Notice:
    """A welcome that waits an hour in the outbox."""
    return Notice(
        welcome.PURPOSE,
        chat_id=chat_id,
        data={"names": ["Nia"], "link": "https://t.me/amser_test_bot?start=group"},
        priority=Priority.BULK,
        not_before=app.services.clock.now() + timedelta(hours=1),
    )


async def waiting(app: AmserApplication) -> list[tuple]:
    rows = await app.services.db.fetch_all(
        "SELECT chat_id, state, last_error FROM outbox WHERE purpose = ? ORDER BY id",
        (welcome.PURPOSE,),
    )
    return [tuple(row) for row in rows]


async def test_the_bot_keeps_its_standing_in_each_group(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    group = emulator.group(SUPERGROUP, "Amser Canton", supergroup=True)
    sian = emulator.member(701, "Sian")
    group.add(sian, "creator")
    await group.set_bot("administrator", can_restrict_members=True)
    kept = await bot.services.groups.get(SUPERGROUP)
    assert kept is not None and kept.title == "Amser Canton"
    assert kept.bot_status is BotStanding.ADMINISTRATOR and kept.language is GroupLanguage.EN
    assert kept.bot_may("can_restrict_members") and not kept.bot_may("can_delete_messages")
    await group.set_bot("member")
    kept = await bot.services.groups.get(SUPERGROUP)
    assert kept is not None and kept.bot_status is BotStanding.MEMBER
    assert not kept.bot_may("can_restrict_members")


async def test_a_migration_takes_the_group_and_its_waiting_messages_to_the_new_id(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    group = emulator.group(GROUP, "Amser Canton")
    sian = emulator.member(701, "Sian")
    group.add(sian, "creator")
    await group.set_bot("administrator", can_restrict_members=True)
    await bot.services.groups.set_language(GROUP, "Amser Canton", GroupLanguage.BOTH, clock.now())
    await bot.services.outbox.queue([later_welcome(GROUP, bot)], clock.now())
    successor = await group.migrate_to_supergroup(SUPERGROUP)
    assert await waiting(bot) == [(SUPERGROUP, "pending", None)]
    kept = await bot.services.groups.get(SUPERGROUP)
    assert kept is not None and kept.migrated_from == GROUP
    assert kept.language is GroupLanguage.BOTH  # what the admins chose stays
    assert await bot.services.groups.get(GROUP) is None
    # What is queued later for the old id (an event group named in the config) goes there too.
    await bot.services.outbox.queue([later_welcome(GROUP, bot)], clock.now())
    assert [row[0] for row in await waiting(bot)] == [SUPERGROUP, SUPERGROUP]
    clock.advance(timedelta(hours=1, seconds=1))
    await bot.settle()
    assert [m.text.split("!")[0] for m in successor.messages] == ["Croeso, Nia", "Croeso, Nia"]
    assert group.messages == [] and await waiting(bot) == []


async def test_the_sender_follows_a_group_telegram_says_has_moved(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    group = emulator.group(GROUP, "Amser Canton")
    group.add(emulator.member(701, "Sian"), "creator")
    successor = await group.migrate_to_supergroup(SUPERGROUP)
    await bot.services.outbox.queue([later_welcome(SUPERGROUP, bot)], clock.now())
    # As if written before the bot heard of the move: still for the old id.
    await bot.services.db.write(lambda tx: tx.execute("UPDATE outbox SET chat_id = ?", (GROUP,)))
    clock.advance(timedelta(hours=1, seconds=1))
    await bot.settle()
    assert successor.last.text.startswith("Welcome, Nia!")
    assert await waiting(bot) == []


async def test_removed_from_a_group_the_bot_stops_sending_there(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    group = emulator.group(SUPERGROUP, "Amser Canton", supergroup=True)
    sian = emulator.member(701, "Sian")
    group.add(sian, "creator")
    await group.set_bot("administrator", can_restrict_members=True)
    await bot.services.outbox.queue([later_welcome(SUPERGROUP, bot)], clock.now())
    await group.set_bot("kicked", by=sian)
    kept = await bot.services.groups.get(SUPERGROUP)
    assert kept is not None and kept.bot_status is BotStanding.KICKED and not kept.present
    assert await waiting(bot) == [(SUPERGROUP, "failed", REMOVED)]
    clock.advance(timedelta(hours=2))
    await bot.settle()
    assert group.messages == []


async def test_a_group_that_refuses_the_bot_is_marked_gone(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    group = emulator.group(SUPERGROUP, "Amser Canton", supergroup=True)
    sian = emulator.member(701, "Sian")
    group.add(sian, "creator")
    await group.set_bot("left", quiet=True)  # the bot never heard it was removed
    notice = replace(later_welcome(SUPERGROUP, bot), not_before=None)
    await bot.services.outbox.queue([notice, later_welcome(SUPERGROUP, bot)], clock.now())
    await bot.settle()
    kept = await bot.services.groups.get(SUPERGROUP)
    assert kept is not None and kept.bot_status is BotStanding.LEFT
    assert [row[1:] for row in await waiting(bot)] == [("failed", REMOVED)] * 2


@pytest.mark.parametrize(
    ("language", "opening", "label"),
    [
        ("en", "Welcome, Eleri! Amser Test is our time bank", "Join the time bank"),
        ("cy", "Croeso, Eleri! Amser Test yw ein banc amser", "Ymuno â'r banc amser"),
        ("both", "Croeso, Eleri!", "Ymuno â'r banc amser · Join the time bank"),
    ],
)
async def test_newcomers_are_welcomed_with_a_link_to_join(
    config: Config,
    clock: FakeClock,
    emulator: BotApiEmulator,
    language: str,
    opening: str,
    label: str,
) -> None:
    async with running_bot(replace(config, group_language=language), emulator, clock) as app:
        group = emulator.group(SUPERGROUP, "Amser Canton", supergroup=True)
        sian = emulator.member(701, "Sian")
        group.add(sian, "creator")
        await group.set_bot("administrator", can_restrict_members=True)
        eleri = emulator.member(702, "Eleri")
        await eleri.join(group)
        await app.settle()
        assert group.last.text.startswith(opening)
        if language == "both":
            assert "\n\nWelcome, Eleri!" in group.last.text
        button = group.last.button(label)
        assert button.url == "https://t.me/amser_test_bot?start=group"
        welcomes = len(group.messages)
        await emulator.member(703, "Tom").join(group, invited_by=sian)
        await app.settle()
        assert len(group.messages) == welcomes + 1  # each join its own welcome
        assert not app.services.errors


async def test_a_flood_mutes_the_sender_and_says_why(
    config: Config, clock: FakeClock, emulator: BotApiEmulator
) -> None:
    quick = replace(config, flood_messages=3, flood_seconds=10, flood_mute_minutes=10)
    async with running_bot(quick, emulator, clock) as app:
        group = emulator.group(SUPERGROUP, "Amser Canton", supergroup=True)
        sian = emulator.member(701, "Sian")
        group.add(sian, "creator")
        await group.set_bot("administrator", can_restrict_members=True)
        tom = await joined(emulator, 703, "Tom")
        group.add(tom)
        for word in ("one", "two", "three", "four"):  # never more than three in ten seconds
            await tom.send_in(group, word)
            clock.advance(timedelta(seconds=4))
        assert group.status(tom) == "member"
        await tom.send_in(group, "five")
        await tom.send_in(group, "six")  # the fourth within ten seconds
        assert group.status(tom) == "restricted"
        assert group.last.text.startswith("Tom, that's a lot of messages at once")
        for _ in range(4):  # an admin may talk as much as they like
            await sian.send_in(group, "news")
        assert group.status(sian) == "creator"
        him = await member_of(app, tom)
        rows = await app.services.db.fetch_all(
            "SELECT action, actor_id, target_id, details FROM audit"
        )
        ((action, actor, target, details),) = [tuple(row) for row in rows]
        assert (action, actor, target) == ("mute", None, him.id)
        assert json.loads(details)["minutes"] == 10
        clock.advance(timedelta(minutes=10, seconds=1))
        assert group.status(tom) == "member"
        assert not app.services.errors


async def test_the_coordinators_log_chat_gets_no_welcomes(
    config: Config, clock: FakeClock, emulator: BotApiEmulator
) -> None:
    async with running_bot(replace(config, log_chat=SUPERGROUP), emulator, clock) as app:
        group = emulator.group(SUPERGROUP, "Amser log", supergroup=True)
        sian = emulator.member(701, "Sian")
        group.add(sian, "creator")
        await emulator.member(702, "Eleri").join(group, invited_by=sian)
        await app.settle()
        assert group.messages == [] and not app.services.errors
