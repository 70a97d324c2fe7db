"""Act two of the demo: an ambassador's event (places, a waiting list, a reminder, volunteers
credited), a community notice in both languages, a check-in and a request for contact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.demo import act_one
from bot.emulator import BotApiEmulator, SimulatedMember
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from handlers.broadcasts import progress

# Act two's repair café, as Gwen taps it (Saturday 28 Nov, 10:00: GMT, so also UTC); the clock
# moves to its day-before reminder, then to after it.
REPAIR_CAFE = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
DAY_BEFORE = REPAIR_CAFE - timedelta(hours=24)  # the first of Config.event_reminder_hours
AFTER_IT = REPAIR_CAFE + timedelta(hours=3)
# Eleri chose weekly check-ins at 10:00 on the Tuesday she joined: the next is on 1 December.
CHECK_IN_DAY = datetime(2026, 12, 1, 11, 0, tzinfo=UTC)

TITLE = "Act two: an ambassador's event and community notice"
SCENES = (
    "Gwen, one of the community's ambassadors, joins in English (no approval needed)",
    "Gwen plans a repair café with two places and a volunteer wanted, publishes it and "
    "announces it to everyone",
    "Siân (who offers to volunteer) and Eleri take the two places; Tom opens the event's link "
    "and joins the waiting list",
    "Eleri can't go after all: her place goes to Tom, who is told",
    "Friday, the day before: those going are reminded",
    "Saturday: the repair café takes place; Tom gives an hour to the community pot, and Gwen "
    "marks who came and credits Siân, who volunteered, from it",
    "Gwen sends a community notice in English and Welsh; each member gets their own language",
    "Tuesday: Eleri's weekly check-in comes, in Welsh; she answers with one tap",
    "Eleri, having a hard time, writes it in Welsh: the helplines come at once, and she asks "
    "for someone to get in touch",
    "Gwen gets the request (Eleri's name, not what she wrote) and takes it; Eleri is told "
    "Gwen will be in touch",
)


async def ambassador_joins(gwen: SimulatedMember) -> None:
    await act_one.joins_in_english(gwen, "Gwen", "Grangetown", "Small repairs and DIY")


async def ambassador_plans_an_event(gwen: SimulatedMember) -> None:
    await gwen.send("/event")
    await gwen.send("Repair café")
    await gwen.press("Small repairs and DIY")
    await gwen.press("Saturday 28 Nov")
    await gwen.press("10:00")
    await gwen.send("Canton Library, Library Street")
    await gwen.press("Canton")
    await gwen.send("Bring something broken and we'll mend it together. Tea and cake too.")
    await gwen.send("2")  # places: typed, as 2 is not one of the buttons
    await gwen.press("1")  # volunteer wanted
    await gwen.press("1 hour")  # of time credit for each hour given
    await gwen.press("Publish")
    await event_is_announced(gwen)


async def event_is_announced(gwen: SimulatedMember) -> None:
    """The step after Publish: the organiser announces the event to everyone, and each member
    receives it in their own language, with the answer buttons on it."""
    await gwen.press("📣 Announce")
    await gwen.press("📣 Everyone")


async def members_answer_and_the_event_fills(
    sian: SimulatedMember, eleri: SimulatedMember, tom: SimulatedMember
) -> None:
    await sian.send("/events")
    await sian.press("1. Repair café")
    await sian.press("Mynd")
    await sian.press("Hoffwn i wirfoddoli")
    await eleri.send("/events")
    await eleri.press("1. Repair café")
    await eleri.press("Mynd")
    await tom.send("/start event-1")  # the link Gwen shared
    await tom.press("Going")


async def a_place_comes_up(eleri: SimulatedMember) -> None:
    await eleri.press("Methu mynd")


async def those_going_are_reminded(app: AmserApplication, clock: FakeClock) -> None:
    clock.advance(DAY_BEFORE - clock.now())
    await app.run_due_work()


async def the_event_takes_place(
    gwen: SimulatedMember, sian: SimulatedMember, tom: SimulatedMember, clock: FakeClock
) -> None:
    clock.advance(AFTER_IT - clock.now())
    await tom.send("/donate")  # the pot the volunteers' credits come from
    await tom.press("1")
    await tom.press("✅ Yes, give them")
    await attendance_is_marked_and_volunteers_credited(gwen, sian)


async def attendance_is_marked_and_volunteers_credited(
    gwen: SimulatedMember, sian: SimulatedMember
) -> None:
    """After the event: the organiser marks who came and who volunteered (Siân offered to),
    then credits the volunteers in one action, and each volunteer is told."""
    await gwen.send("/start event-1")
    await gwen.press("✅ Who came")
    await gwen.press("➖ Siân")
    await gwen.press("➖ Tom")
    await gwen.press("➖ 🙋 Siân")
    await gwen.press("« Back to the event")
    await gwen.press("🎁 Credit volunteers")
    await gwen.press("1")
    await gwen.press("✅ Confirm")


async def ambassador_broadcasts(
    gwen: SimulatedMember, app: AmserApplication, emulator: BotApiEmulator
) -> None:
    await gwen.send("/broadcast")
    await gwen.press("Everyone")
    await gwen.send("Thank you to all who came to the repair café! The next one is on 9 January.")
    await gwen.send("Diolch i bawb a ddaeth i'r caffi trwsio! Bydd yr un nesaf ar 9 Ionawr.")
    await gwen.press("Send it")
    emulator.narrate("A few seconds later")
    await progress.refresh(app)  # what the repeating job does every few seconds
    await app.settle()


async def a_check_in_comes(eleri: SimulatedMember, app: AmserApplication, clock: FakeClock) -> None:
    clock.advance(CHECK_IN_DAY - clock.now())
    await app.run_due_work()  # the check-in pass queues it; the outbox sends it
    await app.settle()
    await eleri.press("🙂 Da")
    await eleri.press("Dim diolch")


async def an_ambassador_takes_the_request(gwen: SimulatedMember, app: AmserApplication) -> None:
    await app.settle()
    await gwen.press("🙋 I'll take this")


async def crisis_words_get_the_helplines(eleri: SimulatedMember) -> None:
    await eleri.send("Sori, dw i ddim yn teimlo'n dda. Weithiau dw i isio marw.")
    await eleri.press("Iawn, gofynnwch i rywun gysylltu â fi")
