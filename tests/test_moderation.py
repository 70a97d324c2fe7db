"""/warn, /warns, /unwarn, /suspend, /unsuspend and /ban in private chat, through the emulator, in
English and Welsh: what the member and the others are told, who may act, the warn limit and
expiry as the clock moves on, a timed suspension ending after a restart, and every refusal
changing nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.config import Config
from bot.domain.membership import Status
from bot.emulator import BotApiEmulator
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from bot.runtime.harness import running_bot
from storage.audit import AuditAction
from tests.conftest import ADMIN_ID, AMBASSADOR_ID
from tests.helpers import audit_actions, due_work_done, joined, member_of
from tests.test_introductions import introduced, post

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "warned": "A warning from the coordinators of Amser Test",
        "counts": "You have 1 of 3 warnings that count",
        "appeal": "✋ Appeal",
        "unwarned": "A warning you were given has been taken back",
        "paused": "Your membership of Amser Test is paused",
        "limit": "You have had 3 warnings that still count",
        "by_itself": "It will start again by itself",
        "until_lifted": "It stays paused until a coordinator lifts it",
        "active": "Your membership of Amser Test is active again",
        "refused": "Your membership is paused at the moment",
        "removed": "You have been removed from Amser Test",
        "break": "is taking a break from Amser",
        "ended": "is no longer part of the time bank",
        "back": "Ann is back, so your introduction with them can carry on",
        "no_longer": "You're no longer a member of Amser Test",
    },
    "cy": {
        "warned": "Rhybudd gan gydlynwyr Amser Test",
        "counts": "Mae gennych chi 1 o 3 rhybudd sy'n cyfrif",
        "appeal": "✋ Apelio",
        "unwarned": "Mae cydlynydd wedi tynnu rhybudd",
        "paused": "Mae eich aelodaeth o Amser Test wedi'i hoedi",
        "limit": "Rydych chi wedi cael 3 rhybudd sy'n dal i gyfrif",
        "by_itself": "Bydd yn ailddechrau ohono'i hun",
        "until_lifted": "Bydd yn aros wedi'i hoedi nes i gydlynydd ei hadfer",
        "active": "Mae eich aelodaeth o Amser Test yn weithredol eto",
        "refused": "Mae eich aelodaeth wedi'i hoedi ar hyn o bryd",
        "removed": "Rydych chi wedi cael eich tynnu o Amser Test",
        "break": "yn cymryd seibiant o Amser",
        "ended": "ddim yn rhan o'r banc amser bellach",
        "back": "Mae Ann yn ôl, felly gall eich cyflwyniad barhau",
        "no_longer": "Dydych chi ddim yn aelod o Amser Test bellach",
    },
}


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_warn_see_and_take_back_a_warning(
    bot: AmserApplication, emulator: BotApiEmulator, language: str
) -> None:
    words = WORDS[language]
    cai = await joined(emulator, ADMIN_ID, "Cai", language=language)
    ann = await joined(emulator, 401, "Ann", language=language)
    await cai.send("/warn Ann shouting <at> people")
    assert "Ann" in cai.last.text and "(1 / 3)" not in cai.last.text
    await bot.settle()
    told = ann.last
    assert words["warned"] in told.text and words["counts"] in told.text
    assert "shouting &lt;at&gt; people" in (told.html or "")
    assert [button.text for row in told.buttons for button in row] == [words["appeal"]]
    await cai.send("/warns Ann")
    assert "shouting &lt;at&gt; people" in (cai.last.html or "")
    await cai.send("/unwarn Ann")
    await bot.settle()
    assert words["unwarned"] in ann.last.text
    await cai.send("/unwarn Ann")  # none left: nothing more is taken back
    await cai.send("/warns Ann")
    assert "⚠️" not in cai.last.text
    cai_id, ann_id = (await member_of(bot, cai)).id, (await member_of(bot, ann)).id
    rows = await bot.services.audit.recent()
    assert [(r.action, r.actor_id, r.target_id, r.reason) for r in rows] == [
        ("unwarn", cai_id, ann_id, None),
        ("warn", cai_id, ann_id, "shouting <at> people"),
    ]


async def test_the_warn_limit_suspends_and_warnings_expire(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    words = WORDS["en"]
    cai = await joined(emulator, ADMIN_ID, "Cai")
    ann = await joined(emulator, 401, "Ann")
    await cai.send("/warn Ann one")
    await cai.send("/warn Ann two")
    clock.advance(timedelta(days=91))  # both have expired
    await cai.send("/warn Ann three")
    assert "(1 of 3)" in cai.last.text
    await cai.send("/warn Ann four")
    await cai.send("/warn Ann five")
    assert "(3 of 3)" in cai.last.text and "warn limit" in cai.last.text
    await bot.settle()
    assert words["paused"] in ann.last.text and words["limit"] in ann.last.text
    assert words["until_lifted"] in ann.last.text
    assert (await member_of(bot, ann)).status is Status.SUSPENDED
    suspended = (await bot.services.audit.recent(action=AuditAction.SUSPEND))[0]
    assert suspended.actor_id is None and suspended.target_id == (await member_of(bot, ann)).id
    await ann.send("/offer")
    assert words["refused"] in ann.last.text


async def test_warnings_end_at_the_time_of_day_given_across_a_clock_change_and_a_restart(
    config: Config, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    clock.advance(timedelta(days=40))  # Sunday 3 January 2027, 10:00 in Cardiff (GMT)
    async with running_bot(config, emulator, clock) as app:
        cai = await joined(emulator, ADMIN_ID, "Cai")
        ann = await joined(emulator, 401, "Ann")
        await cai.send("/warn Ann one")
        await cai.send("/warn Ann two")
        await cai.send("/warns Ann")
        assert "(2 of 3)" in cai.last.text and "3 April at 10:00" in cai.last.text
        assert not app.services.errors
    # The clocks go forward on 28 March: 10:00 on 3 April is 09:00 UTC, not 10:00.
    clock.advance(timedelta(days=90, hours=-1, minutes=-30))  # 09:30 summer time
    async with running_bot(config, emulator, clock) as app:
        await cai.send("/warns Ann")
        assert "(2 of 3)" in cai.last.text
        clock.advance(timedelta(hours=1))  # 10:30: both have ended
        await cai.send("/warn Ann three")
        assert "(1 of 3)" in cai.last.text
        assert (await member_of(app, ann)).status is Status.ACTIVE  # no warn limit reached
        assert not app.services.errors


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_only_coordinators_may_warn_suspend_or_ban(
    bot: AmserApplication, emulator: BotApiEmulator, language: str
) -> None:
    refused = {"en": "this is for coordinators", "cy": "ar gyfer cydlynwyr yn unig"}[language]
    alys = await joined(emulator, AMBASSADOR_ID, "Alys", language=language)
    ann = await joined(emulator, 401, "Ann", language=language)
    await joined(emulator, 402, "Bob")
    for person in (ann, alys):
        for command in ("warn", "warns", "unwarn", "suspend", "unsuspend", "ban"):
            await person.send(f"/{command} Bob rude")
            assert refused in person.last.text, command
    assert set(await audit_actions(bot)) <= {"refused"}  # repeated tries, nothing done
    bob = await member_of(bot, emulator.member(402, "Bob"))
    assert bob.status is Status.ACTIVE


REFUSALS: dict[str, dict[str, str]] = {
    "en": {
        "who": "Who is it about?",
        "self": "That's you!",
        "admin": "coordinators can't be warned, suspended or banned",
        "unknown": "I can't find a member called “Zed”",
        "erased": "No member has the Telegram id 402",
        "length": "I couldn't read “3x” as a length of time",
        "long": "That reason is a little long",
        "not_suspended": "Ann isn't suspended",
    },
    "cy": {
        "who": "Am bwy mae e?",
        "self": "Chi yw hwnna!",
        "admin": "does dim modd rhybuddio, atal na gwahardd cydlynwyr",
        "unknown": "Alla i ddim dod o hyd i aelod o'r enw “Zed”",
        "erased": "Does dim aelod â'r rhif adnabod Telegram 402",
        "length": "Allwn i ddim darllen “3x” fel hyd o amser",
        "long": "Mae'r rheswm braidd yn hir",
        "not_suspended": "Does dim ataliad ar Ann",
    },
}


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_every_refusal_is_explained_and_changes_nothing(
    config: Config, emulator: BotApiEmulator, clock: FakeClock, language: str
) -> None:
    words = REFUSALS[language]
    config = replace(config, admins=frozenset({ADMIN_ID, 9003}))
    async with running_bot(config, emulator, clock) as app:
        cai = await joined(emulator, ADMIN_ID, "Cai", language=language)
        await joined(emulator, 9003, "Dai")
        await joined(emulator, 401, "Ann")
        gone = await joined(emulator, 402, "Gwen")
        await gone.send("/forget")
        await gone.press("Yes, erase my details")
        for typed, said in (
            ("/warn", "who"),
            ("/suspend", "who"),
            ("/ban", "who"),
            ("/warn Cai rude", "self"),
            ("/ban Cai", "self"),
            ("/warn Dai rude", "admin"),
            ("/suspend Dai 3d", "admin"),
            ("/ban Dai", "admin"),
            ("/warn Zed rude", "unknown"),
            ("/suspend 402 1w", "erased"),  # erased: their Telegram id is gone
            ("/suspend Ann 3x rude", "length"),
            ("/warn Ann " + "x" * 201, "long"),
            ("/ban Ann " + "x" * 201, "long"),
            ("/unsuspend Ann", "not_suspended"),
        ):
            await cai.send(typed)
            assert words[said] in cai.last.text, typed
        assert await audit_actions(app) == []
        assert (await member_of(app, emulator.member(401, "Ann"))).status is Status.ACTIVE
        assert not app.services.errors


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_a_timed_suspension_ends_by_itself_after_a_restart(
    config: Config, emulator: BotApiEmulator, clock: FakeClock, language: str
) -> None:
    words = WORDS[language]
    async with running_bot(config, emulator, clock) as app:
        cai = await joined(emulator, ADMIN_ID, "Cai")
        ann = await joined(emulator, 401, "Ann", language=language)
        bob = await joined(emulator, 402, "Bob", language=language)
        await introduced(app, ann, bob)
        offer = await post(app, ann, kind="offer", title="Bike repairs")
        await cai.send("/suspend Ann 3d rude to Bob")
        assert "Ann" in cai.last.text
        await app.settle()
        assert words["paused"] in ann.last.text and words["by_itself"] in ann.last.text
        assert "rude to Bob" in ann.last.text and words["appeal"] in str(ann.last.buttons)
        assert words["break"] in bob.last.text and "rude" not in bob.last.text  # never why
        page = await app.services.listings.browse("offer", None, None, 0, 10)
        assert offer.id not in [listing.id for listing in page.listings]  # hidden
        await ann.send("/request")
        assert words["refused"] in ann.last.text
        assert await app.services.ledger.balance((await member_of(app, ann)).id) == 0
    clock.advance(timedelta(days=3))
    async with running_bot(config, emulator, clock) as app:
        assert await due_work_done(app) == 1
        await app.settle()
        assert (await member_of(app, ann)).status is Status.ACTIVE
        assert words["active"] in ann.last.text
        assert words["back"] in bob.last.text
        page = await app.services.listings.browse("offer", None, None, 0, 10)
        assert offer.id in [listing.id for listing in page.listings]  # shown again
        assert await due_work_done(app) == 0  # ended once
        ended = (await app.services.audit.recent())[0]
        assert (ended.action, ended.actor_id) == ("unsuspend", None)
        assert await audit_actions(app) == ["suspend", "unsuspend"]
        assert not app.services.errors


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_suspend_until_lifted_then_unsuspend(
    bot: AmserApplication, emulator: BotApiEmulator, language: str
) -> None:
    words = WORDS[language]
    cai = await joined(emulator, ADMIN_ID, "Cai", language=language)
    ann = await joined(emulator, 401, "Ann", language=language)
    await cai.send("/suspend Ann")
    await bot.settle()
    assert words["until_lifted"] in ann.last.text
    await cai.send("/suspend Ann 2d")  # already: nothing more
    await cai.send("/unsuspend Ann")
    await bot.settle()
    assert words["active"] in ann.last.text
    assert await audit_actions(bot) == ["suspend", "unsuspend"]


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_a_ban_closes_listings_and_ends_introductions_and_keeps_the_ledger(
    bot: AmserApplication, emulator: BotApiEmulator, language: str
) -> None:
    words = WORDS[language]
    cai = await joined(emulator, ADMIN_ID, "Cai", language=language)
    ann = await joined(emulator, 401, "Ann", language=language)
    bob = await joined(emulator, 402, "Bob", language=language)
    listing = await introduced(bot, ann, bob)
    await cai.send("/ban Ann threatening Bob")
    assert "⛔" in cai.last.text
    await bot.settle()
    assert words["removed"] in ann.last.text and "threatening Bob" in ann.last.text
    assert words["ended"] in bob.last.text and "threatening" not in bob.last.text
    closed = await bot.services.listings.get(listing.id)
    assert closed is not None and closed.status == "closed"
    ann_id = (await member_of(bot, ann)).id
    intros = await bot.services.introductions.active_for(ann_id)
    assert intros == []
    await ann.send("/offer")
    assert words["no_longer"] in ann.last.text
    await cai.send("/ban Ann")  # once only
    assert await audit_actions(bot) == ["ban"]


async def test_the_log_chat_gets_one_line_per_action(
    config: Config, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    log_chat = -1009876543210
    log = emulator.group(log_chat, "Amser log")
    async with running_bot(
        replace(config, log_chat=log_chat, warn_limit=2), emulator, clock
    ) as app:
        cai = await joined(emulator, ADMIN_ID, "Cai")
        await joined(emulator, 401, "Ann")
        await cai.send("/warn Ann spam")
        await cai.send("/warn Ann <more> spam")
        await cai.send("/unsuspend Ann")
        await app.settle()
        assert [line.text for line in log.messages] == [
            "#WARN Cai → Ann: warned (spam)",
            "#WARN Cai → Ann: warned (<more> spam)",
            "#SUSPEND the bot → Ann: suspended (<more> spam)",
            "#UNSUSPEND Cai → Ann: no longer suspended",
        ]
        assert "&lt;more&gt;" in (log.messages[1].html or "")
        assert not app.services.errors
