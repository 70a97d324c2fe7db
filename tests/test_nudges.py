"""Gentle nudges end to end, in both languages: an exchange waiting for the member's answer, their
request still open, and "what could you offer?" after a quiet spell. Each arrives once, not when
the thing was dealt with meanwhile, not in quiet hours, and each can be turned off and on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.nudges import quiet_nudge_due, request_nudge_at, still_quiet
from bot.emulator import BotApiEmulator, SimulatedMember
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from tests.helpers import joined, tap
from tests.test_exchanges import log
from tests.test_listings import post

DAY = timedelta(days=1)
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def got(emulator: BotApiEmulator, person: SimulatedMember, words: str) -> int:
    """How many messages with these words the member was sent (a later edit of one aside)."""
    return sum(
        words in call.params["text"]
        for call in emulator.calls_to("sendMessage")
        if call.params["chat_id"] == person.user_id and call.status == 200
    )


# --- the rules ---------------------------------------------------------------------------------


def test_a_request_is_asked_about_once_some_days_after_posting() -> None:
    assert request_nudge_at(NOW, 14, NOW) == NOW + 14 * DAY
    assert request_nudge_at(NOW, 14, NOW + 13 * DAY) == NOW + 14 * DAY  # changed meanwhile
    assert request_nudge_at(NOW, 14, NOW + 20 * DAY) is None  # renewed later: nothing more


def test_a_quiet_member_is_nudged_once_per_quiet_spell() -> None:
    active = NOW - 61 * DAY
    assert quiet_nudge_due(active, None, NOW, 60)
    assert not quiet_nudge_due(NOW - 59 * DAY, None, NOW, 60)  # not quiet long enough
    assert not quiet_nudge_due(active, active + 60 * DAY, NOW, 60)  # nudged in this spell
    assert quiet_nudge_due(active, active - DAY, NOW, 60)  # nudged in an earlier spell
    assert quiet_nudge_due(active, active, NOW, 60)  # active the moment it was nudged
    assert still_quiet(active, active) and not still_quiet(active, active + DAY)


# --- an exchange waiting for their answer ------------------------------------------------------


async def _logged(
    app: AmserApplication, emulator: BotApiEmulator, language: str
) -> SimulatedMember:
    """Tom logs an exchange with a member who speaks `language`; that member is returned."""
    tom = await joined(emulator, 701, "Tom")
    other = await joined(emulator, 702, "Eleri", language=language)
    await log(app, tom, "Eleri")
    await tap(app, tom, "cr", "send")
    return other


async def test_an_exchange_reminder_comes_once_and_can_be_stopped_and_started_again(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    eleri = await _logged(bot, emulator, "cy")
    clock.advance(2 * DAY + timedelta(minutes=1))
    await bot.run_due_work()
    await bot.run_due_work()
    assert got(emulator, eleri, "Nodyn atgoffa bach") == 1
    reminder = eleri.last
    assert "Stopio'r rhain" in reminder.buttons[-1][0].text
    await eleri.press("Stopio'r rhain", reminder)
    await eleri.press("Stopio'r rhain", reminder)  # a double tap says the same again
    assert "dim mwy o negeseuon atgoffa" in eleri.last.text
    clock.advance(3 * DAY)  # the second reminder's day
    await bot.run_due_work()
    assert got(emulator, eleri, "Nodyn atgoffa bach") == 1
    await eleri.press("Dechrau eto")
    assert "yn ôl ymlaen" in eleri.last.text
    clock.advance(2 * DAY)  # a coordinator still takes it after a week
    await bot.run_due_work()
    assert "wedi'i basio i gydlynydd" in eleri.last.text


async def test_a_confirmed_exchange_is_not_reminded_and_reminders_wait_for_the_morning(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    eleri = await _logged(bot, emulator, "en")
    clock.advance(2 * DAY + timedelta(hours=12))  # 22:00: quiet hours
    await bot.run_due_work()
    assert got(emulator, eleri, "A gentle reminder") == 0
    clock.advance(timedelta(hours=10, minutes=1))  # 08:01
    await bot.settle()
    assert got(emulator, eleri, "Tom logged this 2 days ago") == 1
    await eleri.press("Confirm")
    told = len(eleri.messages)
    clock.advance(4 * DAY)
    await bot.run_due_work()
    assert len(eleri.messages) == told  # confirmed: no second reminder


# --- their request, still open -----------------------------------------------------------------


async def _request(person: SimulatedMember, title: str, *, welsh: bool = False) -> None:
    await post(
        person,
        "/request",
        category="Siopa a negeseuon" if welsh else "Shopping and errands",
        title=title,
        details="Bob wythnos" if welsh else "Every week",
        place="Treganna" if welsh else "Canton",
        when="Unrhyw bryd" if welsh else "Any time",
        days="30 diwrnod" if welsh else "30 days",
        welsh=welsh,
    )


async def test_an_open_request_is_asked_about_once_and_kept_open(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    lyn = await joined(emulator, 711, "Lyn")
    await _request(lyn, "Shelf")
    clock.advance(14 * DAY + timedelta(minutes=1))
    await bot.run_due_work()
    await bot.run_due_work()
    assert got(emulator, lyn, "Your request has been open for 14 days. Is this still needed?") == 1
    assert "Shelf" in lyn.last.text
    await lyn.press("Keep it open")
    assert "Renewed" in lyn.last.text
    clock.advance(14 * DAY)
    await bot.run_due_work()
    assert got(emulator, lyn, "Is this still needed?") == 1  # once per request, not again


async def test_a_closed_request_is_not_asked_about_and_the_nudge_can_be_turned_off(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    nia = await joined(emulator, 712, "Nia", language="cy")
    await _request(nia, "Siopa", welsh=True)
    clock.advance(14 * DAY + timedelta(minutes=1))
    await bot.run_due_work()
    assert got(emulator, nia, "Mae eich cais wedi bod ar agor ers 14 diwrnod") == 1
    await nia.press("Stopio'r rhain")
    assert "wna i ddim gofyn" in nia.last.text
    await _request(nia, "Garddio", welsh=True)
    clock.advance(14 * DAY + timedelta(minutes=1))
    await bot.run_due_work()
    assert got(emulator, nia, "Mae eich cais wedi bod ar agor") == 1  # turned off
    await nia.send("/profile")
    await nia.press("Beth rydw i'n clywed amdano")
    screen = nia.last
    assert "am fy ngheisiadau: i ffwrdd" in screen.text
    await nia.press("Gofyn am fy ngheisiadau eto", screen)
    assert "am fy ngheisiadau: ymlaen" in screen.text
    await _request(nia, "Coginio", welsh=True)
    await nia.send("/mylistings")
    await nia.press("Coginio")
    await nia.press("Ei gau")
    clock.advance(14 * DAY + timedelta(minutes=1))
    await bot.run_due_work()
    assert got(emulator, nia, "Mae eich cais wedi bod ar agor") == 1  # closed meanwhile


# --- a quiet spell -----------------------------------------------------------------------------


async def test_a_quiet_member_is_asked_what_they_could_offer_once_per_quiet_spell(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    cai = await joined(emulator, 721, "Cai", language="cy")
    clock.advance(59 * DAY)
    await bot.run_due_work()
    assert got(emulator, cai, "Beth allech chi ei gynnig") == 0  # not quiet long enough yet
    clock.advance(2 * DAY)
    await bot.run_due_work()
    clock.advance(DAY)
    await bot.run_due_work()
    assert got(emulator, cai, "Beth allech chi ei gynnig y mis hwn?") == 1
    nudge = cai.last
    assert [button.text for row in nudge.buttons for button in row][-1] == "🔕 Stopio'r rhain"
    await cai.press("Dim nawr", nudge)
    assert "Dim problem" in cai.last.text
    clock.advance(30 * DAY)
    await bot.run_due_work()
    assert (
        got(emulator, cai, "Beth allech chi ei gynnig") == 1
    )  # active again: a new spell has begun
    clock.advance(31 * DAY)
    await bot.run_due_work()
    assert got(emulator, cai, "Beth allech chi ei gynnig") == 2


async def test_a_quiet_nudge_waits_for_the_morning_and_is_dropped_if_they_come_back(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    ann = await joined(emulator, 722, "Ann")
    clock.advance(61 * DAY + timedelta(hours=12))  # 22:00
    await bot.run_due_work()
    assert got(emulator, ann, "What could you offer this month?") == 0
    await ann.send("/balance")  # back before the morning
    clock.advance(timedelta(hours=10, minutes=1))
    await bot.run_due_work()
    assert got(emulator, ann, "What could you offer this month?") == 0
    clock.advance(61 * DAY)  # quiet again: the next spell's nudge, in the daytime
    await bot.run_due_work()
    assert got(emulator, ann, "What could you offer this month?") == 1
    await ann.press("Offer help")
    assert ann.last.buttons  # the form's first step


async def test_quiet_nudges_can_be_turned_off_and_on_from_the_profile(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    bryn = await joined(emulator, 723, "Bryn")
    await bryn.send("/profile")
    await bryn.press("What I hear about")
    screen = bryn.last
    assert "after a quiet spell: on" in screen.text
    await bryn.press("Stop quiet-spell nudges", screen)
    assert "after a quiet spell: off" in screen.text
    clock.advance(61 * DAY)
    await bot.run_due_work()
    assert got(emulator, bryn, "What could you offer this month?") == 0
    await bryn.send("/profile")
    await bryn.press("What I hear about")
    await bryn.press("Start quiet-spell nudges again")
    clock.advance(61 * DAY)
    await bot.run_due_work()
    assert got(emulator, bryn, "What could you offer this month?") == 1
    await bryn.press("Stop these")
    assert "no more nudges after a quiet spell" in bryn.last.text
    await bryn.press("Start them again")
    assert "back on" in bryn.last.text
