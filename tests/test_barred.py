"""A ban outlives erasure, and erasure stays honest: a banned member who erases themselves leaves
only a keyed digest of their Telegram id, and that account can't /start again as someone new
(told kindly, in both languages, whom to ask); a member who was not banned erases and rejoins
freely; a coordinator given the id can lift it."""

from __future__ import annotations

import hashlib

import pytest

from bot.emulator import BotApiEmulator, SimulatedMember
from bot.runtime.context import AmserApplication
from storage.barred import BarredFromJoining
from tests.conftest import ADMIN_ID
from tests.helpers import audit_actions, join, joined, tap

ANN = 401
WORDS = {
    "en": {
        "note": "a scrambled note of your Telegram account",
        "erased": "Only the scrambled note of your Telegram account is kept",
    },
    "cy": {
        "note": "nodyn wedi'i sgramblo o'ch cyfrif Telegram",
        "erased": "Dim ond y nodyn wedi'i sgramblo o'ch cyfrif Telegram sy'n cael ei gadw",
    },
}
REFUSED = (
    "you can't join Amser Test this time",
    "allwch chi ddim dod yn aelod o Amser Test y tro hwn",
)


async def forgets(app: AmserApplication, person: SimulatedMember) -> str:
    """/forget and erase; the question they were asked."""
    await person.send("/forget")
    asked = person.last.text
    await tap(app, person, "priv", "erase")
    return asked


async def members(app: AmserApplication) -> int:
    row = await app.services.db.fetch_one("SELECT count(*) FROM members")
    return int(row[0]) if row else 0


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_a_banned_member_who_forgets_cannot_start_again(
    bot: AmserApplication, emulator: BotApiEmulator, language: str
) -> None:
    words = WORDS[language]
    cai = await joined(emulator, ADMIN_ID, "Cai")
    ann = await joined(emulator, ANN, "Ann", language=language)
    await cai.send("/ban Ann threatening people")
    await bot.settle()
    asked = await forgets(bot, ann)
    assert words["note"] in asked
    assert words["erased"] in ann.last.text and "/start" not in ann.last.text
    assert await bot.services.members.by_telegram_id(ANN) is None
    held = await members(bot)
    await ann.send("/start")
    refusal = ann.last.text
    assert all(part in refusal for part in REFUSED) and str(ANN) in refusal
    assert "threatening" not in refusal and not ann.last.buttons
    await ann.send("/start join")  # the group's welcome link: the same
    assert ann.last.text == refusal
    assert await members(bot) == held and await bot.services.members.by_telegram_id(ANN) is None
    # A consent screen shown before, pressed now: still nothing is created.
    with pytest.raises(BarredFromJoining):
        await bot.services.members.join(ANN, "en", bot.services.clock.now())
    assert await members(bot) == held
    assert not bot.services.errors


async def test_a_member_not_banned_forgets_and_joins_again(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    cai = await joined(emulator, ADMIN_ID, "Cai")
    ann = await joined(emulator, ANN, "Ann")
    await cai.send("/suspend Ann 1d")  # suspended, not banned
    await bot.settle()
    asked = await forgets(bot, ann)
    assert "very welcome to join again" in asked and "scrambled" not in asked
    assert "just send /start" in ann.last.text
    await join(ann)
    member = await bot.services.members.by_telegram_id(ANN)
    assert member is not None and member.display_name == "Ann"
    rows = await bot.services.db.fetch_all("SELECT * FROM barred")
    assert rows == []


async def test_the_note_kept_holds_no_telegram_id(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    cai = await joined(emulator, ADMIN_ID, "Cai")
    ann = await joined(emulator, ANN, "Ann")
    await cai.send("/ban Ann")
    await forgets(bot, ann)
    rows = await bot.services.db.fetch_all("SELECT * FROM barred")
    assert len(rows) == 1 and set(rows[0].keys()) == {"digest", "sanction_id", "at"}
    digest = rows[0]["digest"]
    assert str(ANN) not in digest and len(digest) == 64
    assert digest != hashlib.sha256(str(ANN).encode()).hexdigest()  # keyed: not guessable
    # The sanction's own row went with the rest; its id still finds the ban's audit row.
    sanctions = await bot.services.db.fetch_all("SELECT * FROM sanctions")
    assert sanctions == []
    ban = await bot.services.db.fetch_one("SELECT subject FROM audit WHERE action = 'ban'", ())
    assert ban is not None and ban["subject"] == rows[0]["sanction_id"]


async def test_a_coordinator_given_the_id_lifts_it(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    cai = await joined(emulator, ADMIN_ID, "Cai")
    ann = await joined(emulator, ANN, "Ann")
    await cai.send("/ban Ann")
    await forgets(bot, ann)
    await cai.send("/unsuspend 999")  # nobody, barred or not
    assert "No member has the Telegram id 999" in cai.last.text
    await cai.send(f"/unsuspend {ANN}")
    assert f"Telegram id {ANN} belonged to someone who was banned" in cai.last.text
    assert await audit_actions(bot) == ["ban", "unban"]
    row = await bot.services.db.fetch_one("SELECT target_id FROM audit WHERE action = 'unban'")
    banned = await bot.services.db.fetch_one("SELECT target_id FROM audit WHERE action = 'ban'")
    assert row is not None and banned is not None and row["target_id"] == banned["target_id"]
    await cai.send(f"/unsuspend {ANN}")  # again: nothing more to lift
    assert "No member has the Telegram id" in cai.last.text
    assert await audit_actions(bot) == ["ban", "unban"]
    await join(ann)
    assert await bot.services.members.by_telegram_id(ANN) is not None
