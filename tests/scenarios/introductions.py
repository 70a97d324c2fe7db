"""The relay form: two members with an accepted introduction, one writing to the other."""

from __future__ import annotations

from datetime import timedelta

from bot.emulator import BotApiEmulator
from bot.runtime.context import AmserApplication
from handlers.introductions.messages import RelayAnswers
from tests.helpers import joined, member_of
from tests.scenarios import Setup, scenario


@scenario("relay")
async def relay(app: AmserApplication, emulator: BotApiEmulator, language: str) -> Setup:
    kim = await joined(emulator, 7101, "Kim", language=language)
    lew = await joined(emulator, 7102, "Lew")
    services = app.services
    owner, helper = await member_of(app, lew), await member_of(app, kim)
    now = services.clock.now()
    listing = await services.listings.create(
        owner.id, "request", "gardening", "Hedge trimming", "A tall hedge.", "canton", None,
        now=now, expires_at=now + timedelta(days=30),
    )  # fmt: skip
    made = await services.introductions.create(listing.id, owner.id, helper.id, now)
    accepted = await services.introductions.accept(made.introduction.id, owner.id, now)
    if not accepted.changed:
        raise RuntimeError("the scenario's introduction was not accepted")
    return Setup(kim, RelayAnswers(introduction=made.introduction.id))
