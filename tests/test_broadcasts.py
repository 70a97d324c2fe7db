"""/broadcast end to end through the emulator: audiences and preferences, both languages and
the one-language warning, the two-person rule, pause / resume / cancel, "Stop these", faults
and a restart mid-broadcast with nothing lost."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.config import Config
from bot.emulator import BotApiEmulator, BotMessage, SimulatedMember
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from bot.runtime.harness import running_bot
from handlers.broadcasts import progress
from handlers.broadcasts.approval import ApproveBroadcast
from tests.conftest import ADMIN_ID, AMBASSADOR_ID
from tests.helpers import audit_actions, joined, signed

APPROVAL_ABOVE = 4


@pytest.fixture
def config(config: Config) -> Config:
    """The tests' config, with a two-person rule small enough to reach."""
    return replace(config, broadcast_approval_above=APPROVAL_ABOVE)


WORDS = {
    "en": {"everyone": "Everyone", "area": "An area", "interest": "An interest", "skip": "Skip"},
    "cy": {"everyone": "Pawb", "area": "Ardal", "interest": "Diddordeb", "skip": "Hepgor"},
}
SEND = {"en": "Send it", "cy": "Anfon"}


async def write(
    author: SimulatedMember,
    english: str | None,
    welsh: str | None,
    *,
    to: str = "everyone",
    pick: str | None = None,
    language: str = "en",
) -> None:
    """/broadcast up to its preview (or the one-language warning)."""
    words = WORDS[language]
    await author.send("/broadcast")
    await author.press(words[to])
    if pick is not None:
        await author.press(pick)
    await (author.send(english) if english else author.press(words["skip"]))
    await (author.send(welsh) if welsh else author.press(words["skip"]))


def got(person: SimulatedMember, words: str) -> int:
    """How many messages with these words the member got."""
    return sum(words in message.text for message in person.messages)


def progress_of(author: SimulatedMember) -> BotMessage:
    """The author's live progress message (their own copy of the broadcast may come after)."""
    return next(
        message
        for message in reversed(author.messages)
        if "your broadcast" in message.text.lower() or "eich neges" in message.text.lower()
    )


async def finish(bot: AmserApplication) -> None:
    """What the progress job does every few seconds, and the summary it sends."""
    await progress.refresh(bot)
    await bot.settle()


