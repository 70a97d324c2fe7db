"""Answering events, end to end: reminders to those going (a day and two hours before, across
the clock change, held out of quiet hours but for the last), moved on edit and gone on cancel;
volunteering; the list with the member's area first, paged; presses checked on arrival."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

from bot.config import Config
from bot.domain.events import Answer
from bot.emulator import BotApiEmulator, SimulatedMember
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from bot.runtime.harness import running_bot
from storage.events import EventDetails
from tests.conftest import AMBASSADOR_ID
from tests.helpers import due_work_done, joined, member_of, signed
from tests.test_events import create_event


def reminders(person: SimulatedMember) -> int:
    return sum("A reminder" in m.text or "Nodyn atgoffa" in m.text for m in person.messages)


def move_to(clock: FakeClock, moment: datetime) -> None:
    clock.advance(moment - clock.now())


async def due_reminders(bot: AmserApplication) -> list[datetime]:
    rows = await bot.services.db.fetch_all(
        "SELECT due_at FROM due_work WHERE kind = 'event_reminder' ORDER BY due_at"
    )
    return [datetime.fromisoformat(row["due_at"]) for row in rows]


async def test_those_going_are_reminded_a_day_and_two_hours_before_across_the_clock_change(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    amb = await joined(emulator, AMBASSADOR_ID, "Rhian")
    ann = await joined(emulator, 701, "Ann")
    ben = await joined(emulator, 702, "Ben", language="cy")
    await create_event(amb)  # Sunday 28 March 2027, 19:30 BST, one place
    await amb.press("Publish")
    await ann.send("/start event-1")
    await ann.press("Going")
    await ben.send("/start event-1")
    await ben.press("Mynd")  # the waitlist: not reminded
    # A day before is 19:30 on the Saturday, still GMT; two hours before is 17:30 BST.
    assert await due_reminders(bot) == [
        datetime(2027, 3, 27, 19, 30, tzinfo=UTC),
        datetime(2027, 3, 28, 16, 30, tzinfo=UTC),
    ]
    move_to(clock, datetime(2027, 3, 27, 19, 29, tzinfo=UTC))
    assert await due_work_done(bot) == 0
    move_to(clock, datetime(2027, 3, 27, 19, 30, tzinfo=UTC))
    assert await due_work_done(bot) == 1
    assert reminders(ann) == 1 and reminders(ben) == 0
    assert "Sunday 28 March 2027, 19:30" in ann.last.text and ann.last.button("✓ Going")
    move_to(clock, datetime(2027, 3, 28, 16, 30, tzinfo=UTC))
    assert await due_work_done(bot) == 1
    assert reminders(ann) == 2 and reminders(ben) == 0
    assert await due_work_done(bot) == 0  # done once


async def test_a_reminder_due_in_quiet_hours_waits_for_the_morning_but_the_last_does_not(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    amb = await joined(emulator, AMBASSADOR_ID, "Rhian")
    ben = await joined(emulator, 702, "Ben", language="cy")
    services = bot.services
    late = EventDetails(
        title="Star gazing",
        local_day=date(2027, 1, 15),
        local_time=time(23, 30),
        place="Pontcanna Fields",
        area="canton",
        kind="company",
        description="Wrap up warm.",
    )
    organiser = await member_of(bot, amb)
    from handlers.events import notices

    now = services.clock.now()
    event = await services.events.publish(
        organiser.id,
        late,
        services.config.timezone,
        now,
        then=notices.published(services.config, now),
    )
    await services.events.answer(event.id, (await member_of(bot, ben)).id, Answer.GOING, now)
    move_to(clock, datetime(2027, 1, 14, 23, 30, tzinfo=UTC))  # a day before: quiet hours
    assert await due_work_done(bot) == 1
    await bot.settle()
    assert reminders(ben) == 0
    move_to(clock, datetime(2027, 1, 15, 8, 0, tzinfo=UTC))  # the morning
    await bot.settle()
    assert reminders(ben) == 1 and "Nodyn atgoffa" in ben.last.text
    move_to(clock, datetime(2027, 1, 15, 21, 30, tzinfo=UTC))  # two hours before: quiet, sent
    assert await due_work_done(bot) == 1
    assert reminders(ben) == 2


async def test_editing_moves_the_reminders_and_cancelling_removes_them(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    amb = await joined(emulator, AMBASSADOR_ID, "Rhian")
    await create_event(amb)
    await amb.press("Publish")
    await amb.press("✏️ Edit")
    await amb.press("Change something")
    await amb.press("Time")
    await amb.send("18:00")
    await amb.press("Save changes")
    assert await due_reminders(bot) == [
        datetime(2027, 3, 27, 18, 0, tzinfo=UTC),
        datetime(2027, 3, 28, 15, 0, tzinfo=UTC),
    ]
    await amb.press("❌ Cancel event")
    await amb.press("Yes, cancel the event")
    assert await due_reminders(bot) == []


async def test_volunteering_and_the_list_with_the_members_area_first(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    amb = await joined(emulator, AMBASSADOR_ID, "Rhian")
    ann = await joined(emulator, 701, "Ann")  # in Canton
    services, organiser = bot.services, await member_of(bot, amb)
    now = services.clock.now()
    for number in range(7):
        details = EventDetails(
            title=f"Walk {number}",
            local_day=date(2027, 1, 1 + number),
            local_time=time(10, 0),
            place="The park",
            area="splott" if number else "canton",
            kind="company",
            description="A gentle walk.",
            volunteers_wanted=2 if number == 6 else None,
            credit_minutes=90 if number == 6 else None,
        )
        await services.events.publish(organiser.id, details, services.config.timezone, now)
    await ann.send("/events")
    listed = ann.last.text
    assert listed.index("Walk 0") < listed.index("Walk 1")  # Canton first, then by date
    assert "Walk 5" not in listed
    await ann.press("Later »")
    assert "Walk 5" in ann.last.text and "6. Walk 5" in ann.last.text
    await ann.press("7. Walk 6")
    assert "2 volunteers wanted" in ann.last.text and "1½ hours" in ann.last.text
    await ann.press("I'd like to volunteer")
    assert "You'd like to volunteer" in ann.last.text
    await ann.press("✓ 🙋 I'd like to volunteer")
    assert "You'd like to volunteer" not in ann.last.text
    await ann.press("« Back to the events")
    assert "6. Walk 5" in ann.last.text


async def test_a_member_cannot_edit_or_cancel_an_event_with_a_forged_press(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    amb = await joined(emulator, AMBASSADOR_ID, "Rhian")
    ann = await joined(emulator, 701, "Ann")
    await create_event(amb)
    await amb.press("Publish")
    await ann.send("/start event-1")
    assert "Share this link" not in ann.last.text
    assert all("Edit" not in b.text for row in ann.last.buttons for b in row)
    await ann.press_data(signed(bot, ann, "ev:dropped", 1))
    assert "only its organiser or a coordinator" in ann.last.text
    event = await bot.services.events.get(1)
    assert event is not None and event.status == "published"
    # Answers close with the event.
    await amb.press("❌ Cancel event")
    await amb.press("Yes, cancel the event")
    await ann.press("Going")
    card = next(m for m in reversed(ann.messages) if "Repair café" in m.text)
    assert "Sorry, this event has been cancelled." in card.text
    assert all("Going" not in b.text for row in card.buttons for b in row)


async def test_an_organisation_can_give_the_volunteers_credit(
    config: Config, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    with_library = replace(config, organisations=("Canton Library",))
    async with running_bot(with_library, emulator, clock) as bot:
        amb = await joined(emulator, AMBASSADOR_ID, "Rhian", language="cy")
        await amb.send("/event")
        await amb.send("Caffi Trwsio")
        await amb.press("Mân atgyweiriadau")
        await amb.press("Yfory")
        await amb.send("7.30pm")
        await amb.send("Llyfrgell Treganna")
        await amb.press("Ar-lein")
        await amb.send("Dewch â rhywbeth sydd wedi torri.")
        await amb.press("Dim terfyn")
        await amb.press("2")
        await amb.press("1½ awr")
        await amb.press("Canton Library")
        assert "gan Canton Library" in amb.last.text and "Ar-lein" in amb.last.text
        await amb.press("Cyhoeddi")
        event = await bot.services.events.get(1)
        assert event is not None and event.details.organisation == "Canton Library"
        assert event.details.credit_minutes == 90 and event.details.capacity is None
        assert event.start.hour == 19 and event.start.minute == 30
        assert not bot.services.errors
