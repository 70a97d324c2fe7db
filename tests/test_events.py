"""Community events end to end, in English and Welsh: an ambassador creates, edits and cancels
an event (everyone who answered is told, in their language); members answer, with a place,
the waitlist and promotion; the calendar file; the event link for a member and a newcomer."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import icalendar

from bot.config import Config
from bot.emulator import BotApiEmulator, SimulatedMember
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from bot.runtime.harness import running_bot
from tests.conftest import ADMIN_ID, AMBASSADOR_ID
from tests.helpers import joined

LINK = "https://t.me/amser_test_bot?start=event-1"


async def create_event(amb: SimulatedMember, *, capacity: str = "1") -> None:
    """/event to the end, in English: Repair café, Sunday 28 March 2027 at 19:30 (the day the
    clocks go forward), at Canton Library, with one place and no volunteers."""
    await amb.send("/event")
    await amb.send("Repair café")
    await amb.press("Small repairs and DIY")
    await amb.send("28/03/2027")
    await amb.send("19:30")
    await amb.send("Canton Library")
    await amb.press("Canton")
    await amb.send("Bring something broken & we'll mend it together.")
    await amb.send(capacity)
    await amb.press("None")


async def test_an_ambassador_creates_an_event_and_members_answer_in_both_languages(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    amb = await joined(emulator, AMBASSADOR_ID, "Rhian")
    ann = await joined(emulator, 701, "Ann")
    ben = await joined(emulator, 702, "Ben", language="cy")
    await create_event(amb)
    preview = amb.last.text
    assert "Repair café" in preview and "Sunday 28 March 2027, 19:30" in preview
    assert "1 place left" in preview
    await amb.press("Publish")
    assert "Published!" in amb.last.text and LINK in amb.last.text
    assert {"✏️ Edit", "❌ Cancel event"} <= {b.text for row in amb.last.buttons for b in row}
    event = await bot.services.events.get(1)
    assert event is not None
    assert event.starts_at == datetime(2027, 3, 28, 18, 30, tzinfo=UTC)  # 19:30 BST

    await ann.send("/events")
    assert "Repair café" in ann.last.text
    await ann.press("1. Repair café")
    await ann.press("Going")
    assert "You're going." in ann.last.text
    assert "Full: you can join the waiting list." in ann.last.text
    await ann.press("✓ Going")  # a second tap changes nothing
    assert "You're going." in ann.last.text

    await ben.send("/events")
    assert "Sul 28 Maw, 19:30" in ben.last.text
    await ben.press("1. Repair café")
    assert "Sul 28 Mawrth 2027, 19:30" in ben.last.text
    await ben.press("Mynd")
    assert "rhestr aros (rhif 1)" in ben.last.text

    await ann.press("Can't go")
    assert "You said you can't go." in ann.last.text
    await bot.settle()
    assert "lle wedi dod yn rhydd" in ben.last.text and "Rydych chi'n mynd." in ben.last.text


async def test_the_calendar_file_is_the_answer_to_the_press(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    amb = await joined(emulator, AMBASSADOR_ID, "Rhian")
    await create_event(amb)
    await amb.press("Publish")
    await amb.press("Add to my calendar")
    document = amb.last.document
    assert document is not None and document.filename == "event-1.ics"
    (entry,) = icalendar.Calendar.from_ical(document.content).events
    assert entry["SUMMARY"] == "Repair café"
    assert entry.start.astimezone(UTC) == datetime(2027, 3, 28, 18, 30, tzinfo=UTC)
    assert str(entry.start.tzinfo) == "Europe/London"


async def test_editing_and_cancelling_tell_everyone_who_answered_in_their_language(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    amb = await joined(emulator, AMBASSADOR_ID, "Rhian")
    ann = await joined(emulator, 701, "Ann")
    ben = await joined(emulator, 702, "Ben", language="cy")
    cai = await joined(emulator, 703, "Cai")
    await create_event(amb, capacity="10")
    await amb.press("Publish")
    for member, going, maybe in ((ann, "Going", ""), (ben, "", "Efallai"), (cai, "", "")):
        await member.send("/events")
        await member.press("1. Repair café")
        if going:
            await member.press(going)
        if maybe:
            await member.press(maybe)
    await cai.press("Can't go")

    await ann.send("/event")
    assert "this is for ambassadors and coordinators" in ann.last.text

    await amb.press("✏️ Edit")
    await amb.press("Change something")
    await amb.press("Time")
    await amb.send("18:00")
    assert "Sunday 28 March 2027, 18:00" in amb.last.text
    await amb.press("Save changes")
    assert "The 2 people who answered will be told." in amb.last.text
    await bot.settle()
    assert "has changed" in ann.last.text and "18:00" in ann.last.text
    assert "wedi newid" in ben.last.text and "18:00" in ben.last.text
    assert not any("has changed" in m.text for m in cai.messages)

    await amb.press("❌ Cancel event")
    confirm = amb.last.button("Yes, cancel the event").callback_data or ""
    await amb.press("Yes, cancel the event")
    assert "The 2 people who answered will be told." in amb.last.text
    await amb.press_data(confirm)  # a double tap cancels once, and tells once
    assert "already cancelled" in amb.last.text
    await bot.settle()
    assert "has been cancelled" in ann.last.text
    assert "wedi'i ganslo" in ben.last.text
    assert sum("has been cancelled" in m.text for m in ann.messages) == 1


async def test_the_event_link_opens_the_card_for_a_member_and_after_joining_for_a_newcomer(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    amb = await joined(emulator, AMBASSADOR_ID, "Rhian")
    await create_event(amb)
    await amb.press("Publish")
    ann = await joined(emulator, 701, "Ann")
    await ann.send("/start event-1")
    assert "Repair café" in ann.last.text and ann.last.button("Going")

    newcomer = emulator.member(704, "Dafydd")
    newcomer.messages.clear()
    await newcomer.send("/start event-1")
    assert "Which language" in newcomer.last.text
    await join_after_link(newcomer)
    assert "Repair café" in newcomer.last.text
    assert "Sul 28 Mawrth 2027, 19:30" in newcomer.last.text
    await newcomer.press("Mynd")
    assert "Rydych chi'n mynd." in newcomer.last.text


async def test_a_newcomer_waiting_for_approval_is_taken_to_the_event_when_welcomed(
    config: Config, clock: FakeClock, emulator: BotApiEmulator
) -> None:
    async with running_bot(replace(config, require_approval=True), emulator, clock) as app:
        coordinator = await joined(emulator, ADMIN_ID, "Siân")
        amb = await joined(emulator, AMBASSADOR_ID, "Rhian")
        await create_event(amb)
        await amb.press("Publish")
        newcomer = emulator.member(704, "Dafydd")
        await newcomer.send("/start event-1")
        await join_after_link(newcomer)
        assert "Bydd cydlynydd yn edrych ar eich cais" in newcomer.last.text
        member = await app.services.members.by_telegram_id(704)
        assert member is not None and member.landing == "event-1"
        await coordinator.press("Approve")
        welcome = newcomer.messages[-2]
        assert "Croeso i Amser Test, Dafydd!" in welcome.text
        assert welcome.button("➡️ Ewch ymlaen at yr hyn a ddangosodd eich dolen").url == LINK
        member = await app.services.members.by_telegram_id(704)
        assert member is not None and member.landing is None  # followed once, then forgotten
        await newcomer.send("/start event-1")  # what tapping the button sends
        assert "Repair café" in newcomer.last.text and newcomer.last.button("Mynd")
        assert not app.services.errors


async def join_after_link(person: SimulatedMember) -> None:
    """The rest of joining in Welsh, the link's /start already sent."""
    await person.press("Cymraeg")
    await person.press("rwy'n cytuno")
    await person.send("Dafydd")
    await person.press("Treganna")
    await person.press("Gorffen")
    await person.press("Hepgor")
    await person.press("Hepgor")
    await person.press("Dim nawr")


