"""Act four of the demo: coordinators at work. A role given by chat, and a warning given by
mistake, appealed, and lifted by the other coordinator."""

from __future__ import annotations

from bot.emulator import SimulatedMember
from bot.runtime.context import AmserApplication

TITLE = "Act four: coordinators at work"
SCENES = (
    "Siân makes Eleri an ambassador with /promote, in Welsh: Eleri is told what she can do now, "
    "and her command menu has the ambassadors' commands",
    "Siân warns Tom for missing the repair café (by mistake: he was there); Tom is told why, "
    "with an Appeal button",
    "Tom taps Appeal and says why: the appeal goes to Huw, not to Siân who gave the warning",
    "Huw lifts the warning, and Tom is told",
)


async def a_member_is_made_an_ambassador(sian: SimulatedMember, app: AmserApplication) -> None:
    await sian.send("/promote Eleri llysgennad mae hi'n croesawu siaradwyr Cymraeg")
    await app.settle()


async def a_member_is_warned(sian: SimulatedMember, app: AmserApplication) -> None:
    await sian.send("/warn Tom didn't come to the repair café")
    await app.settle()


async def the_member_appeals(tom: SimulatedMember, app: AmserApplication) -> None:
    await tom.press("✋ Appeal")
    await tom.send("I was there! Gwen marked me as there, and I gave an hour to the pot.")
    await app.settle()


async def the_other_coordinator_lifts_it(huw: SimulatedMember, app: AmserApplication) -> None:
    await huw.press("↩️ Lift")
    await app.settle()
