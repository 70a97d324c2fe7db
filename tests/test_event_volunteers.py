"""After an event, end to end in English and Welsh: its organiser marks who came and who
volunteered (taps say what they make true, so a repeat changes nothing), then credits all the
volunteers in one action, from the pot or the event's organisation, once however often Confirm
is pressed, each volunteer told in their language; a member's forged press is refused."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date, time, timedelta

import pytest

from bot.config import Config
from bot.emulator import BotApiEmulator, SimulatedMember
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from bot.runtime.harness import running_bot
from storage.events import EventDetails
from tests.conftest import ADMIN_ID, AMBASSADOR_ID
from tests.helpers import audit_actions, joined, member_of, signed

HOUR = 60
PARK = "Friends of Bute Park"


def walk(organisation: str | None = None) -> EventDetails:
    """Saturday 28 November 2026 at 10:00 (the clock starts on the 24th), two volunteers
    wanted, 1½ hours of credit for each hour given."""
    return EventDetails(
        title="Litter pick & walk",
        local_day=date(2026, 11, 28),
        local_time=time(10, 0),
        place="Bute Park gates",
        area="canton",
        kind="company",
        description="Bring gloves.",
        volunteers_wanted=2,
        credit_minutes=90,
        organisation=organisation,
    )


async def publish(app: AmserApplication, amb: SimulatedMember, details: EventDetails) -> None:
    services = app.services
    organiser = await member_of(app, amb)
    await services.events.publish(
        organiser.id, details, services.config.timezone, services.clock.now()
    )


async def answer(person: SimulatedMember, reply: str, volunteer: str | None = None) -> None:
    await person.send("/start event-1")
    await person.press(reply)
    if volunteer:
        await person.press(volunteer)


async def balance(app: AmserApplication, person: SimulatedMember) -> int:
    return await app.services.ledger.balance((await member_of(app, person)).id)


async def fill_pot(app: AmserApplication, person: SimulatedMember, minutes: int) -> None:
    member = await member_of(app, person)
    now = app.services.clock.now()
    await app.services.ledger.donate(f"seed:{member.id}", member.id, minutes, now)


def labels(person: SimulatedMember) -> set[str]:
    return {button.text for row in person.last.buttons for button in row}


async def test_the_organiser_marks_who_came_and_credits_the_volunteers_once(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    amb = await joined(emulator, AMBASSADOR_ID, "Rhian")
    ann = await joined(emulator, 701, "Ann")
    ben = await joined(emulator, 702, "Ben", language="cy")
    cai = await joined(emulator, 703, "Cai")
    await fill_pot(bot, cai, 10 * HOUR)
    await publish(bot, amb, walk())
    await answer(ann, "Going", "🙋 I'd like to volunteer")
    await answer(ben, "Efallai", "🙋 Hoffwn i wirfoddoli")
    await answer(cai, "Going")

    await amb.send("/start event-1")
    assert "✅ Who came" not in labels(amb)  # not before it has started
    clock.advance(timedelta(days=5))
    await amb.send("/start event-1")
    await amb.press("✅ Who came")
    page = amb.last.text
    assert "Who came: Litter pick & walk" in page
    assert "➖ Ann (going, offered to volunteer)" in page and "➖ Cai (going)" in page

    await amb.press("➖ Ann")
    assert "✅ Ann" in labels(amb) and "✅ Ann (going" in amb.last.text
    volunteered = amb.last.button("➖ 🙋 Ann").callback_data or ""
    await amb.press_data(volunteered)
    await amb.press_data(volunteered)  # a repeat makes it true again: nothing changes
    assert "✅ 🙋 Ann" in labels(amb)
    await amb.press("➖ 🙋 Ben")
    await amb.press("✅ 🙋 Ben")  # a mistake, undone
    await amb.press("➖ 🙋 Ben")
    assert {"✅ 🙋 Ann", "✅ 🙋 Ben", "➖ 🙋 Cai", "✅ Ann", "➖ Cai"} <= labels(amb)
    (first, second) = await bot.services.attendance.volunteers(1)
    assert (first.attended, first.volunteered, second.attended) == (True, True, False)

    await amb.press("« Back to the event")
    await amb.press("🎁 Credit volunteers")
    assert "How long did each volunteer give? (2 volunteers to credit)" in amb.last.text
    assert "Each hour given is credited 1½ hours." in amb.last.text
    await amb.press("2")
    review = amb.last.text
    assert "3 hours each, from the community pot" in review
    assert "• Ann" in review and "• Ben" in review and "In all: 6 hours." in review
    before = (await balance(bot, ann), await balance(bot, ben))
    confirm = amb.last.button("✅ Confirm").callback_data or ""
    await amb.press_data(confirm)
    assert "2 volunteers have each been given 3 hours from the community pot." in amb.last.text
    await amb.press_data(confirm, amb.last.message_id)  # a double tap
    assert "already been dealt with" in amb.last.text
    assert (await balance(bot, ann), await balance(bot, ben)) == (
        before[0] + 3 * HOUR,
        before[1] + 3 * HOUR,
    )
    assert (await bot.services.ledger.pot()).balance == 4 * HOUR

    await bot.settle()
    assert "Thank you for volunteering at Litter pick & walk!" in ann.last.text
    assert "3 hours of time credits from the community pot" in ann.last.text
    assert "Diolch am wirfoddoli" in ben.last.text and "3 awr" in ben.last.text
    assert "o'r gronfa gymunedol" in ben.last.text
    assert not any("volunteering" in m.text for m in cai.messages)

    await amb.send("/start event-1")
    assert "Volunteers credited: 2" in amb.last.text
    await amb.press("🎁 Credit volunteers")  # a re-run credits nobody again
    assert "Every volunteer marked has been credited already." in amb.last.text
    assert await balance(bot, ann) == before[0] + 3 * HOUR
    assert await audit_actions(bot) == ["grant", "grant"]


async def test_a_member_cannot_mark_or_credit_with_a_forged_press(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    amb = await joined(emulator, AMBASSADOR_ID, "Rhian")
    ann = await joined(emulator, 701, "Ann")
    await publish(bot, amb, walk())
    await answer(ann, "Going")
    clock.advance(timedelta(days=5))
    await ann.send("/start event-1")
    assert "✅ Who came" not in labels(ann)
    me = (await member_of(bot, ann)).id
    await ann.press_data(signed(bot, ann, "ev:mark", 1, me, 1, 0))
    assert "only its organiser or a coordinator" in ann.last.text
    await ann.press_data(signed(bot, ann, "ev:markv", 1, me, 1, 0))
    await ann.press_data(signed(bot, ann, "ev:thank", 1))
    assert "only its organiser or a coordinator" in ann.last.text
    (attendee,) = (await bot.services.attendance.page(1, 0, 10)).attendees
    assert not attendee.attended and not attendee.volunteered


@pytest.fixture
async def with_park(
    config: Config, emulator: BotApiEmulator, clock: FakeClock
) -> AsyncIterator[AmserApplication]:
    """The bot with an organisation that gives the volunteers' credit."""
    async with running_bot(replace(config, organisations=(PARK,)), emulator, clock) as app:
        yield app
        assert not list(app.services.errors)


