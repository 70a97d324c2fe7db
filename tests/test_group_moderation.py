"""The bot in the community group chat: /ban, /unban, /kick, /mute, /unmute there, by reply,
@username or Telegram id, for whom Telegram or Amser allows; in English, Welsh or both."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.config import Config
from bot.emulator import BotApiEmulator, SimulatedGroup, SimulatedMember
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from tests.conftest import ADMIN_ID
from tests.helpers import joined, member_of

SUPERGROUP = -1_009_876_543_210
GROUP = -4_012_345_678


@pytest.fixture
def config(config: Config) -> Config:
    return replace(config, group_language="en")


async def audit_rows(app: AmserApplication) -> list[tuple]:
    rows = await app.services.db.fetch_all(
        "SELECT action, actor_id, target_id, chat_id, reason, details FROM audit ORDER BY id"
    )
    return [tuple(row) for row in rows]


async def community(
    emulator: BotApiEmulator,
    *,
    supergroup: bool = True,
    bot_rights: bool = True,
    language: str = "en",
) -> tuple[SimulatedGroup, SimulatedMember, SimulatedMember, SimulatedMember]:
    """A group with its owner Sian, Eleri (an admin who may restrict members) and Tom, a
    member of Amser known as @tomspam (speaking `language`); the bot an admin there (or a
    plain member)."""
    group = emulator.group(
        SUPERGROUP if supergroup else GROUP, "Amser Canton", supergroup=supergroup
    )
    sian = emulator.member(701, "Sian")
    eleri = emulator.member(702, "Eleri")
    tom = await joined(emulator, 703, "Tom", username="tomspam", language=language)
    group.add(sian, "creator")
    group.add(eleri, "administrator", can_restrict_members=True)
    group.add(tom)
    if bot_rights:
        await group.set_bot("administrator", can_restrict_members=True, can_delete_messages=True)
    return group, sian, eleri, tom


async def test_a_mute_by_reply_ends_by_itself_and_is_audited(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    group, _sian, eleri, tom = await community(emulator)
    await tom.send_in(group, "buy my stuff")
    (spam,) = group.messages_from(tom)
    await eleri.send_in(group, "/mute 2h selling", reply_to=spam)
    assert group.status(tom) == "restricted"
    assert group.last.text.startswith("Tom is muted until ")
    assert "Reason: selling" in group.last.text
    him = await member_of(bot, tom)
    ((action, actor, target, chat, reason, details),) = await audit_rows(bot)
    assert (action, actor, target, chat, reason) == ("mute", None, him.id, SUPERGROUP, "selling")
    assert json.loads(details)["minutes"] == 120
    assert json.loads(details)["telegram_id"] == 702  # Eleri has not joined Amser
    clock.advance(timedelta(hours=2, seconds=1))
    assert group.status(tom) == "member"  # Telegram lifted it at the time given


async def test_ban_unban_kick_and_unmute_by_username_and_id(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    group, _sian, eleri, tom = await community(emulator)
    dai = emulator.member(704, "Dai")  # not a member of Amser: by id only
    group.add(dai)
    await eleri.send_in(group, "/ban @tomspam rude to everyone")
    assert group.status(tom) == "kicked"
    assert group.last.text == "Tom is banned from this group.\nReason: rude to everyone"
    await eleri.send_in(group, "/unban 703")
    assert group.status(tom) == "left"
    assert group.last.text == "Tom may join this group again."
    await eleri.send_in(group, "/kick 704")
    assert group.status(dai) == "left"
    assert group.last.text == "Dai has been removed from the group, and may join again."
    await tom.join(group)
    await eleri.send_in(group, "/mute @tomspam")
    assert group.status(tom) == "restricted"
    assert group.last.text == "Tom is muted until an admin unmutes them."
    await eleri.send_in(group, "/unmute @tomspam")
    assert group.status(tom) == "member"
    assert group.last.text == "Tom can send messages again."
    actions = [row[0] for row in await audit_rows(bot)]
    assert actions == ["ban", "unban", "kick", "mute", "unmute"]
    kick = (await audit_rows(bot))[2]
    assert kick[2] is None and json.loads(kick[5])["target_name"] == "Dai"


async def test_who_may_moderate_the_group(bot: AmserApplication, emulator: BotApiEmulator) -> None:
    group, _sian, _eleri, tom = await community(emulator)
    plain = emulator.member(705, "Huw")
    helper = emulator.member(706, "Nia")
    group.add(plain)
    group.add(helper, "administrator", can_delete_messages=True)  # no right to restrict
    refusal = (
        "Sorry, this is for the group's admins who may restrict members, and for coordinators."
    )
    for person in (plain, helper):
        await person.send_in(group, "/ban @tomspam")
        assert group.last.text == refusal
        assert group.status(tom) == "member"
    await plain.send_in(group, "/kick @tomspam")
    await plain.send_in(group, "/mute @tomspam")  # a third try in a few minutes is audited
    refused = await audit_rows(bot)
    assert [(row[0], json.loads(row[5])) for row in refused] == [
        ("refused", {"action": "moderate_group", "telegram_id": 705})
    ]
    gwen = await joined(emulator, ADMIN_ID, "Gwen")  # a coordinator, not a Telegram admin
    group.add(gwen)
    await gwen.send_in(group, "/mute @tomspam 30m")
    assert group.status(tom) == "restricted"
    anon = emulator.member(707, "Cerys")
    group.add(anon, "administrator", anonymous=True, can_restrict_members=True)
    await anon.send_in(group, "/unmute @tomspam")
    assert group.status(tom) == "member"
    rows = (await audit_rows(bot))[1:]
    me = await member_of(bot, gwen)
    assert [(row[0], row[1]) for row in rows] == [("mute", me.id), ("unmute", None)]
    assert json.loads(rows[1][5])["anonymous"] is True


async def test_admins_are_not_actioned_and_targets_must_be_clear(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    group, sian, eleri, tom = await community(emulator)
    await sian.send_in(group, "hello all")
    (hello,) = group.messages_from(sian)
    await eleri.send_in(group, "/ban", reply_to=hello)
    assert (
        group.last.text
        == "Sian is an admin, and admins can't be banned, removed or muted by the bot."
    )
    await eleri.send_in(group, "/mute 702")
    assert group.last.text == "That's you! This is for acting on someone else."
    gwen = await joined(emulator, ADMIN_ID, "Gwen", username="gwen_c")
    group.add(gwen)
    await eleri.send_in(group, "/kick @gwen_c")  # a coordinator of Amser
    assert "admins can't be banned" in group.last.text
    await eleri.send_in(group, "/ban")
    assert group.last.text.startswith("Who is it about? Reply to a message from them with /ban")
    await eleri.send_in(group, "/ban @nobody_here")
    assert group.last.text.startswith("I don't know anyone as @nobody_here.")
    await eleri.send_in(group, "/mute @tomspam 5x")
    assert group.last.text.startswith("I couldn't read “5x” as a length of time.")
    assert group.status(tom) == "member" and group.status(gwen) == "member"
    assert await audit_rows(bot) == []


async def test_the_bot_says_when_it_lacks_the_rights(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    group, _sian, eleri, tom = await community(emulator, bot_rights=False)
    await eleri.send_in(group, "/ban @tomspam")
    assert group.last.text == (
        "I can't do that here: please make me an admin of this group who may ban and "
        "restrict members."
    )
    assert group.status(tom) == "member" and await audit_rows(bot) == []


async def test_a_basic_group_cannot_mute(bot: AmserApplication, emulator: BotApiEmulator) -> None:
    group, _sian, eleri, tom = await community(emulator, supergroup=False)
    await eleri.send_in(group, "/mute @tomspam 1h")
    assert group.last.text.startswith("Telegram allows that only in supergroups.")
    await eleri.send_in(group, "/kick @tomspam")  # a ban that ends by itself
    assert group.status(tom) == "kicked"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("cy", "Rydw i wedi gwahardd Tom o'r grŵp hwn."),
        ("both", "Rydw i wedi gwahardd Tom o'r grŵp hwn.\n\nTom is banned from this group."),
    ],
)
async def test_the_group_is_answered_in_its_language(
    config: Config,
    clock: FakeClock,
    emulator: BotApiEmulator,
    language: str,
    expected: str,
) -> None:
    from bot.runtime.harness import running_bot

    async with running_bot(replace(config, group_language=language), emulator, clock) as app:
        group, _sian, eleri, _tom = await community(emulator)
        await eleri.send_in(group, "/ban @tomspam")
        assert group.last.text == expected
        await eleri.send_in(group, "/grouplanguage en")
        assert group.last.text == "Done: I'll speak in this language here from now on."
        await eleri.send_in(group, "/unban @tomspam")
        assert group.last.text == "Tom may join this group again."
        assert not app.services.errors


async def test_every_command_answers_in_welsh(
    config: Config, clock: FakeClock, emulator: BotApiEmulator
) -> None:
    from bot.runtime.harness import running_bot

    async with running_bot(replace(config, group_language="cy"), emulator, clock) as app:
        group, sian, eleri, tom = await community(emulator)
        await tom.send_in(group, "prynwch fy stwff")
        (spam,) = group.messages_from(tom)
        await eleri.send_in(group, "/mute 2 ddiwrnod yn gwerthu", reply_to=spam)
        assert group.last.text.startswith("Rydw i wedi tawelu Tom tan ")
        assert group.last.text.endswith("\nRheswm: yn gwerthu")
        await eleri.send_in(group, "/unmute 703")
        assert group.last.text == "Gall Tom anfon negeseuon eto."
        await tom.send_in(group, "/ban 702")
        assert group.last.text.startswith("Mae'n ddrwg gen i, mae hyn ar gyfer gweinyddwyr")
        await sian.send_in(group, "/ban 702")
        assert group.last.text.startswith("Mae Eleri yn weinyddwr")
        await eleri.send_in(group, "/kick @tomspam")
        assert group.last.text == "Rydw i wedi tynnu Tom o'r grŵp, ond caiff ymuno eto."
        await eleri.send_in(group, "/ban 703")
        assert group.last.text == "Rydw i wedi gwahardd Tom o'r grŵp hwn."
        await eleri.send_in(group, "/unban @tomspam")
        assert group.last.text == "Caiff Tom ymuno â'r grŵp hwn eto."
        assert not app.services.errors
