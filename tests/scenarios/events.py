"""/event: an ambassador planning an event with places and volunteers."""

from __future__ import annotations

from bot.emulator import BotApiEmulator
from bot.runtime.context import AmserApplication
from handlers.events.questions import EventAnswers
from tests.conftest import AMBASSADOR_ID
from tests.helpers import joined
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
