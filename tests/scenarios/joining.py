"""Joining (a member just after consent) and /profile edits (a member changing their name)."""

from __future__ import annotations

from bot.domain.membership import Step as Detail
from bot.emulator import BotApiEmulator
from bot.runtime.context import AmserApplication
from handlers.joining.questions import JoinAnswers
from handlers.profile import ProfileAnswers
from tests.helpers import agree_in, joined
from tests.scenarios import Setup, scenario


@scenario("join")
async def join(app: AmserApplication, emulator: BotApiEmulator, language: str) -> Setup:
    newcomer = emulator.member(7101, "Mair")
    await agree_in(newcomer, language)
    return Setup(newcomer, JoinAnswers())


@scenario("profile")
async def profile(app: AmserApplication, emulator: BotApiEmulator, language: str) -> Setup:
    member = await joined(emulator, 7201, "Ivor", language=language)
    return Setup(member, ProfileAnswers(detail=Detail.NAME))
