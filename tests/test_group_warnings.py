"""/warn, /warns and /unwarn in the community group chat: the same warnings as in private, for
the same people who may /mute there, in the group's language; the member told privately with
Appeal, the group only the count."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from bot.config import Config
from bot.domain.membership import Status
from bot.emulator import BotApiEmulator
from bot.runtime.context import AmserApplication
from tests.conftest import ADMIN_ID
from tests.helpers import joined, member_of
from tests.test_group_moderation import SUPERGROUP, audit_rows, community
from tests.test_moderation import WORDS

GROUP_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "warned": "⚠️ Tom has been warned ({live} of 3). I've let them know why.",
        "reason": "Reason: {reason}",
        "count": "Tom has 3 of 3 warnings that count.",
        "taken_back": "✅ Tom's newest warning has been taken back. I've let them know.",
        "not_a_member": "Warnings are kept only for members of the time bank, and Dai isn't one",
        "admin": "Sian is an admin, and admins can't be warned by the bot.",
        "language": "/grouplanguage en",
    },
    "cy": {
        "warned": "⚠️ Mae Tom wedi cael rhybudd ({live} o 3). Rydw i wedi dweud wrthyn nhw pam.",
        "reason": "Rheswm: {reason}",
        "count": "Mae gan Tom 3 o 3 rhybudd sy'n cyfrif.",
        "taken_back": (
            "✅ Mae rhybudd diweddaraf Tom wedi'i dynnu'n ôl. Rydw i wedi rhoi gwybod iddyn nhw."
        ),
        "not_a_member": "Dim ond i aelodau'r banc amser mae rhybuddion yn cael eu cadw",
        "admin": "Mae Sian yn weinyddwr, a does dim modd i'r bot rybuddio gweinyddwyr.",
        "language": "/grouplanguage cy",
    },
}


@pytest.fixture
def config(config: Config) -> Config:
    return replace(config, group_language="en")


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_a_warning_in_the_group_is_the_members_own_warning(
    bot: AmserApplication, emulator: BotApiEmulator, language: str
) -> None:
    words, told = GROUP_WORDS[language], WORDS[language]
    group, _sian, eleri, tom = await community(emulator, language=language)
    await eleri.send_in(group, words["language"])
    await tom.send_in(group, "buy my <stuff>")
    (spam,) = group.messages_from(tom)
    await eleri.send_in(group, "/warn selling <stuff>", reply_to=spam)
    reason = words["reason"].format(reason="selling &lt;stuff&gt;")
    assert group.last.html == words["warned"].format(live=1) + "\n" + reason
    await bot.settle()
    private = tom.last
    assert told["warned"] in private.text and told["counts"] in private.text
    assert "selling &lt;stuff&gt;" in (private.html or "")
    assert [button.text for row in private.buttons for button in row] == [told["appeal"]]
    him = await member_of(bot, tom)
    ((action, actor, target, chat, why, details),) = await audit_rows(bot)
    assert (action, actor, target, chat, why) == (
        "warn",
        None,
        him.id,
        SUPERGROUP,
        "selling <stuff>",
    )
    assert json.loads(details)["telegram_id"] == 702  # Eleri has not joined Amser
    assert json.loads(details)["live"] == 1
    await eleri.send_in(group, "/warn @tomspam")
    assert group.last.text == words["warned"].format(live=2)
    await eleri.send_in(group, "/warn 703 still selling")  # the warn limit: paused
    assert group.last.text.startswith(words["warned"].format(live=3))
    assert "/unsuspend" not in group.last.text  # the group hears the count, no more
    await bot.settle()
    assert told["paused"] in tom.last.text and told["limit"] in tom.last.text
    assert (await member_of(bot, tom)).status is Status.SUSPENDED
    await eleri.send_in(group, "/warns @tomspam")
    assert group.last.text == words["count"]
    assert "selling" not in group.last.text  # never what for
    await eleri.send_in(group, "/unwarn @tomspam")
    assert group.last.text == words["taken_back"]
    await bot.settle()
    assert told["unwarned"] in tom.last.text
    rows = await audit_rows(bot)
    assert [row[0] for row in rows] == ["warn", "warn", "warn", "suspend", "unwarn"]
    assert [row[3] for row in rows] == [SUPERGROUP] * 3 + [None, SUPERGROUP]
    assert not bot.services.errors


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_only_members_are_warned_and_admins_never(
    bot: AmserApplication, emulator: BotApiEmulator, language: str
) -> None:
    words = GROUP_WORDS[language]
    group, _sian, eleri, tom = await community(emulator)
    await eleri.send_in(group, words["language"])
    dai = emulator.member(704, "Dai")  # in the group, not in the time bank
    group.add(dai)
    await dai.send_in(group, "hello")
    (hello,) = group.messages_from(dai)
    await eleri.send_in(group, "/warn rude", reply_to=hello)
    assert group.last.text.startswith(words["not_a_member"])
    assert "/mute" in group.last.text and "/ban" in group.last.text
    await eleri.send_in(group, "/warn 701")  # the group's owner
    assert group.last.text == words["admin"]
    gwen = await joined(emulator, ADMIN_ID, "Gwen", username="gwen_c")  # a coordinator
    group.add(gwen)
    await eleri.send_in(group, "/warn @gwen_c")
    assert group.last.text == words["admin"].replace("Sian", "Gwen")
    await eleri.send_in(group, "/warns 704")
    assert group.last.text.startswith(words["not_a_member"])
    assert await audit_rows(bot) == []
    him = await member_of(bot, tom)
    assert await bot.services.moderation.live_warnings(him.id, bot.services.clock.now()) == []


async def test_who_may_warn_in_the_group(bot: AmserApplication, emulator: BotApiEmulator) -> None:
    group, _sian, _eleri, tom = await community(emulator)
    helper = emulator.member(706, "Nia")
    group.add(helper, "administrator", can_delete_messages=True)  # no right to restrict
    await helper.send_in(group, "/warn @tomspam")
    assert group.last.text == (
        "Sorry, this is for the group's admins who may restrict members, and for coordinators."
    )
    await tom.send_in(group, "/warns 706")
    assert group.last.text.startswith("Sorry, this is for the group's admins")
    anon = emulator.member(707, "Cerys")
    group.add(anon, "administrator", anonymous=True, can_restrict_members=True)
    await anon.send_in(group, "/warn @tomspam spamming")
    assert group.last.text.startswith("⚠️ Tom has been warned (1 of 3).")
    gwen = await joined(emulator, ADMIN_ID, "Gwen")  # a coordinator, not a Telegram admin
    group.add(gwen)
    await gwen.send_in(group, "/warn @tomspam again")
    assert group.last.text.startswith("⚠️ Tom has been warned (2 of 3).")
    rows = await audit_rows(bot)
    me = await member_of(bot, gwen)
    assert [(row[0], row[1]) for row in rows] == [("warn", None), ("warn", me.id)]
    assert json.loads(rows[0][5])["anonymous"] is True
    await bot.settle()
    live = await bot.services.moderation.live_warnings(
        (await member_of(bot, tom)).id, bot.services.clock.now()
    )
    assert [w.given_by for w in live] == [None, me.id]
    assert not bot.services.errors