async def test_a_link_opened_half_way_through_joining_lands_at_the_end(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    amb = await joined(emulator, AMBASSADOR_ID, "Rhian")
    await create_event(amb)
    await amb.press("Publish")
    eve = emulator.member(705, "Eve")
    await eve.send("/start")
    await eve.press("English")
    await eve.press("Yes, I agree")
    await eve.send("Eve")
    await eve.send("/start event-1")  # from a poster, before she has finished
    await eve.press("Canton")
    await eve.press("Done")
    await eve.press("Skip")
    await eve.press("Skip")
    await eve.press("Not now")
    assert "Repair café" in eve.last.text and eve.last.button("Going")


async def test_a_preview_left_until_its_time_has_passed_is_not_published(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    amb = await joined(emulator, AMBASSADOR_ID, "Rhian")
    await create_event(amb)
    clock.advance(datetime(2027, 3, 29, tzinfo=UTC) - clock.now())
    await amb.press("Publish")
    assert "That time has already passed" in amb.last.text
    assert await bot.services.events.get(1) is None


async def test_the_main_menu_opens_the_events(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    amb = await joined(emulator, AMBASSADOR_ID, "Rhian")
    await create_event(amb)
    await amb.press("Publish")
    ben = await joined(emulator, 702, "Ben", language="cy")
    await ben.send("/start")
    await ben.press("📅 Digwyddiadau")
    assert "Ar y gweill" in ben.last.text and "Repair café" in ben.last.text
