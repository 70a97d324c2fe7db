"""`amser demo`: a short scripted community, played against the built-in emulator, in acts (a
module each, with its scenes' titles and the scenes themselves).

Each later feature adds its scene here, so the demo always shows everything the bot can do.
"""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Sequence
from pathlib import Path

from bot.config import Config
from bot.demo import act_four, act_one, act_three, act_two
from bot.emulator import BotApiEmulator, Limits
from bot.runtime.clock import FakeClock
from bot.runtime.harness import running_bot

SIAN, ELERI, TOM, GWEN = 5001, 5002, 5003, 5004
DAI = 5005  # act three: someone new in the community's group chat
HUW = 5006  # the other coordinator: in act four, he decides an appeal against Siân's action
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
        admins=frozenset({SIAN, HUW}),
        ambassadors=frozenset({GWEN}),
        member_burst=SCRIPTED_BURST,
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
            gwen = emulator.member(GWEN, "Gwen", language_code="en")
            huw = emulator.member(HUW, "Huw", language_code="en")
            scenes = (
                act_one.coordinator_joins(sian),
                act_one.coordinator_joins_in_english(huw),
                act_one.member_joins_in_welsh(eleri, sian),
                act_one.member_pauses_and_is_reminded(tom, sian, app, clock, emulator),
                act_one.member_edits_profile(tom),
                act_one.request_is_matched(eleri, tom),
                act_one.introduction_with_consent(eleri, tom),
                act_one.exchange_is_logged_and_confirmed(tom, eleri),
            )
            await perform(emulator, act_one.SCENES, scenes)
            emulator.narrate(act_two.TITLE)
            scenes = (
                act_two.ambassador_joins(gwen),
                act_two.ambassador_plans_an_event(gwen),
                act_two.members_answer_and_the_event_fills(sian, eleri, tom),
                act_two.a_place_comes_up(eleri),
                act_two.those_going_are_reminded(app, clock),
                act_two.the_event_takes_place(gwen, sian, tom, clock),
                act_two.ambassador_broadcasts(gwen, app, emulator),
                act_two.a_check_in_comes(eleri, app, clock),
                act_two.crisis_words_get_the_helplines(eleri),
                act_two.an_ambassador_takes_the_request(gwen, app),
            )
            await perform(emulator, act_two.SCENES, scenes)
            emulator.narrate(act_three.TITLE)
            dai = emulator.member(DAI, "Dai", language_code="en")
            scenes = (
                act_three.the_bot_joins_the_group_and_welcomes(emulator, sian, dai, app),
                act_three.an_advert_is_muted(emulator, sian, dai),
            )
            await perform(emulator, act_three.SCENES, scenes)
            emulator.narrate(act_four.TITLE)
            scenes = (
                act_four.a_member_is_made_an_ambassador(sian, app),
                act_four.a_member_is_warned(sian, app),
                act_four.the_member_appeals(tom, app),
                act_four.the_other_coordinator_lifts_it(huw, app),
            )
            await perform(emulator, act_four.SCENES, scenes)
            return emulator.transcript()


async def perform(
    emulator: BotApiEmulator, titles: Sequence[str], scenes: Sequence[Awaitable[None]]
) -> None:
    """Each scene in turn, under its title."""
    for title, scene in zip(titles, scenes, strict=True):
        emulator.narrate(title)
        await scene
