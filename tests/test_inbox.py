"""Delivery of updates: kept until handled across a restart, unreadable ones skipped quietly,
late presses still acted on, and one member's flood never holding up anyone else."""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import replace
from typing import Any

import pytest
from telegram import Update
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.config import Config
from bot.emulator import BotApiEmulator
from bot.emulator.errors import bad_request
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserContext
from bot.runtime.flood import FloodGate, Verdict
from bot.runtime.harness import running_bot
from storage.database import Database
from storage.inbox import InboxEntry, InboxRepository

HELP = "What you can do here"
SLOW_DOWN = "You're sending messages faster than I can read them"


def helps(texts: list[str]) -> int:
    return sum(HELP in text for text in texts)


async def inbox_rows(config: Config) -> list[InboxEntry]:
    db = await Database.open(config.database_path)
    try:
        return await InboxRepository(db).pending()
    finally:
        await db.close()


async def test_updates_kept_before_a_crash_are_handled_once_on_restart(
    config: Config, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    ann = emulator.member(601, "Ann")
    async with running_bot(config, emulator, clock):
        await ann.send("/help")
    assert helps([m.text for m in ann.messages]) == 1
    assert await inbox_rows(config) == []  # handled updates are removed

    # While the bot is down Ann sends two messages. The bot had fetched and kept them, then
    # crashed before handling them or telling Telegram: they are in its inbox, and Telegram
    # still holds them too. A third was kept and acknowledged: only the inbox has it.
    emulator.settle = None
    unacknowledged = [await ann.send("/help"), await ann.send("/help")]
    pending = emulator.pending_updates
    acknowledged = dict(pending[0], update_id=unacknowledged[0] - 1)
    db = await Database.open(config.database_path)
    entries = [
        InboxEntry(raw["update_id"], ann.user_id, json.dumps(raw))
        for raw in [acknowledged, *pending]
    ]
    await InboxRepository(db).store(entries, clock.now())
    await db.close()

    async with running_bot(config, emulator, clock) as app:
        for update_id in [acknowledged["update_id"], *unacknowledged]:
            await asyncio.wait_for(app.wait_processed(update_id), 10)
        later = await emulator.member(602, "Ben").send("/help")
        await emulator.wait_until_fetched(later)  # the bot has polled past all of them
        assert emulator.pending_updates == []
    assert helps([m.text for m in ann.messages]) == 4  # each of the three exactly once
    assert await inbox_rows(config) == []


async def test_polling_through_telegrams_errors_loses_nothing(
    bot, emulator: BotApiEmulator
) -> None:
    ann = emulator.member(608, "Ann")
    await ann.send("/help")
    emulator.fail("getUpdates", kind="502")
    emulator.fail("getUpdates", kind="500")
    emulator.fail("getUpdates", kind="drop")
    await ann.send("/help")
    await ann.send("/help")
    failed = [call for call in emulator.calls_to("getUpdates") if not call.ok]
    assert len(failed) == 3
    assert helps([m.text for m in ann.messages]) == 3


async def test_an_unreadable_update_is_logged_once_without_contents_and_skipped(
    bot, emulator: BotApiEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    ann = emulator.member(603, "Ann")
    await ann.send("/help")
    poison = {
        "message_id": 77,
        "date": 0,
        "chat": {"id": ann.user_id, "type": "private"},
        "from": "Ann Jones, 07700 900123",  # not a User: PTB cannot decode this update
        "text": "my number is 07700 900123",
    }
    caplog.set_level(logging.INFO)  # as `amser run` logs
    poison_id = emulator.push_raw_update({"message": poison})
    await ann.send("/help")  # handled after the poison one, which did not stop the bot
    await asyncio.wait_for(bot.wait_processed(poison_id), 10)

    assert helps([m.text for m in ann.messages]) == 2
    about = [r for r in caplog.records if str(poison_id) in r.getMessage()]
    assert [(r.levelno, r.getMessage()) for r in about] == [
        (logging.WARNING, f"update {poison_id} could not be read, so it was skipped")
    ]
    assert not any("07700" in r.getMessage() or "Jones" in r.getMessage() for r in caplog.records)
    assert emulator.pending_updates == []


async def test_a_press_too_old_to_answer_still_does_what_it_asks(
    config: Config, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    # The emulator's faults have no 400; Telegram answers a press too old with this one.
    async def too_old(params: dict[str, Any]) -> Any:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")

    emulator._api.handlers["answerCallbackQuery"] = too_old
    async with running_bot(config, emulator, clock) as app:
        ann = emulator.member(604, "Ann")
        await ann.send("/start")
        await ann.press("English")
        assert any("Yes, I agree" in b.text for row in ann.last.buttons for b in row)
        await ann.press("Yes, I agree")
        assert "name" in ann.last.text.lower()
        assert not app.services.errors
    refused = [c for c in emulator.calls_to("answerCallbackQuery") if c.status == 400]
    assert len(refused) == 2


async def test_a_flood_is_cut_short_without_holding_up_anyone_else(
    config: Config, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    """Fly sends 2,000 messages at once. Her first is stuck; Ben is answered meanwhile. Most of
    hers are skipped, and she is asked once to slow down."""
    release = asyncio.Event()
    seen: list[str] = []
    fly, ben = emulator.member(605, "Fly"), emulator.member(606, "Ben")

    async def gate(update: Update, context: AmserContext) -> None:
        if update.effective_user is None or update.effective_user.id != fly.user_id:
            return
        if not seen:
            await release.wait()
        seen.append(update.message.text if update.message and update.message.text else "")
        raise ApplicationHandlerStop

    limited = replace(config, member_burst=20, member_per_second=2.0)
    async with running_bot(limited, emulator, clock) as app:
        app.add_handler(TypeHandler(Update, gate), group=-1)
        settle, emulator.settle = emulator.settle, None
        flood = [await fly.send(f"message {number}") for number in range(2000)]
        emulator.settle = settle
        await ben.send("/help")  # returns once Ben's update is handled
        assert HELP in ben.last.text
        assert seen == []  # Fly's queue is still waiting behind her first message
        release.set()
        for update_id in flood:
            await asyncio.wait_for(app.wait_processed(update_id), 10)
        assert not app.services.errors
    assert 20 <= len(seen) < 2000
    assert seen[:20] == [f"message {number}" for number in range(20)]  # in order
    assert sum(SLOW_DOWN in m.text for m in fly.messages) == 1
    assert await inbox_rows(limited) == []


async def test_skipped_presses_still_stop_spinning(
    config: Config, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    limited = replace(config, member_burst=2, member_per_second=0.001)
    async with running_bot(limited, emulator, clock) as app:
        gwen = emulator.member(607, "Gwen", language_code="cy")
        await gwen.send("/start")
        settle, emulator.settle = emulator.settle, None
        presses = [await gwen.press("English") for _ in range(30)]
        emulator.settle = settle
        for update_id in presses:
            await asyncio.wait_for(app.wait_processed(update_id), 10)
        assert not app.services.errors
    assert gwen.unanswered_callbacks == []
    assert sum("yn gyflymach nag y galla i eu darllen" in m.text for m in gwen.messages) == 1


def test_the_flood_gate_allows_a_burst_then_a_rate_and_tells_once_per_flood() -> None:
    now = [0.0]
    gate = FloodGate(burst=3, per_second=1.0, clock=lambda: now[0])
    assert [gate.admit(1) for _ in range(3)] == [Verdict.ADMIT] * 3
    assert [gate.admit(1) for _ in range(3)] == [Verdict.DROP_AND_TELL, Verdict.DROP, Verdict.DROP]
    assert gate.admit(2) is Verdict.ADMIT  # everyone has their own bucket
    now[0] = 1.0
    assert [gate.admit(1), gate.admit(1)] == [Verdict.ADMIT, Verdict.DROP]  # still this flood
    now[0] = 10.0  # refilled: the flood is over
    assert [gate.admit(1) for _ in range(4)] == [Verdict.ADMIT] * 3 + [Verdict.DROP_AND_TELL]
