"""Exchanges and credits when Telegram fails: a confirm request, a confirmation or a
coordinator's notice that meets a 502 arrives after the retry, exactly once; a member who
can't be reached hands the exchange to the coordinators; double taps queue nothing twice."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.emulator import BotApiEmulator, SimulatedMember
from bot.emulator.limits import Limits
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from storage.ledger import State
from tests.conftest import ADMIN_ID
from tests.helpers import joined, member_of, tap
from tests.test_exchanges import balances, log

FIRST_RETRY = timedelta(seconds=5)


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(limits=Limits(private_chat_burst=100)) as emulator:
        yield emulator


def saying(person: SimulatedMember, words: str) -> list[str]:
    return [message.text for message in person.messages if words in message.text]


def sent(emulator: BotApiEmulator, person: SimulatedMember, words: str) -> int:
    """How many messages with these words Telegram took for this member (edits aside)."""
    return sum(
        1
        for call in emulator.calls_to("sendMessage")
        if call.params["chat_id"] == person.user_id
        and words in call.params["text"]
        and call.status == 200
    )


async def outbox_rows(app: AmserApplication, purpose: str) -> int:
    row = await app.services.db.fetch_one(
        "SELECT count(*) AS n FROM outbox WHERE purpose = ?", (purpose,)
    )
    return row["n"] if row else 0


async def retried(app: AmserApplication, clock: FakeClock) -> None:
    clock.advance(FIRST_RETRY)
    await app.settle()


async def test_a_confirm_request_that_meets_a_502_is_asked_once_after_the_retry(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    ann = await joined(emulator, 501, "Ann")
    bob = await joined(emulator, 502, "Bob")
    await log(bot, ann, "Bob")
    emulator.fail("sendMessage", kind="502", chat_id=bob.user_id)
    await tap(bot, ann, "cr", "send")
    assert "✅ Sent. I've asked Bob to confirm it" in ann.last.text
    assert saying(bob, "Ann has logged time with you") == []
    await retried(bot, clock)
    assert len(saying(bob, "Ann has logged time with you")) == 1
    await bob.press("✅ Confirm")
    assert await balances(bot, ann, bob) == [90, -90]
    await retried(bot, clock)  # nothing more goes out however long it waits
    assert sent(emulator, bob, "Ann has logged time with you") == 1
    assert sent(emulator, ann, "Bob has confirmed your exchange") == 1


async def test_a_changed_time_that_meets_a_502_is_asked_once_after_the_retry(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    ann = await joined(emulator, 511, "Ann")
    bob = await joined(emulator, 512, "Bob")
    await log(bot, ann, "Bob")
    await tap(bot, ann, "cr", "send")
    await bob.press("🕒 Change the time")
    await bob.press("1")
    emulator.fail("sendMessage", kind="502", chat_id=ann.user_id)
    await bob.press("✅ Send to Ann")
    assert "I've asked Ann whether 1 hour is right" in bob.last.text
    assert saying(ann, "Bob has logged time with you") == []
    await retried(bot, clock)
    assert len(saying(ann, "Bob has logged time with you")) == 1
    await ann.press("✅ Confirm")
    assert await balances(bot, ann, bob) == [60, -60]
    # The first exchange's reminders went with it: only the new one is followed up.
    follow_ups = await bot.services.db.fetch_all(
        "SELECT key FROM due_work WHERE kind = 'exchange_follow_up'"
    )
    assert [row["key"] for row in follow_ups] == []


async def test_a_member_asked_who_cant_be_reached_goes_to_a_coordinator(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    admin = await joined(emulator, ADMIN_ID, "Cara")
    ann = await joined(emulator, 521, "Ann")
    bob = await joined(emulator, 522, "Bob")
    await log(bot, ann, "Bob")
    emulator.fail("sendMessage", kind="403", chat_id=bob.user_id)
    await tap(bot, ann, "cr", "send")
    assert saying(ann, "✅ Sent. I've asked Bob to confirm it")
    await bot.settle()
    assert "Bob can't be reached on Telegram just now, so a coordinator will follow up" in (
        ann.last.text
    )
    assert "You helped Bob for 1½ hours, today." in ann.last.text
    assert "Bob couldn't be reached on Telegram to confirm it." in admin.last.text
    transfer = await bot.services.ledger.get(1)
    assert transfer is not None and transfer.state is State.EXPIRED
    # No reminders for someone who can't be reached; the coordinator decides.
    clock.advance(timedelta(days=8))
    await bot.run_due_work()
    assert saying(bob, "reminder") == [] and len(saying(ann, "can't be reached")) == 1
    await admin.press("✅ Record it")
    assert await balances(bot, ann, bob) == [90, -90]
    assert "A coordinator has recorded this exchange" in ann.last.text


async def test_a_member_who_blocked_the_bot_earlier_goes_to_a_coordinator_too(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    admin = await joined(emulator, ADMIN_ID, "Cara", language="cy")
    ann = await joined(emulator, 531, "Ann", language="cy")
    bob = await joined(emulator, 532, "Bob")
    blocked = bob.block_bot()
    assert blocked is not None and emulator.settle is not None
    await emulator.settle(blocked)
    await log(bot, ann, "Bob")
    await tap(bot, ann, "cr", "send")
    await bot.settle()
    assert "Does dim modd cysylltu â Bob ar Telegram ar hyn o bryd" in ann.last.text
    assert "Doedd dim modd cysylltu â Bob ar Telegram i'w gadarnhau." in admin.last.text
    asked = [c for c in emulator.calls_to("sendMessage") if c.params["chat_id"] == bob.user_id]
    assert [c for c in asked if "logged time" in c.params["text"]] == []  # never tried


async def test_a_confirmation_that_meets_a_502_is_told_once_even_after_a_double_tap(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    aled = await joined(emulator, 541, "Aled")
    bethan = await joined(emulator, 542, "Bethan")
    await log(bot, aled, "Bethan")
    await tap(bot, aled, "cr", "send")
    card = bethan.last
    confirm = card.buttons[0][0].callback_data or ""
    emulator.fail("sendMessage", kind="502", chat_id=aled.user_id)
    await bethan.press_data(confirm, card.message_id)
    await bethan.press_data(confirm, card.message_id)  # a double tap
    assert "Confirmed" in bethan.last.text
    assert saying(aled, "Bethan has confirmed your exchange") == []
    assert await outbox_rows(bot, "exchange.confirmed") == 1  # queued once, waiting
    await retried(bot, clock)
    assert len(saying(aled, "Bethan has confirmed your exchange")) == 1
    assert "Your balance: 1½ hours" in aled.last.text
    assert await outbox_rows(bot, "exchange.confirmed") == 0


async def test_a_reminder_that_meets_a_502_arrives_once_after_the_retry(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    tom = await joined(emulator, 551, "Tom")
    eleri = await joined(emulator, 552, "Eleri")
    await log(bot, tom, "Eleri")
    await tap(bot, tom, "cr", "send")
    clock.advance(timedelta(days=2, minutes=1))
    emulator.fail("sendMessage", kind="502", chat_id=eleri.user_id)
    await bot.run_due_work()
    assert saying(eleri, "A gentle reminder") == []
    await retried(bot, clock)
    assert len(saying(eleri, "A gentle reminder: Tom logged this 2 days ago")) == 1


async def test_a_grant_notice_that_meets_a_502_arrives_once_and_a_blocked_member_is_named(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    cara = await joined(emulator, ADMIN_ID, "Cara")
    tom = await joined(emulator, 561, "Tom")
    dai = await joined(emulator, 562, "Dai")
    dai_id = (await member_of(bot, dai)).id
    await bot.services.ledger.donate("seed", dai_id, 300, clock.now())

    async def grant(name: str) -> None:
        await cara.send("/grant")
        await cara.send(name)
        await cara.press(name)
        await cara.press("1")
        await cara.send("Welcome")
        await cara.press("✅ Grant")

    emulator.fail("sendMessage", kind="502", chat_id=tom.user_id)
    await grant("Tom")
    assert "I've let Tom know." in cara.last.text
    assert saying(tom, "Cara has given you 1 hour") == []
    await retried(bot, clock)
    assert len(saying(tom, "Cara has given you 1 hour")) == 1
    # Dai has blocked the bot: Cara is asked to tell him in person.
    emulator.fail("sendMessage", kind="403", chat_id=dai.user_id)
    await grant("Dai")
    await bot.settle()
    assert "I couldn't reach Dai on Telegram, so please let them know in person." in (
        cara.last.text
    )
