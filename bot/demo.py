"""`amser demo`: a short scripted community, played against the built-in emulator.

Each later feature adds its scene here, so the demo always shows everything the bot can do.
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from bot.config import Config
from bot.emulator import BotApiEmulator, Limits, SimulatedMember
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from bot.runtime.harness import running_bot

SIAN, ELERI, TOM = 5001, 5002, 5003
# Scripted members tap far faster than people do; a bigger per-chat burst keeps the demo from
# waiting out 429s (tests/test_errors_and_concurrency.py shows the bot doing that).
DEMO_LIMITS = Limits(private_chat_burst=100)
# For the same reason, members may send more at once than people could before being slowed down.
SCRIPTED_BURST = 1_000


def demo_config(database_path: Path) -> Config:
    return Config(
        database_path=database_path,
        community_name="Amser Caerdydd",
        require_approval=True,
        admins=frozenset({SIAN}),
        member_burst=SCRIPTED_BURST,
    )


SCENES = (
    "Siân, a coordinator, joins in Welsh",
    "Eleri joins in Welsh; Siân approves her",
    "Tom starts in English, pauses, and is reminded a day later",
    "Tom changes his area",
    "Eleri asks for help; Tom, who offers gardening, is told and offers to help",
    "They are introduced, and share contacts only when both agree",
    "Tom logs the two hours he gave; Eleri confirms, and both see their balances",
)


async def play() -> str:
    """Play every scene; returns the transcript of the whole conversation."""
    with tempfile.TemporaryDirectory(prefix="amser-demo-") as directory:
        clock = FakeClock()
        config = demo_config(Path(directory) / "demo.db")
        async with (
            BotApiEmulator(limits=DEMO_LIMITS) as emulator,
            running_bot(config, emulator, clock) as app,
        ):
            sian = emulator.member(SIAN, "Siân", language_code="cy")
            eleri = emulator.member(ELERI, "Eleri", language_code="cy")
            tom = emulator.member(TOM, "Tom", language_code="en")
            scenes = (
                coordinator_joins(sian),
                member_joins_in_welsh(eleri, sian),
                member_pauses_and_is_reminded(tom, sian, app, clock, emulator),
                member_edits_profile(tom),
                request_is_matched(eleri, tom),
                introduction_with_consent(eleri, tom),
                exchange_is_logged_and_confirmed(tom, eleri),
            )
            for title, scene in zip(SCENES, scenes, strict=True):
                emulator.narrate(title)
                await scene
            return emulator.transcript()


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
