"""A member who asked for someone to get in touch is told, once and kindly, in their language,
when an ambassador takes their request: by name, never with anything of their answers; held
through quiet hours; a double tap or two ambassadors at once tell them once."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.config import Config
from bot.emulator import BotApiEmulator, SimulatedMember
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from handlers.support.buttons import Claim, HandBack
from storage.support import ContactReason
from tests.helpers import joined, member_of, signed
from tests.test_support_queue import ask, staff

SECOND_AMBASSADOR = 9003
TOLD = {
    "en": "has seen your request and will be in touch with you soon",
    "cy": "wedi gweld eich cais a bydd yn cysylltu â chi cyn bo hir",
}


def told(person: SimulatedMember, language: str = "en") -> list[str]:
    return [message.text for message in person.messages if TOLD[language] in message.text]


@pytest.fixture
def config(config: Config) -> Config:
    """Two ambassadors (and the coordinator)."""
    return replace(config, ambassadors=config.ambassadors | {SECOND_AMBASSADOR})


async def only_request(app: AmserApplication) -> int:
    (request,), _more = await app.services.support.waiting(reports=True, offset=0, limit=5)
    return request.id


async def test_taking_a_request_tells_the_member_once_by_name(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    ambassador, _admin = await staff(emulator)
    nia = await joined(emulator, 101, "Nia")
    await ask(bot, nia, ContactReason.CHECKIN)
    assert not told(nia)  # asked, not yet taken
    await ambassador.press("🙋 I'll take this")
    request = await only_request(bot)
    await ambassador.press_data(signed(bot, ambassador, *Claim(request).parts()))  # double tap
    await bot.settle()
    assert told(nia) == [
        "Good news: Alys from Amser Test has seen your request and will be in touch with you "
        "soon. Take care until then."
    ]
    assert not told(ambassador)


async def test_two_ambassadors_at_once_tell_the_member_once(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    first, _admin = await staff(emulator)
    second = await joined(emulator, SECOND_AMBASSADOR, "Bethan")
    nia = await joined(emulator, 101, "Nia")
    await ask(bot, nia, ContactReason.WELLBEING)
    request = await only_request(bot)
    await asyncio.gather(
        first.press_data(signed(bot, first, *Claim(request).parts())),
        second.press_data(signed(bot, second, *Claim(request).parts())),
    )
    await bot.settle()
    taken = await bot.services.support.get(request)
    assert taken is not None
    winner = "Alys" if taken.claimed_by == (await member_of(bot, first)).id else "Bethan"
    (message,) = told(nia)
    assert message.startswith(f"Good news: {winner} from")


async def test_in_welsh_held_until_morning_and_only_if_still_theirs(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    first, _admin = await staff(emulator)
    second = await joined(emulator, SECOND_AMBASSADOR, "Bethan")
    nia = await joined(emulator, 101, "Nia", language="cy")
    clock.advance(timedelta(hours=12))  # 22:00: quiet hours
    await ask(bot, nia, ContactReason.CRISIS)  # after crisis words the staff hear at once
    request = await only_request(bot)
    await first.press_data(signed(bot, first, *Claim(request).parts()))
    await first.press_data(signed(bot, first, *HandBack(request).parts()))
    await second.press_data(signed(bot, second, *Claim(request).parts()))
    await bot.settle()
    assert not told(nia, "cy")  # held through quiet hours
    clock.advance(timedelta(hours=10, minutes=1))  # 08:01
    await bot.settle()
    # Alys handed it back before the morning: only Bethan's is sent.
    assert told(nia, "cy") == [
        "Newyddion da: mae Bethan o Amser Test wedi gweld eich cais a bydd yn cysylltu â chi "
        "cyn bo hir. Cymerwch ofal tan hynny."
    ]


async def test_closed_before_the_morning_tells_nothing(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    ambassador, _admin = await staff(emulator)
    nia = await joined(emulator, 101, "Nia")
    clock.advance(timedelta(hours=12))  # 22:00
    await ask(bot, nia, ContactReason.CRISIS)
    await ambassador.press("🙋 I'll take this")
    await ambassador.press("✅ Close with a note")
    await ambassador.send("Rang her, all well")
    clock.advance(timedelta(hours=10, minutes=1))
    await bot.settle()
    assert not told(nia)  # she has heard from Alys already
