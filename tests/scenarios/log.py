"""/log and "Change the time": a member logging time with another, and the other member
changing the time of an exchange waiting for their answer."""

from __future__ import annotations

from bot.emulator import BotApiEmulator
from bot.runtime.context import AmserApplication
from handlers.credit_common import today
from handlers.log.change import ChangeAnswers
from handlers.log.form import LogAnswers
from tests.helpers import joined, member_of
from tests.scenarios import Setup, scenario


@scenario("log")
async def log(app: AmserApplication, emulator: BotApiEmulator, language: str) -> Setup:
    tom = await joined(emulator, 7101, "Tom", language=language)
    eleri = await joined(emulator, 7102, "Eleri")
    other = await member_of(app, eleri)
    answers = LogAnswers(
        other_id=other.id,
        gave=True,
        minutes=90,
        happened_on=today(app.services),
        note="Gardening",
    )
    return Setup(tom, answers)


@scenario("change")
async def change(app: AmserApplication, emulator: BotApiEmulator, language: str) -> Setup:
    eleri = await joined(emulator, 7201, "Eleri", language=language)
    tom = await joined(emulator, 7202, "Tom")
    services = app.services
    helper, helped = await member_of(app, tom), await member_of(app, eleri)
    created = await services.ledger.propose(
        key="scenario:change",
        created_by=helper.id,
        helped_id=helped.id,
        helper_id=helper.id,
        minutes=120,
        happened_on=today(services),
        now=services.clock.now(),
    )
    return Setup(eleri, ChangeAnswers(transfer_id=created.transfer.id, minutes=90))
