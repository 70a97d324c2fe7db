"""The outbox and its sender: nothing lost, retried with back-off, unreachable members, and
replies first. Notices here are of a purpose the tests register; features' own notices are
tested with the features."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import Config
from bot.emulator import BotApiEmulator, Limits
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication, Services
from bot.runtime.harness import running_bot
from handlers.common import Screen
from handlers.notices import Recipient, register_notice
from storage.database import Database
from storage.outbox import Notice, OutboxItem, Priority, queue_in
from tests.conftest import ADMIN_ID
from tests.helpers import joined, member_of

HELLO = "test.hello"


async def hello(services: Services, recipient: Recipient, item: OutboxItem) -> Screen:
    return Screen(f"Hello number {item.about}")


async def sorry_instead(services: Services, item: OutboxItem) -> list[Notice]:
    """What a feature does when its member can't be reached: tell someone else."""
    return [Notice(HELLO, member_id=int(item.data["tell"]), about=999)]


def register_hello(app: AmserApplication) -> None:
    register_notice(app, HELLO, hello, instead=sorry_instead)


async def queue(app: AmserApplication, member_id: int, about: int, **data: object) -> None:
    services = app.services
    notice = Notice(HELLO, member_id=member_id, about=about, data=data)
    await services.outbox.queue([notice], services.clock.now())


def hellos(emulator: BotApiEmulator, chat_id: int) -> list[str]:
    return [
        call.params["text"]
        for call in emulator.calls_to("sendMessage")
        if call.params["chat_id"] == chat_id
        and call.params["text"].startswith("Hello number")
        and call.status == 200
    ]


