"""Wellbeing questions end to end: only with consent, one question at a time, every three months
and once a year through the outbox (held by quiet hours), low answers meeting the helplines,
and consent withdrawn, /forget and /mydata covering the answers."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.domain.membership import Status
from bot.domain.wellbeing import (
    ANXIOUS,
    LIFE_SATISFACTION,
    Kind,
    needs_helplines,
    valid_press,
)
from bot.emulator import BotApiEmulator, SimulatedMember
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from tests.helpers import due_work_done, joined, member_of, signed

OFFER = "One more thing, only if you'd like."
OFFER_CY = "Un peth arall, dim ond os hoffech chi."
YES = "Yes, ask me the wellbeing questions"
YES_CY = "Iawn, gofynnwch y cwestiynau llesiant i mi"
Q1 = "Overall, how satisfied are you with your life nowadays?"
Q4 = "Overall, how anxious did you feel yesterday?"
HELPLINES = "You can talk to someone now, free, at any time:"


def offer(person: SimulatedMember, heading: str = OFFER):
    found = [message for message in person.messages if heading in message.text]
    assert found, f"{person.first_name} was not offered the wellbeing questions"
    return found[-1]


def latest(person: SimulatedMember, words: str):
    found = [message for message in person.messages if words in message.text]
    assert found, f"{person.first_name} never saw {words!r}"
    return found[-1]


async def answers(app: AmserApplication, person: SimulatedMember) -> list[tuple]:
    member = await member_of(app, person)
    rows = await app.services.db.fetch_all(
        "SELECT a.kind, a.question, a.answer FROM wellbeing_answers a"
        " JOIN wellbeing_keys k ON k.pseudonym = a.pseudonym WHERE k.member_id = ?"
        " ORDER BY a.kind, a.round, a.question",
        (member.id,),
    )
    return [tuple(row) for row in rows]


async def all_answers(app: AmserApplication) -> int:
    row = await app.services.db.fetch_one("SELECT count(*) FROM wellbeing_answers")
    return int(row[0])


async def agree(person: SimulatedMember, yes: str = YES, heading: str = OFFER) -> None:
    await person.press(yes, offer(person, heading))


async def answer_all(
    person: SimulatedMember, *values: str, heading: str = "Wellbeing question"
) -> None:
    for value in values:
        await person.press(value, latest(person, heading))


async def test_the_welcome_offers_them_and_not_now_asks_nothing(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    ann = await joined(emulator, 801, "Ann")
    welcome = offer(ann)
    assert "Welcome to Amser Test, Ann!" in welcome.text
    assert "What would you like to do, Ann?" in ann.last.text  # the menu still comes last
    await ann.press("Not now", welcome)
    assert "we won't ask the wellbeing questions" in ann.last.text
    assert not await bot.services.wellbeing.consented((await member_of(bot, ann)).id)
    clock.advance(timedelta(days=400))
    await due_work_done(bot)
    assert not any("Wellbeing question" in message.text for message in ann.messages)
    # A forged answer press, signed for Ann, keeps nothing without her consent.
    await ann.press_data(signed(bot, ann, "wb", "a", "ons", "20261124", 0, 7))
    latest(ann, "You've stopped the wellbeing questions")
    assert await all_answers(bot) == 0


async def test_consent_then_one_question_at_a_time_kept_once(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    ben = await joined(emulator, 802, "Ben")
    await agree(ben)
    first = latest(ben, "Wellbeing question 1 of 4")
    assert Q1 in first.text and "0 means “not at all”" in first.text
    assert [len(row) for row in first.buttons] == [6, 5, 2]
    await ben.press("7", first)
    await ben.press("7", first)  # the same message, now question 2: a different question
    await answer_all(ben, "Skip this question")
    assert Q4 in latest(ben, "Wellbeing question 4 of 4").text
    await answer_all(ben, "2")
    assert "we'll ask again in about three months" in ben.last.text
    assert await answers(bot, ben) == [
        ("ons", 0, 7),
        ("ons", 1, 7),
        ("ons", 2, None),
        ("ons", 3, 2),
    ]
    # Pressing an answered question again (a double tap, a re-delivered press) keeps it once.
    today = clock.now().strftime("%Y%m%d")  # the round's day (London is on UTC in November)
    await ben.press_data(signed(bot, ben, "wb", "a", "ons", today, 0, 1))
    await ben.press_data(signed(bot, ben, "wb", "a", "ons", today, 3, 9))
    assert await answers(bot, ben) == [
        ("ons", 0, 7),
        ("ons", 1, 7),
        ("ons", 2, None),
        ("ons", 3, 2),
    ]
    # A second "yes" (a double tap before the buttons went) changes nothing, asks nothing.
    asked = len([m for m in ben.messages if "Wellbeing question" in m.text])
    await ben.press_data(signed(bot, ben, "wb", "yes"))
    assert "already said yes" in ben.last.text
    assert len([m for m in ben.messages if "Wellbeing question" in m.text]) == asked
    assert not any(HELPLINES in message.text for message in ben.messages)
    assert await bot.services.db.fetch_all("SELECT * FROM support_requests") == []


async def test_low_answers_get_the_helplines_and_a_person_if_wanted(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    cai = await joined(emulator, 803, "Cai")
    await agree(cai)
    await answer_all(cai, "3", "5", "5", "8")
    helplines = [message for message in cai.messages if HELPLINES in message.text]
    assert len(helplines) == 2  # life satisfaction 3, anxiety 8
    assert "116 123" in helplines[0].text
    await cai.press("Yes, please ask someone to get in touch", helplines[0])
    await cai.press("Yes, please ask someone to get in touch", helplines[1])
    rows = await bot.services.db.fetch_all("SELECT reason, state FROM support_requests")
    assert [tuple(row) for row in rows] == [("wellbeing", "open")]  # one, whatever the taps
    # Staff are told nothing of the answers: the request holds no words.
    row = await bot.services.db.fetch_one("SELECT details FROM support_requests")
    assert row is not None and row["details"] is None


async def test_every_three_months_held_by_quiet_hours_and_yearly_questions(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    dai = await joined(emulator, 804, "Dai")  # joined at 10:00
    await agree(dai)
    await dai.press("Not now", latest(dai, "Wellbeing question 1 of 4"))
    assert "We'll ask again in about three months" in dai.last.text
    asked = len([m for m in dai.messages if "Wellbeing question" in m.text])
    clock.advance(timedelta(days=91, hours=12))  # 22:00, three months on: quiet hours
    assert await due_work_done(bot) == 1
    await bot.settle()
    assert len([m for m in dai.messages if "Wellbeing question" in m.text]) == asked
    clock.advance(timedelta(hours=10))  # 08:00 the next morning
    await due_work_done(bot)
    await bot.settle()
    question = latest(dai, "time for the wellbeing questions again")
    assert "Hello Dai!" in question.text and Q1 in question.text
    # A year after joining: the "since you joined" questions.
    clock.advance(timedelta(days=365 - 91))  # 08:00, a year and a day after joining
    await due_work_done(bot)
    await bot.settle()
    since = latest(dai, "Once a year we ask")
    assert "Since you joined, do you feel your quality of life has improved?" in since.text
    assert since.buttons[0][0].text == "Yes"
    await answer_all(dai, "Yes", "Not sure", "No", "Yes", "Skip this question")
    assert "we'll ask again in a year" in dai.last.text
    kept = [row for row in await answers(bot, dai) if row[0] == "since"]
    assert kept == [("since", 0, 1), ("since", 1, 2), ("since", 2, 0), ("since", 3, 1),
                    ("since", 4, None)]  # fmt: skip


async def test_welsh_and_withdrawing_consent_deletes_the_answers(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    eli = await joined(emulator, 805, "Eli", language="cy")
    await agree(eli, YES_CY, OFFER_CY)
    first = latest(eli, "Cwestiwn llesiant 1 o 4")
    assert "pa mor fodlon ydych chi â'ch bywyd y dyddiau hyn?" in first.text
    await answer_all(eli, "4", "7", heading="Cwestiwn llesiant")
    assert len(await answers(bot, eli)) == 2
    # Life satisfaction 4: the helplines, in Welsh, straight away.
    low = latest(eli, "Diolch am eich ateb.")
    assert "Samaritans yn Gymraeg" in low.text and "Iawn, gofynnwch i rywun gysylltu â fi" in [
        button.text for row in low.buttons for button in row
    ]
    await eli.send("/mydata")
    data = json.loads(eli.last.document.content)
    assert [row["answer"] for row in data["wellbeing_answers"]] == [4, 7]
    assert data["wellbeing_consent"]
    await eli.send("/privacy")
    assert "Rydych chi'n ateb y cwestiynau llesiant" in eli.last.text
    await eli.press("🌱 Cwestiynau llesiant")
    await eli.press("Stopio'r cwestiynau a dileu fy atebion")
    await eli.press("Iawn, stopiwch a dilëwch fy atebion")
    assert "mae eich atebion wedi'u dileu" in eli.last.text
    assert await answers(bot, eli) == []
    assert not await bot.services.wellbeing.consented((await member_of(bot, eli)).id)
    # No more rounds: three months on, nothing comes.
    clock.advance(timedelta(days=100))
    await due_work_done(bot)
    await bot.settle()
    assert not any("Mae'n amser am y cwestiynau" in m.text for m in eli.messages)
    # Saying yes again from /privacy starts afresh.
    await eli.send("/privacy")
    await eli.press("🌱 Cwestiynau llesiant")
    await eli.press(YES_CY)
    assert "Diolch! Dyma'r cwestiwn cyntaf." in eli.last.text


async def test_a_suspended_member_can_still_withdraw_consent(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    gus = await joined(emulator, 807, "Gus")
    hal = await joined(emulator, 808, "Hal")
    await agree(gus)
    await answer_all(gus, "8")
    for person in (gus, hal):
        member = await member_of(bot, person)
        await bot.services.members.update(member.id, bot.clock.now(), status=Status.SUSPENDED)
    await hal.send("/privacy")  # never said yes: nothing to stop, and no saying yes now
    assert "🌱 Wellbeing questions" not in hal.last.button_texts
    await gus.send("/privacy")
    await gus.press("🌱 Wellbeing questions")
    await gus.press("Stop the questions and delete my answers")
    await gus.press("Yes, stop and delete my answers")
    assert "your answers have been deleted" in gus.last.text
    assert await answers(bot, gus) == []
    assert not await bot.services.wellbeing.consented((await member_of(bot, gus)).id)


async def test_forget_deletes_the_answers(bot: AmserApplication, emulator: BotApiEmulator) -> None:
    fay = await joined(emulator, 806, "Fay")
    await agree(fay)
    await answer_all(fay, "8", "8", "8", "1")
    assert await all_answers(bot) == 4
    await fay.send("/forget")
    await fay.press("Yes, erase my details")
    assert await all_answers(bot) == 0
    assert await bot.services.db.fetch_all("SELECT * FROM wellbeing_keys") == []
    assert await bot.services.db.fetch_all("SELECT * FROM wellbeing_consent") == []


def test_low_answers_are_life_satisfaction_4_or_less_and_anxiety_6_or_more() -> None:
    assert needs_helplines(Kind.ONS, LIFE_SATISFACTION, 4)
    assert not needs_helplines(Kind.ONS, LIFE_SATISFACTION, 5)
    assert needs_helplines(Kind.ONS, ANXIOUS, 6)
    assert not needs_helplines(Kind.ONS, ANXIOUS, 5)
    assert not needs_helplines(Kind.ONS, 1, 0)  # worthwhile: reported, not a trigger
    assert not needs_helplines(Kind.ONS, LIFE_SATISFACTION, None)  # skipped
    assert not needs_helplines(Kind.SINCE, 0, 0)


def test_only_real_questions_and_answers_are_kept() -> None:
    assert valid_press(Kind.ONS, 3, 10) and valid_press(Kind.ONS, 0, None)
    assert not valid_press(Kind.ONS, 4, 1) and not valid_press(Kind.ONS, 0, 11)
    assert valid_press(Kind.SINCE, 4, 2) and not valid_press(Kind.SINCE, 0, 3)
