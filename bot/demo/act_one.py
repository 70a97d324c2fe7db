"""Act one of the demo: members join (one pausing half-way), one asks for help, another offers
it, they are introduced by consent and log the time given."""

from __future__ import annotations

from datetime import timedelta

from bot.emulator import BotApiEmulator, SimulatedMember
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication

SCENES = (
    "Siân, a coordinator, joins in Welsh",
    "Huw, the other coordinator, joins in English",
    "Eleri joins in Welsh; both coordinators are asked, and Siân approves her",
    "Tom starts in English, pauses, and is reminded a day later",
    "Tom changes his area",
    "Eleri asks for help; Tom, who offers gardening, is told and offers to help",
    "They are introduced, and share contacts only when both agree",
    "Tom logs the two hours he gave; Eleri confirms, and both see their balances",
)


async def coordinator_joins(sian: SimulatedMember) -> None:
    await sian.send("/start")
    await sian.press("Cymraeg")
    await sian.press("rwy'n cytuno")
    await sian.send("Siân")
    await sian.press("Treganna")
    await sian.press("Cwmni a sgwrs")
    await sian.press("Gorffen")
    await sian.press("Hepgor")
    await sian.press("Hepgor")
    await sian.press("Dim nawr")


async def joins_in_english(person: SimulatedMember, name: str, area: str, offer: str) -> None:
    """A quick join in English: name, area, one thing to offer, nothing else for now."""
    await person.send("/start")
    await person.press("English")
    await person.press("Yes, I agree")
    await person.send(name)
    await person.press(area)
    await person.press(offer)
    await person.press("Done")
    await person.press("Skip")
    await person.press("Skip")
    await person.press("Not now")


async def coordinator_joins_in_english(huw: SimulatedMember) -> None:
    await joins_in_english(huw, "Huw", "Splott", "Lifts and getting about")


async def member_joins_in_welsh(eleri: SimulatedMember, sian: SimulatedMember) -> None:
    await eleri.send("/start")
    await eleri.press("Cymraeg")
    await eleri.press("rwy'n cytuno")
    await eleri.press("Defnyddio")
    await eleri.press("Glan-yr-afon")
    await eleri.press("Garddio")
    await eleri.press("Coginio a phobi")
    await eleri.press("Gorffen")
    await eleri.send("Gallaf helpu gyda llythyrau yn Gymraeg")
    await eleri.send("Cwrdd â phobl newydd")
    await eleri.press("Bob wythnos")  # check-ins, weekly
    await sian.press("Cymeradwyo")


async def member_pauses_and_is_reminded(
    tom: SimulatedMember,
    sian: SimulatedMember,
    app: AmserApplication,
    clock: FakeClock,
    emulator: BotApiEmulator,
) -> None:
    await tom.send("/start")
    await tom.press("English")
    await tom.press("Yes, I agree")
    await tom.send("Tom")
    await tom.send("/cancel")
    emulator.narrate("A day passes")
    clock.advance(timedelta(days=1, minutes=1))
    await app.run_due_work()
    await tom.press("Carry on joining")
    await tom.press("Splott")
    await tom.press("Phones and computers")
    await tom.press("Gardening")
    await tom.press("Done")
    await tom.press("Skip")
    await tom.send("Getting out more")
    await tom.press("Not now")
    await sian.press("Cymeradwyo")


async def member_edits_profile(tom: SimulatedMember) -> None:
    await tom.send("/profile")
    await tom.press("Area")
    await tom.press("Canton")
    await tom.send("/help")


async def request_is_matched(eleri: SimulatedMember, tom: SimulatedMember) -> None:
    await eleri.send("/request")
    await eleri.press("Garddio")
    await eleri.send("Help gyda'r ardd")
    await eleri.send("Mae'r gwrych wedi tyfu'n rhy uchel i mi.")
    await eleri.press("Glan-yr-afon")
    await eleri.press("Penwythnosau")
    await eleri.press("30 diwrnod")
    await eleri.press("Postio")
    await tom.press("I can help")


async def introduction_with_consent(eleri: SimulatedMember, tom: SimulatedMember) -> None:
    await eleri.press("Derbyn")
    await tom.press("Share my Telegram contact")
    await eleri.press("Rhannu fy nghyswllt Telegram")


async def exchange_is_logged_and_confirmed(tom: SimulatedMember, eleri: SimulatedMember) -> None:
    await tom.send("/log")
    await tom.press("Eleri")  # from his introductions
    await tom.press("I helped Eleri")
    await tom.press("2")
    await tom.press("Today")
    await tom.send("Trimming the hedge")
    await tom.press("Send to Eleri")
    await eleri.press("Cadarnhau")
