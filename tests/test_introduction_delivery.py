"""Introductions through the outbox: what one member does reaches the other even when Telegram
fails for a moment (tried again, and arriving once), a member who can't be reached is reported
kindly, and a double tap queues nothing twice."""

from __future__ import annotations

from datetime import timedelta

from bot.emulator import BotApiEmulator, SimulatedMember
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from tests.helpers import joined, member_of, signed, tap
from tests.test_introductions import introduced, post, show_listing

SHARED = "You've both agreed to share contacts."
FIRST_RETRY = timedelta(seconds=5)


def count(person: SimulatedMember, words: str) -> int:
    return sum(words in message.text for message in person.messages)


async def outbox(app: AmserApplication) -> list[tuple[str, int, str]]:
    """What is waiting to be sent, or was given up on: purpose, to whom, state."""
    rows = await app.services.db.fetch_all(
        "SELECT purpose, member_id, state FROM outbox ORDER BY id"
    )
    return [(row["purpose"], row["member_id"], row["state"]) for row in rows]


async def test_a_failed_contact_lookup_is_tried_again_and_both_get_the_contact_once(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    ann = await joined(emulator, 501, "Ann", username="ann_a")
    bob = await joined(emulator, 502, "Bob", username="bob_b")
    await introduced(bot, ann, bob)
    await tap(bot, bob, "in", "share")
    emulator.fail("getChat", kind="502", times=2)  # as the second member taps Share
    await tap(bot, ann, "in", "share")
    assert count(ann, SHARED) == count(bob, SHARED) == 0
    clock.advance(FIRST_RETRY)
    await bot.settle()
    assert count(ann, SHARED) == count(bob, SHARED) == 1
    assert '<a href="tg://user?id=502">Bob</a> (@bob_b)' in (ann.last.html or "")
    assert '<a href="tg://user?id=501">Ann</a> (@ann_a)' in (bob.last.html or "")
    clock.advance(timedelta(hours=1))  # nothing more is waiting to go
    await bot.settle()
    assert count(ann, SHARED) == count(bob, SHARED) == 1
    assert await outbox(bot) == []
    # /introductions shows the contact on the card too, so it can always be found again.
    for person, other in ((ann, 502), (bob, 501)):
        await person.send("/introductions")
        assert "You've both shared your Telegram contacts" in person.last.text
        assert f'href="tg://user?id={other}"' in (person.last.html or "")


async def test_a_double_tap_queues_nothing_twice(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    cai = await joined(emulator, 503, "Cai")
    dee = await joined(emulator, 504, "Dee")
    cai_id, dee_id = (await member_of(bot, cai)).id, (await member_of(bot, dee)).id
    listing = await post(bot, cai)
    await show_listing(bot, dee, listing)
    await tap(bot, dee, "in", "start")
    emulator.fail("sendMessage", kind="502", chat_id=dee.user_id, times=2)
    accept = signed(bot, cai, "in", "acc", 1)
    await cai.press_data(accept)
    await cai.press_data(accept)  # the same press again, while Dee's notices are still waiting
    waiting = await outbox(bot)
    assert sorted(waiting) == sorted(
        [
            ("introduction.safety", dee_id, "pending"),
            ("introduction.card", dee_id, "pending"),
        ]
    )
    assert count(cai, "You're introduced to Dee") == 1  # Cai's own card went at once
    # The contact: both tap Share twice; each contact is queued (and sent) once.
    clock.advance(FIRST_RETRY * 2)
    await bot.settle()
    emulator.fail("getChat", kind="502", times=2)
    share = {person: signed(bot, person, "in", "share", 1) for person in (cai, dee)}
    await dee.press_data(share[dee])
    await cai.press_data(share[cai])
    await cai.press_data(share[cai])
    await dee.press_data(share[dee])
    contacts = [row for row in await outbox(bot) if row[0] == "introduction.contact"]
    assert sorted(contacts) == sorted(
        [("introduction.contact", cai_id, "pending"), ("introduction.contact", dee_id, "pending")]
    )
    clock.advance(FIRST_RETRY)
    await bot.settle()
    assert count(cai, SHARED) == count(dee, SHARED) == 1
    assert count(dee, "You're introduced to Cai") == 1


async def test_a_relayed_message_is_tried_again_and_arrives_once(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    eli = await joined(emulator, 505, "Eli")
    fay = await joined(emulator, 506, "Fay", language="cy")
    await introduced(bot, eli, fay)
    await tap(bot, eli, "in", "msg")
    emulator.fail("sendMessage", kind="502", chat_id=fay.user_id)
    await eli.send("Is Tuesday good?")
    assert "Sent to Fay" in eli.last.text  # passed on: it no longer depends on the send
    assert count(fay, "Is Tuesday good?") == 0
    clock.advance(FIRST_RETRY)
    await bot.settle()
    assert count(fay, "Is Tuesday good?") == 1
    assert "Eli" in fay.last.text and fay.last.buttons  # Reply and Block, in Welsh
    clock.advance(timedelta(hours=1))
    await bot.settle()
    assert count(fay, "Is Tuesday good?") == 1
    assert await outbox(bot) == []


async def test_a_message_to_someone_who_blocked_the_bot_is_reported_kindly(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    gus = await joined(emulator, 507, "Gus")
    hal = await joined(emulator, 508, "Hal")
    await introduced(bot, gus, hal)
    await tap(bot, gus, "in", "msg")
    blocked = hal.block_bot()
    assert blocked is not None and emulator.settle is not None
    await emulator.settle(blocked)
    await gus.send("See you at ten")
    assert "couldn't pass your message on to Hal" in gus.last.text
    assert "can't be reached on Telegram" in gus.last.text
    assert "See you at ten" not in gus.last.text
    assert count(hal, "See you at ten") == 0


async def test_a_refused_send_of_a_message_is_reported_kindly(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    ivy = await joined(emulator, 509, "Ivy")
    jac = await joined(emulator, 510, "Jac", language="cy")
    await introduced(bot, ivy, jac)
    await tap(bot, jac, "in", "msg")
    emulator.fail("sendMessage", kind="403", chat_id=ivy.user_id)  # the bot hears of it now
    await jac.send("Diolch!")
    assert "Ivy" in jac.last.text and "Telegram" in jac.last.text
    assert count(ivy, "Diolch!") == 0


async def test_asking_someone_who_blocked_the_bot_is_reported_kindly(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    kay = await joined(emulator, 511, "Kay")
    lyn = await joined(emulator, 512, "Lyn")
    listing = await post(bot, kay)
    blocked = kay.block_bot()
    assert blocked is not None and emulator.settle is not None
    await emulator.settle(blocked)
    await show_listing(bot, lyn, listing)
    await tap(bot, lyn, "in", "start")
    assert "I've let Kay know" in lyn.messages[-2].text
    assert "Sorry, Kay can't be reached on Telegram just now" in lyn.last.text


async def test_words_waiting_to_be_passed_on_go_when_their_writer_is_erased(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    max_ = await joined(emulator, 513, "Max")
    nel = await joined(emulator, 514, "Nel")
    await introduced(bot, max_, nel)
    await tap(bot, max_, "in", "msg")
    emulator.fail("sendMessage", kind="502", chat_id=nel.user_id)
    await max_.send("My number is in my profile")
    await max_.send("/forget")
    await max_.press("Yes, erase my details")
    clock.advance(timedelta(hours=1))
    await bot.settle()
    assert count(nel, "My number is in my profile") == 0
    assert [row for row in await outbox(bot) if row[0] == "introduction.message"] == []
