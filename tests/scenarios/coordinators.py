"""/grant, /record and /reverse: the coordinator (tests.conftest.ADMIN_ID) has joined, the
pot holds hours to give, and there is a confirmed transfer to undo."""

from __future__ import annotations

from bot.emulator import BotApiEmulator, SimulatedMember
from bot.runtime.context import AmserApplication
from handlers.coordinators.grant import GrantAnswers
from handlers.coordinators.record import RecordAnswers
from handlers.coordinators.reverse import ReverseAnswers
from handlers.credit_common import today
from tests.conftest import ADMIN_ID
from tests.helpers import joined, member_of
from tests.scenarios import Setup, scenario


async def _people(
    app: AmserApplication, emulator: BotApiEmulator, language: str
) -> tuple[SimulatedMember, int, int, int]:
    """The coordinator; two members (ids) who have exchanged two hours, and that exchange."""
    sian = await joined(emulator, ADMIN_ID, "Siân", language=language)
    tom = await member_of(app, await joined(emulator, 7101, "Tom"))
    gwen = await member_of(app, await joined(emulator, 7102, "Gwen", language="cy"))
    services = app.services
    made = await services.ledger.record_exchange(
        key="scenario:coordinators",
        by_coordinator_id=tom.id,
        helped_id=gwen.id,
        helper_id=tom.id,
        minutes=120,
        happened_on=today(services),
        now=services.clock.now(),
    )
    await services.ledger.donate("scenario:pot", tom.id, 90, services.clock.now())
    return sian, tom.id, gwen.id, made.transfer.id


@scenario("grant")
async def grant(app: AmserApplication, emulator: BotApiEmulator, language: str) -> Setup:
    sian, tom, _gwen, _exchange = await _people(app, emulator, language)
    return Setup(sian, GrantAnswers(organisation=None, member=tom, minutes=60, reason="Croeso"))


@scenario("record")
async def record(app: AmserApplication, emulator: BotApiEmulator, language: str) -> Setup:
    sian, tom, gwen, _exchange = await _people(app, emulator, language)
    answers = RecordAnswers(
        giver=tom, taker=gwen, minutes=90, day=today(app.services), note="Siopa"
    )
    return Setup(sian, answers)


@scenario("reverse")
async def reverse(app: AmserApplication, emulator: BotApiEmulator, language: str) -> Setup:
    sian, tom, _gwen, exchange = await _people(app, emulator, language)
    answers = ReverseAnswers(member=tom, transfer=exchange, reason="Wedi'i gofnodi ddwywaith")
    return Setup(sian, answers)
