"""/broadcast: an ambassador writing a community notice to an area."""

from __future__ import annotations

from bot.domain.broadcasts import AudienceKind
from bot.emulator import BotApiEmulator
from bot.runtime.context import AmserApplication
from handlers.broadcasts.form import BroadcastAnswers
from tests.conftest import AMBASSADOR_ID
from tests.helpers import joined
from tests.scenarios import Setup, scenario


@scenario("broadcast")
async def broadcast(app: AmserApplication, emulator: BotApiEmulator, language: str) -> Setup:
    alaw = await joined(emulator, AMBASSADOR_ID, "Alaw", language=language)
    answers = BroadcastAnswers(
        audience=AudienceKind.AREA,
        key="canton",
        english="Litter pick on Saturday",
        welsh="Casglu sbwriel ddydd Sadwrn",
        one_language_ok=True,
    )
    return Setup(alaw, answers)
