"""Check-ins end to end, in both languages: choosing, changing, pausing and stopping them; each
arriving at the member's local time across clock changes, after quiet hours, and once after a
restart (or skipped when too late); answering once, and "get in touch" reaching the queue."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config import Config
from bot.domain.checkins import Cadence, Schedule, spread_of
from bot.emulator import BotApiEmulator, SimulatedMember
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from bot.runtime.harness import running_bot
from tests.helpers import join, joined, member_of

LONDON = ZoneInfo("Europe/London")
ASKED = {"en": "How are things?", "cy": "Sut mae pethau?"}
WORDS = {
    "en": {
        "weekly": "Every week",
        "monthly": "Once a month",
        "wednesday": "Wednesday",
        "monday": "Monday",
        "sunday": "Sunday",
        "set": "Done: your check-ins are set.",
        "now_weekly": "Every week: Wednesday, 14:00",
        "now_monthly": "Once a month: the first Monday of the month, 09:00",
        "pause": "Pause 2 weeks",
        "paused": "Paused until Tuesday 8 December",
        "resume": "▶️ Start again now",
        "stop": "Stop check-ins",
        "stopped": "Check-ins are stopped.",
        "none": "Now: No check-ins",
        "back": "« Back",
        "day_question": "Which day of the week?",
        "time_question": "And what time?",
    },
    "cy": {
        "weekly": "Bob wythnos",
        "monthly": "Unwaith y mis",
        "wednesday": "Dydd Mercher",
        "monday": "Dydd Llun",
        "sunday": "Dydd Sul",
        "set": "Dyna ni: mae'r holi hynt wedi'i drefnu.",
        "now_weekly": "Bob wythnos: Dydd Mercher, 14:00",
        "now_monthly": "Unwaith y mis: Dydd Llun cyntaf y mis, 09:00",
        "pause": "Oedi 2 wythnos",
        "paused": "Wedi oedi tan Dydd Mawrth 8 Rhagfyr",
        "resume": "▶️ Ailddechrau nawr",
        "stop": "Rhoi'r gorau i holi",
        "stopped": "Dyna ni, fydda i ddim yn holi mwyach.",
        "none": "Ar hyn o bryd: Dim holi hynt",
        "back": "« Yn ôl",
        "day_question": "Pa ddiwrnod o'r wythnos?",
        "time_question": "A faint o'r gloch?",
    },
}


def asked(person: SimulatedMember, language: str = "en") -> int:
    return sum(ASKED[language] in message.text for message in person.messages)


async def choose(person: SimulatedMember, often: str, day: str, hour: str) -> None:
    await person.send("/checkins")
    await person.press(often)
    await person.press(day)
    await person.press(hour)


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_choosing_changing_pausing_and_stopping(bot, emulator, language: str) -> None:
    words = WORDS[language]
    # The test clock starts on Tuesday 24 November 2026, 10:00 in London.
    person = await joined(emulator, 301, "Nia", language=language)
    member = await member_of(bot, person)
    await person.send("/checkins")
    assert words["none"] in person.last.text
    await person.press(words["weekly"])
    assert words["day_question"] in person.last.text
    await person.press(words["back"])  # a way back at every step
    assert words["none"] in person.last.text
    await person.press(words["weekly"])
    await person.press(words["wednesday"])
    assert words["time_question"] in person.last.text
    await person.press(words["back"])
    assert words["day_question"] in person.last.text
    await person.press(words["wednesday"])
    await person.press("14:00")
    assert words["set"] in person.last.text and words["now_weekly"] in person.last.text
    chosen = await bot.services.checkins.get(member.id)
    assert chosen is not None and chosen.schedule == Schedule(Cadence.WEEKLY, 2, 14)
    assert chosen.next_due_at == datetime(2026, 11, 25, 14, tzinfo=UTC) + spread_of(member.id)

    await choose(person, words["monthly"], words["monday"], "09:00")
    assert words["now_monthly"] in person.last.text
    chosen = await bot.services.checkins.get(member.id)
    assert chosen is not None and chosen.next_due_at == datetime(
        2026, 12, 7, 9, tzinfo=UTC
    ) + spread_of(member.id)

    await person.press(words["pause"])
    assert words["paused"] in person.last.text
    paused = await bot.services.checkins.get(member.id)
    assert paused is not None and paused.next_due_at == datetime(
        2027, 1, 4, 9, tzinfo=UTC
    ) + spread_of(member.id)
    await person.press(words["resume"])
    assert words["paused"] not in person.last.text
    resumed = await bot.services.checkins.get(member.id)
    assert resumed is not None and resumed.next_due_at == chosen.next_due_at

    await person.press(words["stop"])
    assert words["stopped"] in person.last.text and words["none"] in person.last.text
    await person.press(words["weekly"])  # the screen can start them again
    stopped = await bot.services.checkins.get(member.id)
    assert stopped is not None and stopped.next_due_at is None
    assert stopped.schedule.cadence is Cadence.OFF


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_ten_oclock_stays_ten_oclock_across_both_clock_changes(
    bot: AmserApplication, emulator, clock: FakeClock, language: str
) -> None:
    words = WORDS[language]
    clock.advance(datetime(2027, 3, 20, 12, tzinfo=UTC) - clock.now())  # a Saturday, GMT
    person = await joined(emulator, 302, "Owain", language=language)
    spread = spread_of((await member_of(bot, person)).id)
    await choose(person, words["weekly"], words["sunday"], "10:00")

    async def arrives_at(local: datetime) -> None:
        moment = local.replace(tzinfo=LONDON).astimezone(UTC) + spread
        before = asked(person, language)
        clock.advance(moment - timedelta(seconds=1) - clock.now())
        await bot.run_due_work()
        assert asked(person, language) == before, f"too early for {local}"
        clock.advance(timedelta(seconds=1))
        await bot.run_due_work()
        assert asked(person, language) == before + 1, f"not at {local}"

    await arrives_at(datetime(2027, 3, 21, 10))  # GMT: 10:00 UTC
    await arrives_at(datetime(2027, 3, 28, 10))  # the clocks went forward that night
    await arrives_at(datetime(2027, 4, 4, 10))  # BST: 09:00 UTC
    # Months go by without the bot looking (each found too late is skipped, not sent).
    clock.advance(datetime(2027, 10, 23, 12, tzinfo=UTC) - clock.now())
    await bot.run_due_work()
    assert asked(person, language) == 3
    await arrives_at(datetime(2027, 10, 24, 10))  # BST
    await arrives_at(datetime(2027, 10, 31, 10))  # the clocks went back that night: GMT
    assert asked(person, language) == 5


async def test_one_chosen_in_quiet_hours_waits_for_the_morning(
    bot: AmserApplication, emulator, clock: FakeClock
) -> None:
    person = await joined(emulator, 303, "Glyn")
    spread = spread_of((await member_of(bot, person)).id)
    await choose(person, "Every week", "Wednesday", "07:00")  # quiet hours end at 08:00
    clock.advance(datetime(2026, 11, 25, 7, tzinfo=UTC) + spread - clock.now())
    await bot.run_due_work()
    assert asked(person) == 0
    # After quiet hours, at the member's own moment in the hour (not all at 08:00:00).
    morning = datetime(2026, 11, 25, 8, tzinfo=UTC) + spread
    clock.advance(morning - timedelta(seconds=1) - clock.now())
    await bot.run_due_work()
    assert asked(person) == 0
    clock.advance(timedelta(seconds=1))
    await bot.run_due_work()
    assert asked(person) == 1


async def test_moved_to_another_day_or_time_after_it_was_queued_only_the_new_one_comes(
    bot: AmserApplication, emulator, clock: FakeClock
) -> None:
    person = await joined(emulator, 309, "Gwen")
    spread = spread_of((await member_of(bot, person)).id)
    await choose(person, "Every week", "Wednesday", "10:00")
    due = datetime(2026, 11, 25, 10, tzinfo=UTC) + spread
    clock.advance(due - timedelta(minutes=2) - clock.now())
    await bot.run_due_work()  # queued ahead of its moment
    await choose(person, "Every week", "Thursday", "10:00")
    clock.advance(due - clock.now())
    await bot.run_due_work()
    assert asked(person) == 0
    await choose(person, "Every week", "Wednesday", "11:00")  # the day back, another hour
    await bot.run_due_work()
    clock.advance(timedelta(minutes=30))
    await bot.run_due_work()
    assert asked(person) == 0
    clock.advance(datetime(2026, 11, 25, 11, tzinfo=UTC) + spread - clock.now())
    await bot.run_due_work()
    assert asked(person) == 1


async def test_paused_or_stopped_after_it_was_queued_nothing_is_sent(
    bot: AmserApplication, emulator, clock: FakeClock
) -> None:
    person = await joined(emulator, 304, "Mali")
    spread = spread_of((await member_of(bot, person)).id)
    await choose(person, "Every week", "Wednesday", "10:00")
    due = datetime(2026, 11, 25, 10, tzinfo=UTC) + spread
    clock.advance(due - timedelta(minutes=2) - clock.now())
    await bot.run_due_work()  # queued ahead of its moment
    await person.send("/checkins")
    await person.press("Pause 1 week")
    clock.advance(due - clock.now())
    await bot.run_due_work()
    assert asked(person) == 0
    await person.press("▶️ Start again now")
    await person.press("Stop check-ins")
    clock.advance(timedelta(days=7))
    await bot.run_due_work()
    assert asked(person) == 0


@pytest.mark.parametrize(("late", "sent"), [(timedelta(hours=11), 1), (timedelta(hours=13), 0)])
async def test_a_check_in_due_while_the_bot_was_down(
    config: Config, clock: FakeClock, late: timedelta, sent: int
) -> None:
    async with BotApiEmulator() as emulator:
        person = emulator.member(305, "Dewi")
        async with running_bot(config, emulator, clock) as app:
            await join(person)
            spread = spread_of((await member_of(app, person)).id)
            await choose(person, "Every week", "Wednesday", "08:00")
        due = datetime(2026, 11, 25, 8, tzinfo=UTC) + spread  # 11 hours late is not night yet
        clock.advance(due + late - clock.now())
        async with running_bot(config, emulator, clock) as app:
            await app.run_due_work()
            await app.run_due_work()
            assert asked(person) == sent  # once, or skipped when too late
            clock.advance(due + timedelta(days=7) - clock.now())
            await app.run_due_work()
            assert asked(person) == sent + 1  # the next one, on time
            assert not app.services.errors


async def test_one_found_late_at_night_is_not_sent_in_quiet_hours_nor_next_morning(
    config: Config, clock: FakeClock
) -> None:
    async with BotApiEmulator() as emulator:
        person = emulator.member(310, "Siôn")
        async with running_bot(config, emulator, clock) as app:
            await join(person)
            spread = spread_of((await member_of(app, person)).id)
            await choose(person, "Every week", "Wednesday", "20:00")
        due = datetime(2026, 11, 25, 20, tzinfo=UTC) + spread
        clock.advance(datetime(2026, 11, 25, 21, 30, tzinfo=UTC) - clock.now())
        async with running_bot(config, emulator, clock) as app:
            await app.run_due_work()
            assert asked(person) == 0  # quiet hours
            # By the morning its slot is more than 12 hours gone: it moves to the next one.
            clock.advance(datetime(2026, 11, 26, 9, 30, tzinfo=UTC) - clock.now())
            await app.run_due_work()
            assert asked(person) == 0
            clock.advance(due + timedelta(days=7) - clock.now())
            await app.run_due_work()
            assert asked(person) == 1
            assert not app.services.errors


async def test_one_queued_before_a_long_downtime_is_not_sent_half_a_day_late(
    config: Config, clock: FakeClock
) -> None:
    async with BotApiEmulator() as emulator:
        person = emulator.member(311, "Elin")
        async with running_bot(config, emulator, clock) as app:
            await join(person)
            spread = spread_of((await member_of(app, person)).id)
            await choose(person, "Every week", "Wednesday", "08:00")
            due = datetime(2026, 11, 25, 8, tzinfo=UTC) + spread
            clock.advance(due - timedelta(minutes=2) - clock.now())
            await app.run_due_work()  # queued ahead of its moment, then the bot stops
        clock.advance(datetime(2026, 11, 25, 20, 30, tzinfo=UTC) - clock.now())
        async with running_bot(config, emulator, clock) as app:
            await app.run_due_work()
            await app.run_due_work()
            assert asked(person) == 0
            assert not app.services.errors


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_answering_once_and_asking_for_someone_to_get_in_touch(
    bot: AmserApplication, emulator, clock: FakeClock, language: str
) -> None:
    welsh = language == "cy"
    person = await joined(emulator, 306, "Cerys", language=language)
    member = await member_of(bot, person)
    await bot.services.wellbeing.consent(member.id, clock.now(), [])  # answers kept only so
    await choose(person, WORDS[language]["weekly"], WORDS[language]["wednesday"], "10:00")
    clock.advance(datetime(2026, 11, 25, 11, tzinfo=UTC) - clock.now())
    await bot.run_due_work()
    checkin = person.last
    assert ASKED[language] in checkin.text and len(checkin.button_texts) == 6
    very_good = checkin.button("😀").callback_data or ""
    await person.press("🙁 Ddim yn wych" if welsh else "🙁 Not great")
    assert ("Hoffech chi i rywun o'r gymuned" if welsh else "Would you like someone") in (
        person.last.text
    )
    # A second tap (or a re-delivered press) changes nothing; someone else's press is refused.
    await person.press_data(very_good, checkin.message_id)
    other = await joined(emulator, 307, "Huw")
    await other.press_data(very_good)
    rows = await bot.services.db.fetch_all("SELECT day, answer FROM checkin_answers")
    assert [(row["day"], row["answer"]) for row in rows] == [("2026-11-25", 4)]
    await person.press("Hoffwn, diolch" if welsh else "Yes, please")
    assert ("gysylltu â chi yma" if welsh else "get in touch with you here soon") in (
        person.last.text
    )
    requests = await bot.services.db.fetch_all(
        "SELECT member_id, reason, details FROM support_requests"
    )
    assert [tuple(row) for row in requests] == [(member.id, "checkin", None)]  # no answer in it
    # /mydata shows the answer; /forget deletes it.
    await person.send("/mydata")
    data = json.loads(person.last.document.content)
    assert [row["answer"] for row in data["checkin_answers"]] == [4]
    assert data["checkin_schedules"][0]["cadence"] == "weekly"
    await person.send("/forget")
    await person.press("Ie, dilëwch fy manylion" if welsh else "Yes, erase my details")
    assert await bot.services.db.fetch_all("SELECT * FROM checkin_answers") == []
    assert await bot.services.db.fetch_all("SELECT * FROM checkin_schedules") == []


async def test_no_thanks_is_a_kind_goodbye(bot, emulator, clock: FakeClock) -> None:
    person = await joined(emulator, 308, "Lois")
    await choose(person, "Every week", "Wednesday", "10:00")
    clock.advance(datetime(2026, 11, 25, 11, tzinfo=UTC) - clock.now())
    await bot.run_due_work()
    await person.press("🙂 Good")
    await person.press("No, thank you")
    assert "Take care" in person.last.text
    assert await bot.services.db.fetch_all("SELECT * FROM support_requests") == []


async def test_without_the_wellbeing_consent_no_answer_is_kept_but_the_offer_stands(
    bot: AmserApplication, emulator, clock: FakeClock
) -> None:
    person = await joined(emulator, 312, "Rhys")
    member = await member_of(bot, person)
    await choose(person, "Every week", "Wednesday", "10:00")
    clock.advance(datetime(2026, 11, 25, 11, tzinfo=UTC) - clock.now())
    await bot.run_due_work()
    await person.press("🙁 Not great")
    assert "Would you like someone" in person.last.text
    assert await bot.services.db.fetch_all("SELECT * FROM checkin_answers") == []
    await person.press("Yes, please")
    assert "get in touch with you here soon" in person.last.text
    requests = await bot.services.db.fetch_all("SELECT member_id, reason FROM support_requests")
    assert [tuple(row) for row in requests] == [(member.id, "checkin")]


async def test_not_good_at_all_gets_the_helplines_at_once_in_welsh(
    bot: AmserApplication, emulator, clock: FakeClock
) -> None:
    person = await joined(emulator, 313, "Ffion", language="cy")
    member = await member_of(bot, person)
    await choose(person, "Bob wythnos", "Dydd Mercher", "10:00")
    clock.advance(datetime(2026, 11, 25, 11, tzinfo=UTC) - clock.now())
    await bot.run_due_work()
    await person.press("😞 Ddim yn dda o gwbl")
    reply = person.last
    assert "Gallwch siarad â rhywun nawr, am ddim, unrhyw bryd:" in reply.text
    assert "Samaritans yn Gymraeg" in reply.text and "0808 164 0123" in reply.text
    await person.press("Iawn, gofynnwch i rywun gysylltu â fi")
    requests = await bot.services.db.fetch_all("SELECT member_id, reason FROM support_requests")
    assert [tuple(row) for row in requests] == [(member.id, "checkin")]


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_a_check_in_leads_to_its_settings(
    bot: AmserApplication, emulator, clock: FakeClock, language: str
) -> None:
    words = WORDS[language]
    person = await joined(emulator, 314, "Bethan", language=language)
    await choose(person, words["weekly"], words["wednesday"], "10:00")
    clock.advance(datetime(2026, 11, 25, 11, tzinfo=UTC) - clock.now())
    await bot.run_due_work()
    settings = "⚙️ Newid neu atal yr holi hynt" if language == "cy" else "⚙️ Change or stop check-ins"
    await person.press(settings)
    assert words["now_weekly"].replace("14:00", "10:00") in person.last.text
    await person.press(words["stop"])
    assert words["stopped"] in person.last.text
