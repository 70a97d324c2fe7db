"""Coordinators acting on a report about a member with "⚠️ Warn" or "⏸ Suspend", through the
emulator in English and Welsh: the member told with Appeal, the reporter told it was handled,
the report closed, all in one write (a failure rolls everything back); a second press changes
nothing; the warn limit still suspends; who may press; and the refusals /warn and /suspend
give."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from bot.config import Config
from bot.domain.membership import Status
from bot.emulator import BotApiEmulator, SimulatedMember
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from bot.runtime.harness import running_bot
from handlers.support.buttons import Moderate
from handlers.support.reports import report_card
from storage.reports import Outcome
from storage.support import SupportRequest
from tests.conftest import ADMIN_ID, AMBASSADOR_ID
from tests.helpers import audit_actions, joined, member_of, signed, tap
from tests.test_introductions import introduced

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "unkind": "Unkind or unsafe",
        "send": "Send without words",
        "warn": "⚠️ Warn",
        "suspend": "⏸ Suspend",
        "use": "Use “Unkind or unsafe”",
        "confirm_warn": "✅ Warn Ann",
        "confirm_suspend": "✅ Suspend Ann",
        "one_week": "1 week",
        "will_read": "The reason Ann will read: Unkind or unsafe",
        "warned": "A warning from the coordinators of Amser Test",
        "appeal": "✋ Appeal",
        "told": "A coordinator has looked at it",
        "dealt": "Dealt with by Cai: the member was warned.",
        "already": "This report has been dealt with already.",
        "paused": "Your membership of Amser Test is paused",
        "break": "is taking a break from Amser",
        "coordinator": "coordinators can't be warned, suspended or banned",
        "left": "They have left Amser",
    },
    "cy": {
        "unkind": "Angharedig neu anniogel",
        "send": "Anfon heb eiriau",
        "warn": "⚠️ Rhybuddio",
        "suspend": "⏸ Atal",
        "use": "Defnyddio “Angharedig neu anniogel”",
        "confirm_warn": "✅ Rhybuddio Ann",
        "confirm_suspend": "✅ Atal Ann",
        "one_week": "1 wythnos",
        "will_read": "Y rheswm y bydd Ann yn ei ddarllen: Angharedig neu anniogel",
        "warned": "Rhybudd gan gydlynwyr Amser Test",
        "appeal": "✋ Apelio",
        "told": "Mae cydlynydd wedi edrych arno",
        "dealt": "Cafodd sylw gan Cai: rhoddwyd rhybudd i'r aelod.",
        "already": "Mae'r adroddiad hwn wedi cael sylw yn barod.",
        "paused": "Mae eich aelodaeth o Amser Test wedi'i hoedi",
        "break": "yn cymryd seibiant o Amser",
        "coordinator": "does dim modd rhybuddio, atal na gwahardd cydlynwyr",
        "left": "Maen nhw wedi gadael Amser",
    },
}


async def reported(
    app: AmserApplication, reporter: SimulatedMember, subject: SimulatedMember, language: str
) -> SupportRequest:
    """The reporter, introduced to the subject, reports them as unkind; the card goes out."""
    words = WORDS[language]
    await introduced(app, subject, reporter)
    await reporter.send("/report")
    await reporter.press(f"🚩 {subject.first_name}")
    await reporter.press(words["unkind"])
    await reporter.press(words["send"])
    await app.settle()
    waiting, _more = await app.services.support.waiting(reports=True, offset=0, limit=10)
    return waiting[-1]


def button_texts(person: SimulatedMember) -> list[str]:
    return [button.text for row in person.last.buttons for button in row]


async def pressed(person: SimulatedMember, label: str) -> Callable[[], Awaitable[int]]:
    """Press a button of the last message; returns a way to press it again (a double tap, or
    a re-delivered press) after the message has changed."""
    message = person.last
    (data,) = [b.callback_data for row in message.buttons for b in row if b.text == label]
    await person.press_data(data or "", message.message_id)
    return lambda: person.press_data(data or "", message.message_id)


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_warn_from_a_report(
    bot: AmserApplication, emulator: BotApiEmulator, language: str
) -> None:
    words = WORDS[language]
    cai = await joined(emulator, ADMIN_ID, "Cai", language=language)
    ann = await joined(emulator, 401, "Ann", language=language)
    bob = await joined(emulator, 402, "Bob", language=language)
    report = await reported(bot, bob, ann, language)
    assert words["warn"] in button_texts(cai) and words["suspend"] in button_texts(cai)
    await cai.press(words["warn"])
    await cai.press(words["use"])  # the report's reason, as Ann will read it
    assert words["will_read"] in cai.last.text
    again = await pressed(cai, words["confirm_warn"])
    assert words["dealt"] in cai.last.text and "(1 " in cai.last.text
    await bot.settle()
    assert words["warned"] in ann.last.text and words["unkind"] in ann.last.text
    assert button_texts(ann) == [words["appeal"]]
    assert [m for m in bob.messages if words["told"] in m.text]
    closed = await bot.services.support.get(report.id)
    assert closed is not None and closed.state == "closed" and closed.outcome == "warned"
    assert await audit_actions(bot) == ["warn", "report"]

    # Confirm pressed again, and Warn on the old card: nothing more is done.
    await again()
    assert words["already"] in cai.last.text and words["dealt"] in cai.last.text
    await cai.press_data(signed(bot, cai, *Moderate(report.id, Outcome.WARNED).parts()))
    assert words["already"] in cai.last.text
    await bot.settle()
    assert await audit_actions(bot) == ["warn", "report"]
    warnings = await bot.services.moderation.live_warnings((await member_of(bot, ann)).id,
                                                           bot.services.clock.now())  # fmt: skip
    assert len(warnings) == 1
    assert len([m for m in bob.messages if words["told"] in m.text]) == 1


async def test_suspend_from_a_report_for_a_typed_length(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    words = WORDS["en"]
    cai = await joined(emulator, ADMIN_ID, "Cai")
    ann = await joined(emulator, 401, "Ann")
    bob = await joined(emulator, 402, "Bob")
    report = await reported(bot, bob, ann, "en")
    await cai.press(words["suspend"])
    await cai.send("Shouting at <Bob>")
    assert "For how long?" in cai.last.text
    await cai.press("« Back")  # the reason again
    assert "What reason will Ann read?" in cai.last.text
    await cai.send("Shouting at <Bob>")
    await cai.send("3x")
    assert "I couldn't read “3x” as a length of time" in cai.last.text
    await cai.send("3 days")
    assert "Shouting at &lt;Bob&gt;" in (cai.last.html or "")
    assert "Paused until" in cai.last.text
    await cai.press(words["confirm_suspend"])
    assert "the member's membership was paused" in cai.last.text
    await bot.settle()
    assert words["paused"] in ann.last.text and "It will start again by itself" in ann.last.text
    assert "Shouting at <Bob>" in ann.last.text and button_texts(ann) == [words["appeal"]]
    assert any(words["break"] in m.text for m in bob.messages)  # never why
    assert not any("Shouting" in m.text for m in bob.messages)
    assert [m for m in bob.messages if words["told"] in m.text]
    ann_member = await member_of(bot, ann)
    assert ann_member.status is Status.SUSPENDED
    held = await bot.services.moderation.in_force(ann_member.id)
    assert held is not None and held.until == clock.now() + timedelta(days=3)
    closed = await bot.services.support.get(report.id)
    assert closed is not None and closed.outcome == "suspended"
    assert await audit_actions(bot) == ["suspend", "report"]


async def test_the_warn_limit_still_suspends_from_a_report(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    words = WORDS["en"]
    cai = await joined(emulator, ADMIN_ID, "Cai")
    ann = await joined(emulator, 401, "Ann")
    bob = await joined(emulator, 402, "Bob")
    await cai.send("/warn Ann one")
    await cai.send("/warn Ann two")
    await reported(bot, bob, ann, "en")
    await tap(bot, cai, "rp", "mod")
    await cai.press(words["use"])
    await cai.press(words["confirm_warn"])
    assert "(3 of 3)" in cai.last.text and "warn limit" in cai.last.text
    await bot.settle()
    assert words["paused"] in ann.last.text
    assert (await member_of(bot, ann)).status is Status.SUSPENDED
    assert await audit_actions(bot) == ["warn", "warn", "warn", "suspend", "report"]


async def test_a_failure_rolls_back_the_warning_the_report_and_their_audit_rows(
    config: Config, emulator: BotApiEmulator, clock: FakeClock, monkeypatch: Any
) -> None:
    import storage.support

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    words = WORDS["en"]
    async with running_bot(config, emulator, clock) as app:
        cai = await joined(emulator, ADMIN_ID, "Cai")
        ann = await joined(emulator, 401, "Ann")
        bob = await joined(emulator, 402, "Bob")
        report = await reported(app, bob, ann, "en")
        await cai.press(words["warn"])
        await cai.press(words["use"])
        # The reporter's notice is written after the warning and the report's close.
        monkeypatch.setattr(storage.support, "queue_in", broken)
        await cai.press(words["confirm_warn"])
        assert len(app.services.errors) == 1
        app.services.errors.clear()
        monkeypatch.undo()
        assert await audit_actions(app) == []
        assert await app.services.db.fetch_all("SELECT * FROM warnings") == []
        still = await app.services.support.get(report.id)
        assert still is not None and still.state == "open"
        await tap(app, cai, "rm", "ok")  # the form is still there: now it goes through
        assert await audit_actions(app) == ["warn", "report"]
        assert not app.services.errors


async def test_only_coordinators_see_and_may_press_warn_and_suspend(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    alys = await joined(emulator, AMBASSADOR_ID, "Alys")
    cai = await joined(emulator, ADMIN_ID, "Cai")
    ann = await joined(emulator, 401, "Ann")
    bob = await joined(emulator, 402, "Bob")
    report = await reported(bot, bob, ann, "en")
    services = bot.services
    tr = services.catalogs["en"]
    for person, shown in ((cai, True), (alys, False)):
        card = await report_card(services, tr, await member_of(bot, person), report)
        texts = [b.text for row in card.markup.inline_keyboard for b in row] if card.markup else []
        assert ("⚠️ Warn" in texts and "⏸ Suspend" in texts) is shown
    for outcome in (Outcome.WARNED, Outcome.SUSPENDED):
        await alys.press_data(signed(bot, alys, *Moderate(report.id, outcome).parts()))
        assert "this is for coordinators" in alys.last.text
    await tap(bot, cai, "rp", "mod")  # Cai's form: Alys cannot press its buttons
    form = await services.forms.of_member((await member_of(bot, cai)).id)
    assert form is not None
    await alys.press_data(signed(bot, alys, "rm", "why", form.id))
    assert any("That form has closed" in m.text for m in alys.messages)
    assert set(await audit_actions(bot)) <= {"refused"}
    assert (await member_of(bot, ann)).status is Status.ACTIVE


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_a_report_about_a_coordinator_or_someone_who_left_changes_nothing(
    config: Config, emulator: BotApiEmulator, clock: FakeClock, language: str
) -> None:
    words = WORDS[language]
    config = replace(config, admins=frozenset({ADMIN_ID, 9003}))
    async with running_bot(config, emulator, clock) as app:
        cai = await joined(emulator, ADMIN_ID, "Cai", language=language)
        dai = await joined(emulator, 9003, "Dai")
        bob = await joined(emulator, 402, "Bob", language=language)
        gwen = await joined(emulator, 403, "Gwen")
        about_dai = await reported(app, bob, dai, language)
        await tap(app, cai, "rp", "mod", about_dai.id, "warned")
        assert words["coordinator"] in cai.last.text
        await tap(app, cai, "rp", "mod", about_dai.id, "suspended")
        assert words["coordinator"] in cai.last.text
        about_gwen = await reported(app, bob, gwen, language)
        await tap(app, cai, "rp", "mod", about_gwen.id, "warned")  # the form is open...
        await gwen.send("/forget")
        await gwen.press("Yes, erase my details")
        await tap(app, cai, "rm", "why")  # ...and she leaves before it is confirmed
        assert words["left"] in cai.last.text
        assert await audit_actions(app) == []
        for report in (about_dai, about_gwen):
            still = await app.services.support.get(report.id)
            assert still is not None and still.state == "open"
        assert not app.services.errors
