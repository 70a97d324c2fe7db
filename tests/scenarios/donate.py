"""/donate: a member with hours to give."""

from __future__ import annotations

from bot.emulator import BotApiEmulator
from bot.runtime.context import AmserApplication
from handlers.donate import DonateAnswers
from tests.helpers import joined, member_of
from tests.scenarios import Setup, scenario


@scenario("donate")
async def donate(app: AmserApplication, emulator: BotApiEmulator, language: str) -> Setup:
    mair = await joined(emulator, 7001, "Mair", language=language)
    ivor = await joined(emulator, 7002, "Ivor")
    services = app.services
    giver, taker = await member_of(app, mair), await member_of(app, ivor)
    await services.ledger.record_exchange(
        key="scenario:donate",
        by_coordinator_id=giver.id,
        helped_id=taker.id,
        helper_id=giver.id,
        minutes=180,
        happened_on=services.clock.now().date(),
        now=services.clock.now(),
    )
    return Setup(mair, DonateAnswers(minutes=60))
