"""/event: an ambassador planning an event with places and volunteers; and, after an event,
crediting its volunteers."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta

from bot.emulator import BotApiEmulator
from bot.runtime.context import AmserApplication
from handlers.events.questions import EventAnswers
from handlers.events.volunteers import VolunteerAnswers
from storage.events import EventDetails
from tests.conftest import AMBASSADOR_ID
from tests.helpers import joined, member_of
from tests.scenarios import Setup, scenario


@scenario("event")
async def event(app: AmserApplication, emulator: BotApiEmulator, language: str) -> Setup:
    rhian = await joined(emulator, AMBASSADOR_ID, "Rhian", language=language)
    answers = EventAnswers(
        title="Repair café",
        kind="diy",
        day="2027-03-28",
        time="19:30",
        place="Canton Library",
        area="canton",
        description="Bring something broken.",
        capacity=20,
        volunteers=2,
        credit=60,
    )
    return Setup(rhian, answers)


@scenario("event_volunteers")
async def event_volunteers(app: AmserApplication, emulator: BotApiEmulator, language: str) -> Setup:
    """An event held yesterday, with Ann marked as having volunteered."""
    services = app.services
    rhian = await joined(emulator, AMBASSADOR_ID, "Rhian", language=language)
    ann = await joined(emulator, 701, "Ann")
    organiser, volunteer = await member_of(app, rhian), await member_of(app, ann)
    now, zone = services.clock.now(), services.config.timezone
    soon = EventDetails(
        title="Litter pick",
        local_day=now.date() + timedelta(days=1),
        local_time=time(10, 0),
        place="Bute Park gates",
        area="canton",
        kind="company",
        description="Bring gloves.",
        volunteers_wanted=2,
        credit_minutes=60,
        organisation="Friends of Bute Park",
    )
    event = await services.events.publish(organiser.id, soon, zone, now)
    await services.events.volunteer(event.id, volunteer.id, True, now)
    held = replace(soon, local_day=now.date() - timedelta(days=1))
    await services.events.edit(event.id, held, zone, now)
    await services.attendance.mark(event.id, volunteer.id, now, volunteered=True)
    await services.ledger.donate("seed", volunteer.id, 600, now)
    answers = VolunteerAnswers(
        event_id=event.id, offered=soon.organisation, from_organisation=False, minutes=60
    )
    return Setup(rhian, answers)
