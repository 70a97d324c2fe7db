"""Appeals end to end, in English and Welsh: a warned or suspended member appeals; only the
coordinators other than the one who acted get it; the first decision counts (a double tap or a
second coordinator changes nothing), lifting undoes it, and the member is told. And a failure
after an action rolls back the action with its audit row."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from bot.config import Config
from bot.domain.membership import Status
from bot.emulator import BotApiEmulator
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from bot.runtime.harness import running_bot
from tests.conftest import ADMIN_ID
from tests.helpers import audit_actions, joined, member_of, signed, tap

DAI_ID = 9003
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "appeal": "✋ Appeal",
        "ask": "Your appeal",
        "thanks": "Your appeal has gone to the coordinators",
        "lifted": "it has been lifted",
        "kept": "decided to keep it as it is",
        "gone": "no longer in force, or you have appealed against it already",
        "active": "Your membership of Amser Test is active again",
    },
    "cy": {
        "appeal": "✋ Apelio",
        "ask": "Eich apêl",
        "thanks": "Mae eich apêl wedi mynd at y cydlynwyr",
        "lifted": "mae wedi'i godi",
        "kept": "penderfynu ei gadael fel y mae",
        "gone": "Dydy hynny ddim mewn grym bellach",
        "active": "Mae eich aelodaeth o Amser Test yn weithredol eto",
    },
}


def _two_admins(config: Config) -> Config:
    return replace(config, admins=frozenset({ADMIN_ID, DAI_ID}))


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_an_appeal_against_a_warning_is_lifted_once(
    config: Config, emulator: BotApiEmulator, clock: FakeClock, language: str
) -> None:
    words = WORDS[language]
    async with running_bot(_two_admins(config), emulator, clock) as app:
        cai = await joined(emulator, ADMIN_ID, "Cai")
        dai = await joined(emulator, DAI_ID, "Dai")
        ann = await joined(emulator, 401, "Ann", language=language)
        await cai.send("/warn Ann spam")
        await app.settle()
        before = len(cai.messages)
        await ann.press(words["appeal"])
        assert words["ask"] in ann.last.text
        await ann.send("I only shared <b>the repair café</b> once")
        assert words["thanks"] in ann.last.text
        await app.settle()
        card = dai.last
        assert "An appeal from Ann" in card.text and "Given by Cai" in card.text
        assert "&lt;b&gt;the repair café&lt;/b&gt;" in (card.html or "")
        assert len(cai.messages) == before  # not to the one who acted
        # A member pressing a coordinator's button (forged) is refused and changes nothing.
        await ann.press_data(signed(app, ann, "md:dc", 1, 1), ann.last.message_id)
        refused = {"en": "this is for coordinators", "cy": "ar gyfer cydlynwyr yn unig"}
        assert refused[language] in ann.last.text
        appeal = await app.services.appeals.get(1)
        assert appeal is not None and appeal.decided_at is None
        await cai.press_data(signed(app, cai, "md:dc", 1, 0), cai.last.message_id)
        assert "another coordinator decides" in cai.last.text  # not the one who acted
        await dai.press("↩️ Lift")
        assert "You lifted it" in dai.last.text
        await dai.press_data(signed(app, dai, "md:dc", 1, 0), card.message_id)  # a second tap
        assert "decided already" in dai.last.text
        await app.settle()
        assert words["lifted"] in ann.last.text
        assert (
            await app.services.moderation.live_warnings((await member_of(app, ann)).id, clock.now())
            == []
        )
        assert await audit_actions(app) == ["warn", "unwarn", "appeal"]
        decided = (await app.services.audit.recent())[0]
        assert decided.actor_id == (await member_of(app, dai)).id
        assert decided.details == {"decision": "lift", "about": "warning"}
        # Appealing again against what is gone changes nothing.
        await tap(app, ann, "md", "ap")
        assert words["gone"] in ann.last.text
        assert not app.services.errors


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_an_appeal_against_a_suspension_upheld_then_lifted_by_unsuspend(
    config: Config, emulator: BotApiEmulator, clock: FakeClock, language: str
) -> None:
    words = WORDS[language]
    async with running_bot(_two_admins(config), emulator, clock) as app:
        cai = await joined(emulator, ADMIN_ID, "Cai")
        dai = await joined(emulator, DAI_ID, "Dai")
        ann = await joined(emulator, 401, "Ann", language=language)
        await cai.send("/suspend Ann 1w rude")
        await app.settle()
        await ann.press(words["appeal"])  # a suspended member may still appeal
        await ann.send("Sorry, it won't happen again")
        await app.settle()
        assert "A suspension given" in dai.last.text
        await dai.press("✅ Uphold")
        assert "You upheld it" in dai.last.text
        await app.settle()
        assert words["kept"] in ann.last.text
        assert (await member_of(app, ann)).status is Status.SUSPENDED
        await cai.send("/unsuspend Ann")
        await app.settle()
        assert words["active"] in ann.last.text
        assert await audit_actions(app) == ["suspend", "appeal", "unsuspend"]
        assert not app.services.errors


async def test_a_failure_after_the_action_rolls_back_the_action_and_its_audit_row(
    config: Config, emulator: BotApiEmulator, clock: FakeClock, monkeypatch: Any
) -> None:
    import storage.effects

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    async with running_bot(config, emulator, clock) as app:
        cai = await joined(emulator, ADMIN_ID, "Cai")
        ann = await joined(emulator, 401, "Ann")
        monkeypatch.setattr(storage.effects, "queue_in", broken)  # the notices, written last
        for typed in ("/warn Ann spam", "/suspend Ann 2d", "/ban Ann"):
            await cai.send(typed)
        assert len(app.services.errors) == 3
        app.services.errors.clear()
        assert await audit_actions(app) == []
        rows = await app.services.db.fetch_all("SELECT * FROM warnings")
        assert rows == [] and await app.services.db.fetch_all("SELECT * FROM sanctions") == []
        assert (await member_of(app, ann)).status is Status.ACTIVE
        monkeypatch.undo()
        await cai.send("/warn Ann spam")
        assert await audit_actions(app) == ["warn"]


async def test_with_no_other_coordinator_the_one_who_acted_decides(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    cai = await joined(emulator, ADMIN_ID, "Cai")
    ann = await joined(emulator, 401, "Ann")
    await cai.send("/suspend Ann rude")
    await bot.settle()
    await ann.press("✋ Appeal")
    await ann.send("It was a misunderstanding")
    await bot.settle()
    assert "An appeal from Ann" in cai.last.text
    await cai.press("↩️ Lift")
    await bot.settle()
    assert "it has been lifted" in ann.messages[-2].text + ann.last.text
    assert (await member_of(bot, ann)).status is Status.ACTIVE
    assert await audit_actions(bot) == ["suspend", "unsuspend", "appeal"]