async def test_a_queued_notice_is_sent_once(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    register_hello(bot)
    ann = await joined(emulator, 1, "Ann")
    await queue(bot, (await member_of(bot, ann)).id, 1)
    await bot.settle()
    assert ann.last.text == "Hello number 1"
    assert hellos(emulator, 1) == ["Hello number 1"]
    assert (await bot.services.outbox.counts())["pending"] == 0


async def test_a_bad_gateway_or_dropped_connection_is_tried_again_later(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    register_hello(bot)
    ann = await joined(emulator, 1, "Ann")
    emulator.fail("sendMessage", kind="502", chat_id=1)
    emulator.fail("sendMessage", kind="drop", chat_id=1)
    await queue(bot, (await member_of(bot, ann)).id, 2)
    await bot.settle()
    assert hellos(emulator, 1) == []
    clock.advance(timedelta(seconds=5))  # the first wait
    await bot.settle()
    assert hellos(emulator, 1) == []  # dropped this time
    clock.advance(timedelta(seconds=10))  # twice as long
    await bot.settle()
    assert hellos(emulator, 1) == ["Hello number 2"]
    assert ann.last.text == "Hello number 2"


async def test_a_message_that_keeps_failing_is_kept_for_coordinators_to_try_again(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    register_hello(bot)
    ann = await joined(emulator, 1, "Ann")
    admin = await joined(emulator, ADMIN_ID, "Cara")
    emulator.fail("sendMessage", kind="500", chat_id=1, times=bot.config.delivery_max_attempts)
    await queue(bot, (await member_of(bot, ann)).id, 3)
    for _ in range(bot.config.delivery_max_attempts):
        await bot.settle()
        clock.advance(timedelta(hours=1))
    assert await bot.services.outbox.counts() == {"pending": 0, "failed": 1, "unreachable": 0}
    assert hellos(emulator, 1) == []
    await admin.send("/deliveries")
    assert "Could not be sent: 1" in admin.last.text
    assert "test.hello" in admin.last.text
    await admin.press("Try the failed ones again")
    assert "1 message is being tried again." in admin.last.text
    await bot.settle()
    assert ann.last.text == "Hello number 3"
    assert await bot.services.outbox.counts() == {"pending": 0, "failed": 0, "unreachable": 0}


async def test_a_member_who_blocked_the_bot_is_not_tried_again_and_the_feature_is_told(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    register_hello(bot)
    ann = await joined(emulator, 1, "Ann")
    bob = await joined(emulator, 2, "Bob")
    ann_id, bob_id = (await member_of(bot, ann)).id, (await member_of(bot, bob)).id
    emulator.fail("sendMessage", kind="403", chat_id=2)
    await queue(bot, bob_id, 4, tell=ann_id)
    await bot.settle()
    assert ann.last.text == "Hello number 999"  # the feature's word instead
    await queue(bot, bob_id, 5, tell=ann_id)
    await bot.settle()
    attempts = [c for c in emulator.calls_to("sendMessage") if c.params["chat_id"] == 2]
    assert len([c for c in attempts if "Hello" in c.params["text"]]) == 1  # never tried again
    assert await bot.services.outbox.counts() == {"pending": 0, "failed": 0, "unreachable": 2}


async def test_blocking_and_coming_back_are_learned_from_telegram(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    register_hello(bot)
    ann = await joined(emulator, 1, "Ann")
    bob = await joined(emulator, 2, "Bob")
    bob_id = (await member_of(bot, bob)).id
    blocked = bob.block_bot()
    assert blocked is not None and emulator.settle is not None
    await emulator.settle(blocked)
    await queue(bot, bob_id, 6, tell=(await member_of(bot, ann)).id)
    await bot.settle()
    assert not [
        c
        for c in emulator.calls_to("sendMessage")
        if c.params["chat_id"] == 2 and "Hello" in c.params["text"]
    ]
    back = bob.unblock_bot()
    assert back is not None
    await emulator.settle(back)
    assert "Welcome back" in bob.last.text
    await queue(bot, bob_id, 7)
    await bot.settle()
    assert bob.last.text == "Hello number 7"


async def test_a_reply_overtakes_a_thousand_queued_notices(
    config: Config, clock: FakeClock
) -> None:
    limits = Limits(global_per_second=1000, private_chat_burst=10)
    async with BotApiEmulator(limits=limits) as emulator:
        fast = replace(config, max_messages_per_second=400)
        async with running_bot(fast, emulator, clock) as app:
            register_hello(app)
            ann = await joined(emulator, 1, "Ann")
            now = app.services.clock.now()
            # A thousand members, enough for a broadcast, without joining each through chat.
            for n in range(1000):
                emulator.member(10_000 + n, f"Member {n}")
            ids = [await app.services.members.join(10_000 + n, "en", now) for n in range(1000)]
            members = [m.id for m in ids]
            await app.services.outbox.queue(
                [
                    Notice(HELLO, member_id=m, about=n, priority=Priority.BULK)
                    for n, m in enumerate(members)
                ],
                now,
            )
            await emulator.wait_for_call(
                lambda c: c.method == "sendMessage" and "Hello" in c.params.get("text", "")
            )
            settle, emulator.settle = emulator.settle, None
            await ann.send("/help")
            reply = await emulator.wait_for_call(
                lambda c: c.method == "sendMessage" and c.params["chat_id"] == 1, timeout=10
            )
            emulator.settle = settle
            before = sum(
                1
                for c in emulator.calls
                if c.at < reply.at and "Hello" in str(c.params.get("text"))
            )
            assert before < 1000  # the reply did not wait for the queue
            await app.settle()
            assert (
                sum(1 for c in emulator.calls_to("sendMessage") if "Hello" in c.params["text"])
                == 1000
            )
            assert not [c for c in emulator.calls if c.status == 429]


async def test_messages_pending_at_a_restart_are_sent_after_it(
    config: Config, clock: FakeClock, emulator: BotApiEmulator
) -> None:
    async with running_bot(config, emulator, clock) as app:
        register_hello(app)
        ann = await joined(emulator, 1, "Ann")
        emulator.fail("sendMessage", kind="502", chat_id=1)
        await queue(app, (await member_of(app, ann)).id, 8)
        await app.settle()  # tried once, waiting for its retry
    assert hellos(emulator, 1) == []
    async with running_bot(config, emulator, clock) as app:
        register_hello(app)
        clock.advance(timedelta(minutes=1))  # its retry is due
        await app.settle()
        assert not list(app.services.errors)
    assert hellos(emulator, 1) == ["Hello number 8"]


async def test_notices_from_a_generator_each_keep_their_own_data(tmp_path: Path) -> None:
    # Each data dict is freed once queued, so its id may be reused by the next one.
    db = await Database.open(tmp_path / "outbox.db")
    try:
        notices = (Notice(HELLO, chat_id=1, data={"n": n}, key=f"hello:{n}") for n in range(50))
        now = datetime(2026, 11, 24, 10, tzinfo=UTC)
        await db.write(lambda tx: queue_in(tx, notices, now))
        rows = await db.fetch_all("SELECT data FROM outbox ORDER BY id")
        assert [json.loads(row["data"])["n"] for row in rows] == list(range(50))
    finally:
        await db.close()
