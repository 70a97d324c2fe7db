"""Moderation's forms: a coordinator choosing which of two members with the same name a
command (/promote, /demote, /warn, /suspend, /ban, /audit...) is about, a warned member's
appeal, a coordinator warning or suspending the member a report is about, and a coordinator
taking a listing down."""

from __future__ import annotations

from bot.emulator import BotApiEmulator
from bot.runtime.context import AmserApplication
from handlers.moderation.appeals import AppealAnswers
from handlers.moderation.listings import TakeDownAnswers
from handlers.moderation.on_reports import ReportActionAnswers
from handlers.moderation.target import ChooseAnswers
from handlers.moderation.warnings import give_warning
from tests.conftest import ADMIN_ID
from tests.helpers import join, joined, member_of
from tests.scenarios import Setup, scenario
from tests.test_introductions import introduced, post


async def _two_called_ann(emulator: BotApiEmulator, language: str) -> Setup:
    cai = await joined(emulator, ADMIN_ID, "Cai", language=language)
    for user_id, area in ((7401, "Canton"), (7402, "Riverside")):
        await join(emulator.member(user_id, "Ann"), area=area)
    return Setup(cai, ChooseAnswers(words="Ann ambassador"))


@scenario("promote.who")
async def promote_who(app: AmserApplication, emulator: BotApiEmulator, language: str) -> Setup:
    return await _two_called_ann(emulator, language)


@scenario("demote.who")
async def demote_who(app: AmserApplication, emulator: BotApiEmulator, language: str) -> Setup:
    return await _two_called_ann(emulator, language)


@scenario("audit.who")
async def audit_who(app: AmserApplication, emulator: BotApiEmulator, language: str) -> Setup:
    return await _two_called_ann(emulator, language)


def _chooser(form: str) -> None:
    @scenario(form)
    async def choose(app: AmserApplication, emulator: BotApiEmulator, language: str) -> Setup:
        return await _two_called_ann(emulator, language)


for _command in ("warn", "warns", "unwarn", "suspend", "unsuspend", "ban"):
    _chooser(f"{_command}.who")


@scenario("moderation.appeal")
async def appeal(app: AmserApplication, emulator: BotApiEmulator, language: str) -> Setup:
    cai = await joined(emulator, ADMIN_ID, "Cai")
    ann = await joined(emulator, 7401, "Ann", language=language)
    actor = await member_of(app, cai)
    warned = await give_warning(app.services, await member_of(app, ann), actor.id, "spam")
    await app.settle()  # Ann's warning arrives before the form's questions
    return Setup(ann, AppealAnswers(warning=warned.warning.id))


@scenario("takedown")
async def take_down(app: AmserApplication, emulator: BotApiEmulator, language: str) -> Setup:
    cai = await joined(emulator, ADMIN_ID, "Cai", language=language)
    listing = await post(app, await joined(emulator, 7401, "Ann"))
    return Setup(cai, TakeDownAnswers(listing=listing.id, preset="spam"))


async def _reported(app: AmserApplication, emulator: BotApiEmulator, language: str) -> Setup:
    """Bob has reported Ann, whom he was introduced to; Cai, a coordinator, acts on it."""
    cai = await joined(emulator, ADMIN_ID, "Cai", language=language)
    ann = await joined(emulator, 7401, "Ann")
    bob = await joined(emulator, 7402, "Bob")
    await introduced(app, ann, bob)
    await bob.send("/report")
    await bob.press("🚩 Ann")
    await bob.press("Unkind or unsafe")
    await bob.press("Send without words")
    await app.settle()  # Cai's card arrives before the form's questions
    (report,), _more = await app.services.support.waiting(reports=True, offset=0, limit=1)
    return Setup(cai, ReportActionAnswers(report=report.id, reason="Unkind", minutes=24 * 60))


@scenario("report.warn")
async def report_warn(app: AmserApplication, emulator: BotApiEmulator, language: str) -> Setup:
    return await _reported(app, emulator, language)


@scenario("report.suspend")
async def report_suspend(app: AmserApplication, emulator: BotApiEmulator, language: str) -> Setup:
    return await _reported(app, emulator, language)
