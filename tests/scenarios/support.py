"""The support queue's forms: a report of a member met through an introduction, and an
ambassador closing a request they have taken with a note."""

from __future__ import annotations

from datetime import timedelta

from bot.emulator import BotApiEmulator
from bot.runtime.context import AmserApplication
from handlers.support.queue import NoteAnswers
from handlers.support.reports import ReportAnswers
from storage.reports import ReportAbout, ReportReason
from storage.support import ContactReason
from tests.conftest import AMBASSADOR_ID
from tests.helpers import joined, member_of
from tests.scenarios import Setup, scenario


@scenario("report")
async def report(app: AmserApplication, emulator: BotApiEmulator, language: str) -> Setup:
    ffion = await joined(emulator, 7201, "Ffion", language=language)
    gareth = await joined(emulator, 7202, "Gareth")
    services = app.services
    owner, reporter = await member_of(app, gareth), await member_of(app, ffion)
    now = services.clock.now()
    listing = await services.listings.create(
        owner.id, "offer", "gardening", "Lawn mowing", "Any lawn.", "canton", None,
        now=now, expires_at=now + timedelta(days=30),
    )  # fmt: skip
    made = await services.introductions.create(listing.id, owner.id, reporter.id, now)
    answers = ReportAnswers(
        about=ReportAbout.MEMBER,
        ident=made.introduction.id,
        subject=owner.id,
        excerpt="",
        reason=ReportReason.UNKIND,
    )
    return Setup(ffion, answers)


@scenario("queue_note")
async def queue_note(app: AmserApplication, emulator: BotApiEmulator, language: str) -> Setup:
    alys = await joined(emulator, AMBASSADOR_ID, "Alys", language=language)
    nia = await joined(emulator, 7301, "Nia")
    services = app.services
    now = services.clock.now()
    asker, ambassador = await member_of(app, nia), await member_of(app, alys)
    await services.support.ask_for_contact(asker.id, ContactReason.CHECKIN, now)
    await app.settle()  # the ambassador's card arrives before the form's questions
    (request,), _more = await services.support.waiting(reports=False, offset=0, limit=1)
    claimed = await services.support.claim(request.id, ambassador.id, now)
    if not claimed.changed:
        raise RuntimeError("the scenario's request was not claimed")
    return Setup(alys, NoteAnswers(request=request.id))
