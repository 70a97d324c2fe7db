"""/offer, /request and /browse: a joined member; for browse, someone else's open request."""

from __future__ import annotations

from datetime import timedelta

from bot.emulator import BotApiEmulator
from bot.runtime.context import AmserApplication
from handlers.browse import ALL, NEAR, BrowseAnswers
from handlers.listings.post import ListingAnswers
from tests.helpers import joined, member_of
from tests.scenarios import Setup, scenario


@scenario("listing")
async def listing(app: AmserApplication, emulator: BotApiEmulator, language: str) -> Setup:
    nia = await joined(emulator, 7101, "Nia", language=language)
    answers = ListingAnswers(
        kind="request",
        category="gardening",
        title="Help with my garden",
        details="The hedge is tall.",
        place="canton",
        availability="weekends",
        days=30,
    )
    return Setup(nia, answers)


@scenario("browse")
async def browse(app: AmserApplication, emulator: BotApiEmulator, language: str) -> Setup:
    owen = await joined(emulator, 7102, "Owen", language=language)
    pat = await joined(emulator, 7103, "Pat")
    services, now = app.services, app.services.clock.now()
    await services.listings.create(
        (await member_of(app, pat)).id,
        "request",
        "gardening",
        "Help with my garden",
        "The hedge is tall.",
        "canton",
        None,
        now,
        now + timedelta(days=30),
    )
    return Setup(owen, BrowseAnswers(kind="request", category=ALL, scope=NEAR))