async def test_a_welsh_organiser_credits_volunteers_from_the_events_organisation(
    with_park: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    app = with_park
    amb = await joined(emulator, AMBASSADOR_ID, "Rhian", language="cy")
    ann = await joined(emulator, 701, "Ann")
    await publish(app, amb, walk(PARK))
    await answer(ann, "Going", "🙋 I'd like to volunteer")
    clock.advance(timedelta(days=5))
    await amb.send("/start event-1")
    await amb.press("✅ Pwy ddaeth")
    await amb.press("➖ 🙋 Ann")
    await amb.press("« Yn ôl i'r digwyddiad")
    await amb.press("🎁 Rhoi credydau i wirfoddolwyr")
    await amb.press(PARK)
    await amb.send("1½")
    assert PARK in amb.last.text and "2¼ awr" in amb.last.text
    before = await balance(app, ann)
    confirm = amb.last.button("✅ Cadarnhau").callback_data or ""
    await amb.press_data(confirm)
    await amb.press_data(confirm, amb.last.message_id)  # pressed again, or re-delivered
    assert await balance(app, ann) == before + 135
    given = await app.services.ledger.organisation(PARK, app.services.clock.now())
    assert given.balance == -135
    await app.settle()
    assert f"2¼ hours of time credits from {PARK}" in ann.last.text


async def test_nobody_credits_themselves_but_a_coordinator_can_credit_the_organiser(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    amb = await joined(emulator, AMBASSADOR_ID, "Rhian")
    ann = await joined(emulator, 701, "Ann")
    admin = await joined(emulator, ADMIN_ID, "Siân")
    await fill_pot(bot, ann, 10 * HOUR)
    await publish(bot, amb, walk())
    await answer(ann, "Going", "🙋 I'd like to volunteer")
    await answer(amb, "Going", "🙋 I'd like to volunteer")
    clock.advance(timedelta(days=5))
    await amb.send("/start event-1")
    await amb.press("✅ Who came")
    await amb.press("➖ 🙋 Ann")
    await amb.press("➖ 🙋 Rhian")
    await amb.press("« Back to the event")
    await amb.press("🎁 Credit volunteers")
    assert "(1 volunteer to credit)" in amb.last.text
    await amb.press("1")
    review = amb.last.text
    assert "• Ann" in review and "Rhian (that's you: another coordinator can credit you)" in review
    assert "In all: 1½ hours." in review
    organiser_before = await balance(bot, amb)
    await amb.press("✅ Confirm")
    assert await balance(bot, amb) == organiser_before  # forging Confirm would not change it
    await amb.send("/start event-1")
    await amb.press("🎁 Credit volunteers")
    assert "You're the only volunteer left to credit" in amb.last.text

    await admin.send("/start event-1")
    await admin.press("🎁 Credit volunteers")
    assert "(1 volunteer to credit)" in admin.last.text
    await admin.press("1")
    assert "• Rhian" in admin.last.text and "• Ann (credited already: skipped)" in admin.last.text
    await admin.press("✅ Confirm")
    assert await balance(bot, amb) == organiser_before + 90
