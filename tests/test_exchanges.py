"""Logging time, confirming, changing, disputing and following up exchanges, end to end.

Buttons are mostly pressed by what they do (their signed data), so steps read the same in
Welsh and English; what members read is checked in their own language.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.config import Config
from bot.context import AmserApplication
from bot.emulator import BotApiEmulator, SimulatedMember
from bot.harness import running_bot
from storage.ledger import State
from storage.members import Status
from tests.conftest import ADMIN_ID
from tests.helpers import joined, member_of, signed, tap

HOUR = 60


async def balances(app: AmserApplication, *people: SimulatedMember) -> list[int]:
    return [await app.services.ledger.balance((await member_of(app, p)).id) for p in people]


async def assert_ledger_adds_up(app: AmserApplication) -> None:
    assert await app.services.ledger.check_invariants() == []


async def log(
    app: AmserApplication,
    person: SimulatedMember,
    other_name: str,
    *,
    gave: bool = True,
    hours: str = "1½",
    note: str | None = None,
) -> None:
    """/log with another member, found by typing their name; stops before sending."""
    await person.send("/log")
    await person.send(other_name)
    other = person.last.button_texts[0]
    await person.press(other)
    await tap(app, person, "lg", "dir")  # the first is "I helped them"
    if not gave:
        draft = await app.services.ledger_drafts.get((await member_of(app, person)).id, "log")
        assert draft is not None
    await person.press(hours) if gave else None
    await tap(app, person, "lg", "day")  # today
    if note is None:
        await tap(app, person, "lg", "skip")
    else:
        await person.send(note)


async def test_log_then_confirm_in_english_and_welsh(bot: AmserApplication, emulator) -> None:
    tom = await joined(emulator, 401, "Tom")
    eleri = await joined(emulator, 402, "Eleri", language="cy")
    await log(bot, tom, "ele", note="Shopping <run>")
    review = tom.last
    assert "You helped Eleri for 1½ hours, today." in review.text
    assert "Shopping &lt;run&gt;" in (review.html or "")
    send = review.buttons[0][0].callback_data or ""
    await tap(bot, tom, "lg", "send")
    assert "I've asked Eleri to confirm it" in tom.last.text
    ask = eleri.last
    assert "Tom" in ask.text and "1½ awr" in ask.text
    confirm = ask.buttons[0][0].callback_data or ""
    await tap(bot, eleri, "xc", "ok")
    assert await balances(bot, tom, eleri) == [90, -90]
    assert "1½ awr" in eleri.last.text and "−1½" in eleri.last.text
    assert "Eleri has confirmed your exchange" in tom.last.text
    assert "Your balance: 1½ hours" in tom.last.text
    # A double tap confirms nothing twice, and Tom is not told twice.
    told = len(tom.messages)
    await eleri.press_data(confirm, ask.message_id)
    assert await balances(bot, tom, eleri) == [90, -90]
    assert len(tom.messages) == told
    # ... nor does a re-delivered "Send".
    await tom.press_data(send, review.message_id)
    assert len((await bot.services.ledger.history((await member_of(bot, tom)).id)).items) == 1
    await assert_ledger_adds_up(bot)