async def test_a_bilingual_broadcast_reaches_everyone_in_their_own_language(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    author = await joined(emulator, AMBASSADOR_ID, "Alaw")
    ann = await joined(emulator, 1, "Ann")
    bryn = await joined(emulator, 2, "Bryn", language="cy")
    await write(author, "Repair café on Saturday", "Caffi trwsio ddydd Sadwrn")
    preview = author.last.text
    assert "Repair café on Saturday" in preview and "Caffi trwsio ddydd Sadwrn" in preview
    assert "3 members" in preview
    await author.press(SEND["en"])
    assert "Sending your broadcast to everyone" in progress_of(author).text
    assert got(ann, "Repair café") == 1 and got(ann, "Caffi trwsio") == 0
    assert got(bryn, "Caffi trwsio") == 1 and got(bryn, "Repair café") == 0
    assert "Stop these" in ann.messages[-1].buttons[0][0].text
    assert "Stopio'r rhain" in bryn.messages[-1].buttons[0][0].text
    progress_message = progress_of(author)
    await finish(bot)
    assert "has finished" in progress_message.text and progress_message.buttons == []
    assert "Delivered: 3" in author.last.text and "Unreachable (they have blocked the bot): 0" in (
        author.last.text
    )


async def test_the_progress_message_follows_the_sending_live(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    author = await joined(emulator, AMBASSADOR_ID, "Alaw", language="cy")
    people = [await joined(emulator, n, f"Member {n}") for n in range(1, 4)]
    emulator.fail("sendMessage", kind="502", chat_id=1)  # tried again in a few seconds
    await write(author, "Bingo", "Bingo", language="cy")
    await author.press(SEND["cy"])
    await progress.refresh(bot)
    live = progress_of(author)
    assert "Wedi anfon 3 o 4." in live.text and "Tua 1 munud ar ôl." in live.text
    assert [button.text for button in live.buttons[0]] == ["⏸ Oedi", "✖️ Ei chanslo"]
    clock.advance(timedelta(seconds=10))
    await bot.settle()
    assert got(people[0], "Bingo") == 1
    await finish(bot)
    assert "wedi gorffen" in live.text and "Wedi anfon 4 o 4." in live.text
    assert live.buttons == []
    assert "Wedi cyrraedd: 4" in author.last.text
    await finish(bot)  # nothing more: the summary comes once
    assert got(author, "Wedi cyrraedd") == 1


async def test_an_area_or_an_interest_reaches_only_those_members_who_want_news(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    author = await joined(emulator, AMBASSADOR_ID, "Alaw")
    gardener = await joined(emulator, 1, "Ann", categories=("Gardening",))
    other = await joined(emulator, 2, "Bryn")
    stopped = await joined(emulator, 3, "Carys", categories=("Gardening",))
    await write(author, "First news", "Newyddion cyntaf")
    await author.press(SEND["en"])
    await stopped.press("Stop these")
    assert "won't get community news" in stopped.last.text
    await write(author, "Seeds to share", "Hadau i'w rhannu", to="interest", pick="Gardening")
    assert "1 member" in author.last.text
    await author.press(SEND["en"])
    assert got(gardener, "Seeds to share") == 1
    assert got(other, "Seeds to share") == 0 and got(stopped, "Seeds to share") == 0
    await write(author, "Canton litter pick", "Casglu sbwriel", to="area", pick="Canton")
    await author.press(SEND["en"])
    # Everyone joined in Canton; Carys stopped community news.
    assert got(gardener, "litter") == 1 and got(other, "litter") == 1
    assert got(author, "litter pick") >= 1 and got(stopped, "litter") == 0


async def test_stop_these_is_one_tap_said_kindly_and_can_be_undone(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    author = await joined(emulator, AMBASSADOR_ID, "Alaw")
    bryn = await joined(emulator, 2, "Bryn", language="cy")
    await write(author, "Hello", "Helo")
    await author.press(SEND["en"])
    notice = bryn.last
    await bryn.press("Stopio'r rhain", notice)
    await bryn.press("Stopio'r rhain", notice)  # a double tap: the same, said again
    assert "newyddion y gymuned" in bryn.last.text
    await write(author, "Second", "Ail")
    await author.press(SEND["en"])
    assert got(bryn, "Ail") == 0
    await bryn.press("Dechrau eto")
    assert "Croeso nôl" in bryn.last.text
    await write(author, "Third", "Trydydd")
    await author.press(SEND["en"])
    assert got(bryn, "Trydydd") == 1


async def test_a_member_who_stops_news_mid_broadcast_is_left_out_and_counted(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    author = await joined(emulator, AMBASSADOR_ID, "Alaw")
    ann = await joined(emulator, 1, "Ann")
    await write(author, "First", "Cyntaf")
    await author.press(SEND["en"])
    emulator.fail("sendMessage", kind="502", chat_id=1)
    await write(author, "Second", "Ail")
    await author.press(SEND["en"])
    await ann.press("Stop these", next(m for m in ann.messages if "First" in m.text))
    clock.advance(timedelta(minutes=1))
    await bot.settle()
    assert got(ann, "Second") == 0
    await finish(bot)
    summary = author.last.text
    assert "Delivered: 1" in summary and "stopped community news or left meanwhile: 1" in summary


async def test_community_news_is_on_the_profile_and_changes_in_place(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    author = await joined(emulator, AMBASSADOR_ID, "Alaw")
    ann = await joined(emulator, 1, "Ann")
    await ann.send("/profile")
    await ann.press("What I hear about")
    screen = ann.last
    assert "Community news: on" in screen.text
    await ann.press("Stop community news", screen)
    assert "Community news: off" in screen.text and ann.last is screen
    await write(author, "Quiet news", "Newyddion tawel")
    await author.press(SEND["en"])
    assert got(ann, "Quiet news") == 0
    await ann.press("Start community news again", screen)
    assert "Community news: on" in screen.text


async def test_one_language_is_warned_about_and_others_get_it_all_the_same(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    author = await joined(emulator, AMBASSADOR_ID, "Alaw", language="cy")
    ann = await joined(emulator, 1, "Ann")
    bryn = await joined(emulator, 2, "Bryn", language="cy")
    await write(author, None, None, language="cy")
    assert "o leiaf un iaith" in author.last.text  # both skipped: asked for the words again
    await author.send("Cyngerdd nos Wener")
    assert "Dim ond Cymraeg?" in author.last.text
    await author.press("Anfon yn Gymraeg yn unig")
    assert "Dim Saesneg" in author.last.text  # the preview says so too
    await author.press(SEND["cy"])
    assert got(ann, "Cyngerdd nos Wener") == 1 and got(bryn, "Cyngerdd nos Wener") == 1


async def test_the_english_only_warning_can_go_back_to_add_the_welsh(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    author = await joined(emulator, AMBASSADOR_ID, "Alaw")
    await write(author, "Choir practice", None)
    assert "Welsh speakers will get the English" in author.last.text
    await author.press("« Back")
    await author.send("Ymarfer côr")
    assert "Check your notice" in author.last.text and "Ymarfer côr" in author.last.text


async def test_a_notice_too_long_for_telegram_is_asked_again_kindly(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    author = await joined(emulator, AMBASSADOR_ID, "Alaw")
    await author.send("/broadcast")
    await author.press("Everyone")
    await author.send("🎉" * 2_000)  # 2,000 characters, but 4,000 as Telegram counts them
    assert "please keep it to 3800 characters (yours had 4000)" in author.last.text
    await author.send("🎉 Party!")
    assert "The notice in Welsh" in author.last.text


async def test_only_ambassadors_and_coordinators_may_broadcast(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    ann = await joined(emulator, 1, "Ann")
    await ann.send("/broadcast")
    assert "this is for ambassadors and coordinators" in ann.last.text


async def test_a_big_broadcast_needs_another_persons_yes_once(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    author = await joined(emulator, AMBASSADOR_ID, "Alaw")
    admin = await joined(emulator, ADMIN_ID, "Cari")
    people = [await joined(emulator, n, f"Member {n}") for n in range(1, 4)]
    await write(author, "Big news", "Newyddion mawr")
    assert "approve it first" in author.last.text
    await author.press(SEND["en"])
    assert "waiting for approval" in progress_of(author).text
    assert got(people[0], "Big news") == 0
    card = admin.last
    assert "needs a second yes" in card.text and "5 members" in card.text
    # The author can't approve their own, even with a well-signed button.
    forged = signed(bot, author, *ApproveBroadcast(1).parts())
    await author.press_data(forged)
    assert "can't approve your own" in author.last.text
    assert got(people[0], "Big news") == 0
    approve = card.button("Approve and send").callback_data or ""
    await admin.press_data(approve, card.message_id)
    assert "on its way to 5 members" in card.text
    await admin.press_data(approve, card.message_id)  # a double tap starts nothing more
    assert "approved already" in card.text
    assert await audit_actions(bot) == ["broadcast"]
    assert all(got(person, "Big news") == 1 for person in people)
    assert got(author, "Your broadcast has been approved") == 1
    await finish(bot)
    assert "Delivered: 5" in author.last.text


async def test_a_declined_broadcast_sends_nothing_and_its_author_is_told(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    author = await joined(emulator, AMBASSADOR_ID, "Alaw")
    admin = await joined(emulator, ADMIN_ID, "Cari")
    people = [await joined(emulator, n, f"Member {n}") for n in range(1, 4)]
    await write(author, "Big news", "Newyddion mawr")
    await author.press(SEND["en"])
    await admin.press("Decline")
    assert "was not approved" in author.last.text
    assert await audit_actions(bot) == ["broadcast"]
    assert not any(got(person, "Big news") for person in people)


async def test_its_author_can_withdraw_a_broadcast_still_waiting_for_approval(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    author = await joined(emulator, AMBASSADOR_ID, "Alaw", language="cy")
    admin = await joined(emulator, ADMIN_ID, "Cari")
    people = [await joined(emulator, n, f"Member {n}") for n in range(1, 4)]
    await write(author, "Big news", "Newyddion mawr", language="cy")
    await author.press(SEND["cy"])
    card = admin.last
    assert "needs a second yes" in card.text
    await author.press("✖️ Ei thynnu'n ôl", progress_of(author))
    assert "Fe wnaethoch chi dynnu eich neges" in progress_of(author).text
    await admin.press("✅ Approve and send", card)
    assert "This broadcast was cancelled." in admin.last.text
    await bot.settle()
    assert not any(got(person, "Big news") for person in people)


async def test_pause_holds_the_rest_resume_sends_it_and_cancel_drops_it(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    author = await joined(emulator, AMBASSADOR_ID, "Alaw")
    people = [await joined(emulator, n, f"Member {n}") for n in range(1, 4)]
    # The first member's message fails for now, so the broadcast is still going when paused.
    emulator.fail("sendMessage", kind="502", chat_id=1)
    emulator.fail("sendMessage", kind="502", chat_id=2)
    await write(author, "Walk on Sunday", "Taith ddydd Sul")
    await author.press(SEND["en"])
    await author.press("Pause", progress_of(author))
    assert "is paused" in progress_of(author).text
    clock.advance(timedelta(minutes=1))
    await bot.settle()
    assert got(people[0], "Walk on Sunday") == 0 and got(people[1], "Walk on Sunday") == 0
    await author.press("Resume", progress_of(author))
    await bot.settle()
    assert got(people[0], "Walk on Sunday") == 1
    emulator.fail("sendMessage", kind="502", chat_id=3)
    await write(author, "Second walk", "Ail daith")
    await author.press(SEND["en"])
    await author.press("Cancel it", progress_of(author))
    cancelled = progress_of(author).text
    assert "was cancelled" in cancelled and "Not sent, because it was cancelled: 1" in cancelled
    clock.advance(timedelta(minutes=1))
    await bot.settle()
    assert got(people[2], "Second walk") == 0


async def test_a_message_taken_just_before_a_pause_waits_for_the_resume(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    author = await joined(emulator, AMBASSADOR_ID, "Alaw")
    ann = await joined(emulator, 1, "Ann")
    emulator.fail("sendMessage", kind="502", chat_id=1)
    await write(author, "Coffee morning", "Bore coffi")
    await author.press(SEND["en"])
    # Paused as the sender takes Ann's message (the status, not yet its hold): it waits.
    await bot.services.db.write(lambda tx: tx.execute("UPDATE broadcasts SET status = 'paused'"))
    clock.advance(timedelta(seconds=10))
    await bot.settle()
    assert got(ann, "Coffee morning") == 0
    await bot.services.db.write(lambda tx: tx.execute("UPDATE broadcasts SET status = 'sending'"))
    clock.advance(timedelta(seconds=1))
    await bot.settle()
    assert got(ann, "Coffee morning") == 1


async def test_faults_lose_nothing_and_a_blocked_member_is_counted_unreachable(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    author = await joined(emulator, AMBASSADOR_ID, "Alaw")
    people = [await joined(emulator, n, f"Member {n}") for n in range(1, 4)]
    emulator.fail("sendMessage", kind="500", chat_id=1)
    emulator.fail("sendMessage", kind="timeout", chat_id=2)
    emulator.fail("sendMessage", kind="429", chat_id=2)
    emulator.fail("sendMessage", kind="403", chat_id=3)
    await write(author, "Fair on Friday", "Ffair ddydd Gwener")
    await author.press(SEND["en"])
    for _ in range(4):
        clock.advance(timedelta(minutes=2))
        await bot.settle()
    assert got(people[0], "Fair on Friday") == 1
    assert 1 <= got(people[1], "Fair on Friday") <= 2  # the timed-out one arrived; maybe twice
    assert got(people[2], "Fair on Friday") == 0
    await finish(bot)
    assert "Delivered: 3" in author.last.text  # Ann, Bryn and the author
    assert "Unreachable (they have blocked the bot): 1" in author.last.text


async def test_a_restart_mid_broadcast_loses_nothing(
    config: Config, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    async with running_bot(config, emulator, clock) as app:
        author = await joined(emulator, AMBASSADOR_ID, "Alaw")
        people = [await joined(emulator, n, f"Member {n}") for n in range(1, 4)]
        emulator.fail("sendMessage", kind="502", chat_id=1)
        emulator.fail("sendMessage", kind="drop_after", chat_id=2)  # sent, but not known to be
        await write(author, "Quiz night", "Noson gwis")
        await author.press(SEND["en"])
        assert not list(app.services.errors)
    async with running_bot(config, emulator, clock) as app:
        clock.advance(timedelta(minutes=1))
        await app.settle()
        await progress.refresh(app)
        await app.settle()
        assert not list(app.services.errors)
    assert got(people[0], "Quiz night") == 1
    assert got(people[1], "Quiz night") == 2  # the one in flight: at most twice
    assert got(people[2], "Quiz night") == 1
    assert "has finished" in author.last.text


async def test_the_staff_are_as_the_config_names_them_at_each_start(
    config: Config, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    """The staff's copy in the database is written from [roles] at start-up: after a restart
    naming another coordinator, the card for a second yes goes to them, not to the old one."""
    async with running_bot(config, emulator, clock) as app:
        author = await joined(emulator, AMBASSADOR_ID, "Alaw")
        old = await joined(emulator, ADMIN_ID, "Cari")
        new = await joined(emulator, 77, "Dai")
        for n in range(1, 3):
            await joined(emulator, n, f"Member {n}")
        assert not list(app.services.errors)
    async with running_bot(replace(config, admins=frozenset({77})), emulator, clock) as app:
        assert await app.services.staff.telegram_ids() == [77, AMBASSADOR_ID]
        await write(author, "Big news", "Newyddion mawr")
        await author.press(SEND["en"])
        assert "needs a second yes" in new.last.text
        assert got(old, "needs a second yes") == 0
        assert not list(app.services.errors)
