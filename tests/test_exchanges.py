"""Logging time, confirming, changing, disputing and following up exchanges, end to end.

Buttons are mostly pressed by what they do (their signed data), so steps read the same in
Welsh and English; what members read is checked in their own language.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.config import Config
from bot.domain.membership import Status
from bot.emulator import BotApiEmulator, SimulatedMember
from bot.emulator.limits import Limits
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from bot.runtime.harness import running_bot
from storage.forms import FormRow
from storage.ledger import State
from tests.conftest import ADMIN_ID, AMBASSADOR_ID
from tests.helpers import audit_actions, joined, member_of, signed, tap

HOUR = 60


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    """Members here tap and type far faster than people do; Telegram's per-chat limit (tested
    elsewhere) would only make these tests wait."""
    async with BotApiEmulator(limits=Limits(private_chat_burst=100)) as emulator:
        yield emulator


async def balances(app: AmserApplication, *people: SimulatedMember) -> list[int]:
    return [await app.services.ledger.balance((await member_of(app, p)).id) for p in people]


async def assert_ledger_adds_up(app: AmserApplication) -> None:
    assert await app.services.ledger.check_invariants() == []


async def form_of(app: AmserApplication, person: SimulatedMember) -> FormRow:
    row = await app.services.forms.of_member((await member_of(app, person)).id)
    assert row is not None
    return row


async def log(
    app: AmserApplication,
    person: SimulatedMember,
    other_name: str,
    *,
    gave: bool = True,
    hours: str = "1½",
    note: str | None = None,
) -> None:
    """/log with another member, found by typing their name; stops at the review."""
    await person.send("/log")
    await person.send(other_name)
    await person.press(person.last.button_texts[0])
    form = await form_of(app, person)
    await tap(app, person, "lg", "dir", form.id, int(gave))
    await person.press(hours)
    await tap(app, person, "cr", "day")  # today
    if note is None:
        await tap(app, person, "cr", "skip")
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
    await tap(bot, tom, "cr", "send")
    assert "I've asked Eleri to confirm it" in tom.last.text
    assert tom.last.button_texts == ["« Back to the menu"]  # a way on from the end, too
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


async def test_log_from_an_introduction_then_change_the_time(
    bot: AmserApplication, emulator
) -> None:
    from tests.test_introductions import introduced

    eleri = await joined(emulator, 411, "Eleri", language="cy")
    tom = await joined(emulator, 412, "Tom", categories=("Gardening",))
    await introduced(bot, eleri, tom)
    await tap(bot, eleri, "lg", "intro")  # "⏱ Cofnodi amser" on the introduction
    assert "Pa ffordd aeth yr help rhyngoch chi a Tom?" in eleri.last.text
    await eleri.press("🙏 Fe wnaeth Tom fy helpu i")
    await eleri.send("2 awr")
    await eleri.send("ddoe")  # a day in words, in Welsh
    await eleri.press("Hepgor")
    assert "Fe wnaeth Tom eich helpu chi am 2 awr, ddoe." in eleri.last.text
    await eleri.press("✅ Anfon at Tom")
    assert "Eleri says you helped them for 2 hours, yesterday." in tom.last.text
    await tom.press("🕒 Change the time")
    assert "They said 2 hours" in tom.last.text
    await tom.send("90 min")  # typed, or tapped
    assert "Eleri said 2 hours; you remember 1½ hours." in tom.last.text
    await tom.press("✅ Send to Eleri")
    assert "I've asked Eleri whether 1½ hours is right" in tom.last.text
    assert "Mae Tom wedi cofnodi amser gyda chi" in eleri.last.text
    assert "1½ awr" in eleri.last.text
    await eleri.press("✅ Cadarnhau")
    assert await balances(bot, eleri, tom) == [-90, 90]
    # Logged again by /log, picking Tom from her introductions: linked to it all the same.
    await eleri.send("/log")
    await eleri.press("Tom")
    await tap(bot, eleri, "lg", "dir")
    await eleri.press("1")
    await eleri.press("Heddiw")
    await eleri.press("Hepgor")
    await eleri.press("✅ Anfon at Tom")
    transfers = await bot.services.db.fetch_all(
        "SELECT amount, state, introduction_id, listing_id FROM transfers ORDER BY id"
    )
    intro = (await bot.services.introductions.active_for((await member_of(bot, tom)).id))[0]
    assert [tuple(row) for row in transfers] == [
        (120, "declined", intro.id, intro.listing_id),
        (90, "confirmed", intro.id, intro.listing_id),
        (60, "pending", intro.id, intro.listing_id),
    ]
    await assert_ledger_adds_up(bot)


async def test_something_wrong_goes_to_a_coordinator_who_settles_it(
    bot: AmserApplication, emulator
) -> None:
    admin = await joined(emulator, ADMIN_ID, "Cydlynydd", language="cy")
    tom = await joined(emulator, 421, "Tom")
    sian = await joined(emulator, 422, "Siân", language="cy")
    await log(bot, tom, "sian")  # found without the circumflex
    await tap(bot, tom, "cr", "send")
    await sian.press("⚠️ Mae rhywbeth o'i le")
    await sian.press("Ie, gofyn i gydlynydd")
    assert "Bydd cydlynydd yn edrych arno" in sian.last.text
    assert "Siân says something isn't quite right" in tom.last.text
    card = admin.last
    assert "Cyfnewid i gydlynydd benderfynu arno" in card.text
    assert "Dywedodd Siân nad yw rhywbeth yn iawn." in card.text
    assert await balances(bot, tom, sian) == [0, 0]
    await admin.press("✅ Ei gofnodi")
    assert "Wedi'i gofnodi" in admin.last.text
    assert await balances(bot, tom, sian) == [90, -90]
    assert "A coordinator has recorded this exchange" in tom.last.text
    assert "Mae cydlynydd wedi cofnodi'r cyfnewid hwn" in sian.last.text
    # The card pressed again, or by a member, changes nothing.
    await tap(bot, admin, "xq", "ok") if admin.last.buttons else None
    await sian.press_data(signed(bot, sian, "xq", "no", 1))
    assert await balances(bot, tom, sian) == [90, -90]
    assert await audit_actions(bot) == ["settle"]
    await assert_ledger_adds_up(bot)


async def test_reminders_then_a_coordinator_after_a_week(
    bot: AmserApplication, emulator, clock: FakeClock
) -> None:
    admin = await joined(emulator, ADMIN_ID, "Coordinator")
    tom = await joined(emulator, 431, "Tom")
    eleri = await joined(emulator, 432, "Eleri", language="cy")
    await log(bot, tom, "Eleri")
    await tap(bot, tom, "cr", "send")
    asked = len(eleri.messages)
    clock.advance(timedelta(days=1))
    await bot.run_due_work()
    assert len(eleri.messages) == asked
    clock.advance(timedelta(days=1, minutes=1))
    await bot.run_due_work()
    assert "Nodyn atgoffa bach:" in eleri.last.text and "2 ddiwrnod" in eleri.last.text
    clock.advance(timedelta(days=3))
    await bot.run_due_work()
    assert "5 diwrnod" in eleri.last.text
    assert eleri.last.buttons  # still Confirm / Change / Something's wrong
    clock.advance(timedelta(days=2))
    await bot.run_due_work()
    assert "wedi'i basio i gydlynydd" in eleri.last.text
    assert "passed it to a coordinator" in tom.last.text
    assert "Nobody confirmed it within a week." in admin.last.text
    transfer = await bot.services.ledger.get(1)
    assert transfer is not None and transfer.state is State.EXPIRED
    # Nothing more is sent however long it waits; the coordinator decides.
    told = len(eleri.messages)
    clock.advance(timedelta(days=30))
    await bot.run_due_work()
    assert len(eleri.messages) == told
    await admin.press("✖️ Don't record it")
    assert "decided not to record this" in tom.last.text
    assert await balances(bot, tom, eleri) == [0, 0]
    # A late confirmation from the old reminder changes nothing.
    await tap(bot, eleri, "xc", "ok")
    assert await balances(bot, tom, eleri) == [0, 0]
    await assert_ledger_adds_up(bot)


@asynccontextmanager
async def floor_of_one_hour(
    config: Config, emulator: BotApiEmulator, clock: FakeClock
) -> AsyncIterator[AmserApplication]:
    async with running_bot(replace(config, balance_floor_hours=-1), emulator, clock) as app:
        yield app
        assert not app.services.errors


async def test_beyond_the_floor_a_coordinator_says_yes(
    config: Config, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    async with floor_of_one_hour(config, emulator, clock) as bot:
        admin = await joined(emulator, ADMIN_ID, "Coordinator")
        tom = await joined(emulator, 441, "Tom")
        eleri = await joined(emulator, 442, "Eleri", language="cy")
        await log(bot, tom, "Eleri", hours="2")
        await tap(bot, tom, "cr", "send")
        await eleri.press("✅ Cadarnhau")
        assert "does dim cywilydd mewn derbyn help" in eleri.last.text.lower()
        assert "a coordinator will have a quick look" in tom.last.text
        assert "from 0 hours to −2 hours, beyond the limit of −1 hour" in admin.last.text
        assert await balances(bot, tom, eleri) == [0, 0]
        await admin.press("✅ Record it")
        assert await balances(bot, tom, eleri) == [120, -120]
        assert "Eich balans: −2 awr" in eleri.last.text
        await assert_ledger_adds_up(bot)


async def test_giving_is_never_blocked_by_the_floor(
    config: Config, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    async with floor_of_one_hour(config, emulator, clock) as bot:
        tom = await joined(emulator, 451, "Tom")
        eleri = await joined(emulator, 452, "Eleri")
        await log(bot, tom, "Eleri", hours="1")
        await tap(bot, tom, "cr", "send")
        await eleri.press("✅ Confirm")
        await log(bot, eleri, "Tom", hours="1")
        await tap(bot, eleri, "cr", "send")
        await tom.press("✅ Confirm")  # Tom gives back at 0: Eleri was at −1, now 0
        assert await balances(bot, tom, eleri) == [0, 0]
        # Logged as "they helped me" beyond the floor, the review says so kindly first.
        await log(bot, tom, "Eleri", gave=False, hours="2")
        assert "This would take your balance to −2 hours" in tom.last.text
        assert "there's no shame in receiving help" in tom.last.text


async def test_restart_between_logging_and_confirming(
    config: Config, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    async with running_bot(config, emulator, clock) as app:
        tom = await joined(emulator, 461, "Tom")
        eleri = await joined(emulator, 462, "Eleri", language="cy")
        await log(app, tom, "Eleri", hours="1")
        await tap(app, tom, "cr", "send")
        assert not app.services.errors
    async with running_bot(config, emulator, clock) as app:
        await eleri.press("✅ Cadarnhau")
        assert await balances(app, tom, eleri) == [60, -60]
        assert "Eleri has confirmed your exchange" in tom.last.text
        assert not app.services.errors


async def test_bad_input_is_explained_kindly_and_loses_nothing(
    bot: AmserApplication, emulator
) -> None:
    tom = await joined(emulator, 471, "Tom")
    eleri = await joined(emulator, 472, "Eleri", language="cy")
    await joined(emulator, 473, "Sam")
    await tom.send("/log")
    # Yourself, by name and by a forged button; someone unknown; a sticker-free long name.
    await tom.send("Tom")
    assert "That's you!" in tom.last.text
    form = await form_of(bot, tom)
    tom_id = (await member_of(bot, tom)).id
    await tom.press_data(signed(bot, tom, "cr", "who", form.id, tom_id))
    assert "That's you!" in tom.last.text
    await tom.send("Nobody <here>")
    assert "I couldn't find a member called “Nobody &lt;here&gt;”" in (tom.last.html or "")
    await tom.send("x" * 500)
    assert "please keep it to 60 characters" in tom.last.text
    # A suspended member cannot be chosen.
    sam = await bot.services.members.by_telegram_id(473)
    assert sam is not None
    await bot.services.members.update(sam.id, bot.services.clock.now(), status=Status.SUSPENDED)
    await tom.press_data(signed(bot, tom, "cr", "who", form.id, sam.id))
    assert "Sam can't take part in exchanges at the moment" in tom.last.text
    # « Back from the names found goes to the question of who.
    await tom.send("Eleri")
    assert "Which of these is the person" in tom.last.text
    await tom.press("« Back")
    assert "Who was the exchange with?" in tom.last.text
    await tom.send("Eleri")
    await tom.press("Eleri")
    # Typing where only buttons will do: asked again, with the buttons, in the form.
    await tom.send("I helped her")
    assert "Please choose from the buttons below." in tom.last.text
    assert "Which way did the help go between you and Eleri?" in tom.last.text
    assert "🤲 I helped Eleri" in tom.last.button_texts
    await tap(bot, tom, "lg", "dir", form.id, 1)
    # Times: words, nothing, negative, too long, not a quarter-hour.
    for typed, answer in [
        ("a while", "couldn't read that as a length of time"),
        ("0", "more than nothing"),
        ("-2", "more than nothing"),
        ("−1½", "more than nothing"),
        ("13", "The most one exchange can record is 12 hours"),
        ("1.1", "nearest quarter of an hour"),
    ]:
        await tom.send(typed)
        assert answer in tom.last.text, typed
        assert (await form_of(bot, tom)).step == "minutes"
    # Forged amounts are refused too.
    await tom.press_data(signed(bot, tom, "cr", "amt", form.id, 0))
    await tom.press_data(signed(bot, tom, "cr", "amt", form.id, 12 * HOUR + 15))
    stored = await form_of(bot, tom)
    assert stored.step == "minutes" and stored.answers["minutes"] is None
    # The time buttons page on to the maximum and back.
    await tom.press("Longer »")
    await tom.press("Longer »")
    assert {"8¼", "11¾", "12"} <= set(tom.last.button_texts)
    assert "Longer »" not in tom.last.button_texts and "« Shorter" in tom.last.button_texts
    await tom.press("« Shorter")
    assert "4¼" in tom.last.button_texts and "12" not in tom.last.button_texts
    await tom.send("1,5")
    # Days: not a date, in the future, over a year ago. Each problem is said once, over the
    # question, with the day buttons still there.
    for typed, answer in [
        ("32/13", "couldn't read that as a date"),
        ("soon", "couldn't read that as a date"),
        ("31/02/2026", "couldn't read that as a date"),
        ("25/11/2026", "hasn't come yet"),
        ("tomorrow", "hasn't come yet"),
        ("01/01/2020", "more than a year ago"),
    ]:
        await tom.send(typed)
        assert answer in tom.last.text, typed
        assert "When was it?" in tom.last.text and tom.last.text.count("Please type") <= 1
        assert {"Today", "Yesterday", "« Back", "Cancel"} <= set(tom.last.button_texts)
    # « Back from the day goes to the time, and the time is kept.
    await tom.press("« Back")
    assert "How long did it take?" in tom.last.text
    await tom.press("1½")
    await tom.send("20/11/2026")
    assert "What was it for?" in tom.last.text
    await tom.send("Gardening")
    assert "You helped Eleri for 1½ hours, Friday 20 November." in tom.last.text
    assert "What for: Gardening" in tom.last.text
    # Back from the review to change the time keeps everything else.
    await tap(bot, tom, "f", "back", form.id, "review")
    assert "Your note now: “Gardening”" in tom.last.text
    await tap(bot, tom, "f", "back", form.id, "note")
    await tap(bot, tom, "f", "back", form.id, "day")
    await tom.press("2")
    assert "You helped Eleri for 2 hours, Friday 20 November." in tom.last.text
    assert "What for: Gardening" in tom.last.text
    await tap(bot, tom, "cr", "send")
    assert "Mae Tom yn dweud iddyn nhw eich helpu chi am 2 awr, Dydd Gwener 20" in eleri.last.text


async def test_days_in_words_in_both_languages(bot: AmserApplication, emulator) -> None:
    eleri = await joined(emulator, 475, "Eleri", language="cy")
    await joined(emulator, 476, "Tom")
    for typed, shown in [("heddiw", "heddiw"), ("ddoe", "ddoe")]:
        await eleri.send("/log")
        await eleri.send("Tom")
        await eleri.press("Tom")
        await eleri.press("🤲 Fe wnes i helpu Tom")
        await eleri.send("1")
        await eleri.send(typed)
        await eleri.press("Hepgor")
        assert f"am 1 awr, {shown}." in eleri.last.text, typed
    tom = emulator.member(476, "Tom")
    await tom.send("/log")
    await tom.send("Eleri")
    await tom.press("Eleri")
    await tom.press("🤲 I helped Eleri")
    await tom.send("1")
    await tom.send("yesterday")
    await tom.press("Skip")
    assert "You helped Eleri for 1 hour, yesterday." in tom.last.text


async def test_balance_leads_to_the_card_and_one_card_acts(bot: AmserApplication, emulator) -> None:
    tom = await joined(emulator, 491, "Tom")
    eleri = await joined(emulator, 492, "Eleri")
    await log(bot, tom, "Eleri")
    await tap(bot, tom, "cr", "send")
    card = eleri.last
    await eleri.send("/balance")
    assert "1 exchange is waiting for your answer" in eleri.last.text
    await eleri.press("⏳ Answer Tom: 1½ hours")
    assert "Tom has logged time with you" in eleri.last.text
    await eleri.press("🕒 Change the time")
    await eleri.press("1")
    send = eleri.last.button("✅ Send to Tom").callback_data or ""
    await eleri.press("✅ Send to Tom")
    thanks = eleri.last.text
    assert "I've asked Tom whether 1 hour is right" in thanks
    # Send again (a double tap, or re-delivered): one new proposal, and the same answer.
    asked = len(tom.messages)
    await eleri.press_data(send, eleri.last.message_id)
    assert eleri.last.text == thanks and len(tom.messages) == asked
    rows = await bot.services.db.fetch_all("SELECT amount, state FROM transfers ORDER BY id")
    assert [tuple(row) for row in rows] == [(90, "declined"), (60, "pending")]
    # The first card has moved on: pressed, it says where the exchange stands, and no button
    # on it acts any more.
    await eleri.press("✅ Confirm", card)
    now = next(m for m in eleri.messages if m.message_id == card.message_id)
    assert "changed or turned down" in now.text and not now.buttons
    await tom.press("✅ Confirm")
    assert await balances(bot, tom, eleri) == [60, -60]
    await assert_ledger_adds_up(bot)


async def test_only_the_other_member_can_answer(bot: AmserApplication, emulator) -> None:
    tom = await joined(emulator, 481, "Tom")
    eleri = await joined(emulator, 482, "Eleri")
    mallory = await joined(emulator, 483, "Mallory")
    await log(bot, tom, "Eleri")
    await tap(bot, tom, "cr", "send")
    transfer = await bot.services.ledger.get(1)
    assert transfer is not None
    # Tom confirming his own, Mallory with a button signed for her, Eleri's button replayed
    # by Mallory: nothing changes.
    await tom.press_data(signed(bot, tom, "xc", "ok", transfer.id))
    await mallory.press_data(signed(bot, mallory, "xc", "ok", transfer.id))
    await mallory.press_data(signed(bot, eleri, "xc", "ok", transfer.id))
    await tom.press_data(signed(bot, tom, "xc", "chg", transfer.id))
    assert "waiting for Eleri to confirm it" in tom.last.text
    await tom.press_data(signed(bot, tom, "xc", "dis", transfer.id))
    assert await balances(bot, tom, eleri, mallory) == [0, 0, 0]
    still = await bot.services.ledger.get(transfer.id)
    assert still is not None and still.state is State.PENDING
    # Cancel from any step logs nothing.
    await tom.send("/log")
    await tom.press("Cancel")
    assert "nothing was logged" in tom.last.text


async def test_the_queue_lists_what_waits_and_ambassadors_only_when_allowed(
    config: Config, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    allowed = replace(config, ambassadors_may_grant=True)
    async with running_bot(allowed, emulator, clock) as bot:
        ambassador = await joined(emulator, AMBASSADOR_ID, "Llinos", language="cy")
        tom = await joined(emulator, 491, "Tom")
        eleri = await joined(emulator, 492, "Eleri")
        await ambassador.send("/exchanges")
        assert "Does dim cyfnewidiadau'n aros" in ambassador.last.text
        menu = emulator.commands({"type": "chat", "chat_id": AMBASSADOR_ID})
        assert {"exchanges", "grant", "record", "reverse"} <= {c["command"] for c in menu}
        await ambassador.send("/help")
        assert "/grant" in ambassador.last.text
        await log(bot, tom, "Eleri")
        await tap(bot, tom, "cr", "send")
        await eleri.press("⚠️ Something's wrong")
        await eleri.press("Yes, ask a coordinator")
        assert "Cyfnewid i gydlynydd benderfynu arno" in ambassador.last.text
        await eleri.send("/exchanges")
        assert "this is for ambassadors and coordinators" in eleri.last.text
        await ambassador.send("/exchanges")
        await ambassador.press("✖️ Peidio â'i gofnodi")
        assert "decided not to record this" in eleri.last.text
        assert not bot.services.errors
    async with running_bot(config, emulator, clock) as bot:
        await ambassador.send("/exchanges")
        assert "ar gyfer cydlynwyr" in ambassador.last.text
        menu = emulator.commands({"type": "chat", "chat_id": AMBASSADOR_ID})
        assert not {"exchanges", "grant"} & {c["command"] for c in menu}
