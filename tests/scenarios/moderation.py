"""Moderation's forms: a coordinator choosing which of two members with the same name a
command (/promote, /demote, /audit) is about."""

from __future__ import annotations

from bot.emulator import BotApiEmulator
from bot.runtime.context import AmserApplication
from handlers.moderation.target import ChooseAnswers
from tests.conftest import ADMIN_ID
from tests.helpers import join, joined
from tests.scenarios import Setup, scenario


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
