"""`amser demo`: a short scripted community, played against the built-in emulator.

Each later feature adds its scene here, so the demo always shows everything the bot can do.
"""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import Config
from bot.emulator import BotApiEmulator, Limits, SimulatedMember
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from bot.runtime.harness import running_bot
from handlers.broadcasts import progress

SIAN, ELERI, TOM, GWEN = 5001, 5002, 5003, 5004
DAI = 5005  # act three: someone new in the community's group chat
COMMUNITY_GROUP = -1_001_234_567_890
# Act two's repair café, as Gwen taps it (Saturday 28 Nov, 10:00: GMT, so also UTC); the clock
# moves to its day-before reminder, then to after it.
REPAIR_CAFE = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
DAY_BEFORE = REPAIR_CAFE - timedelta(hours=24)  # the first of Config.event_reminder_hours
AFTER_IT = REPAIR_CAFE + timedelta(hours=3)
# Eleri chose weekly check-ins at 10:00 on the Tuesday she joined: the next is on 1 December.
CHECK_IN_DAY = datetime(2026, 12, 1, 11, 0, tzinfo=UTC)
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
        ambassadors=frozenset({GWEN}),
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

ACT_TWO = "Act two: an ambassador's event and community notice"
SCENES_OF_ACT_TWO = (
    "Gwen, one of the community's ambassadors, joins in English (no approval needed)",
    "Gwen plans a repair café with two places and a volunteer wanted, publishes it and "
    "announces it to everyone",
    "Siân (who offers to volunteer) and Eleri take the two places; Tom opens the event's link "
    "and joins the waiting list",
    "Eleri can't go after all: her place goes to Tom, who is told",
    "Friday, the day before: those going are reminded",
    "Saturday: the repair café takes place; Tom gives an hour to the community pot, and Gwen "
    "marks who came and credits Siân, who volunteered, from it",
    "Gwen sends a community notice in English and Welsh; each member gets their own language",
    "Tuesday: Eleri's weekly check-in comes, in Welsh; she answers with one tap",
    "Eleri, having a hard time, writes it in Welsh: the helplines come at once, and she asks "
    "for someone to get in touch",
    "Gwen gets the request (Eleri's name, not what she wrote) and takes it; Eleri is told "
    "Gwen will be in touch",
)


ACT_THREE = "Act three: the community's group chat"
SCENES_OF_ACT_THREE = (
    "Siân makes Amser an administrator of the community's group; Dai joins it and is "
    "welcomed in Welsh and English, with a button to join the time bank",
    "Dai posts an advert; Siân replies to it with /mute 1d: Dai is muted for a day, and the "
    "action is audited",
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
            scenes = (
                coordinator_joins(sian),
                member_joins_in_welsh(eleri, sian),
                member_pauses_and_is_reminded(tom, sian, app, clock, emulator),
                member_edits_profile(tom),
                request_is_matched(eleri, tom),
                introduction_with_consent(eleri, tom),
                exchange_is_logged_and_confirmed(tom, eleri),
            )
            await perform(emulator, SCENES, scenes)
            emulator.narrate(ACT_TWO)
            act_two = (
                ambassador_joins(gwen),
                ambassador_plans_an_event(gwen),
                members_answer_and_the_event_fills(sian, eleri, tom),
                a_place_comes_up(eleri),
                those_going_are_reminded(app, clock),
                the_event_takes_place(gwen, sian, tom, clock),
                ambassador_broadcasts(gwen, app, emulator),
                a_check_in_comes(eleri, app, clock),
                crisis_words_get_the_helplines(eleri),
                an_ambassador_takes_the_request(gwen, app),
            )
            await perform(emulator, SCENES_OF_ACT_TWO, act_two)
            emulator.narrate(ACT_THREE)
            dai = emulator.member(DAI, "Dai", language_code="en")
            act_three = (
                the_bot_joins_the_group_and_welcomes(emulator, sian, dai, app),
                an_advert_is_muted(emulator, sian, dai),
            )
            await perform(emulator, SCENES_OF_ACT_THREE, act_three)
            return emulator.transcript()


async def perform(
    emulator: BotApiEmulator, titles: Sequence[str], scenes: Sequence[Awaitable[None]]
) -> None:
    """Each scene in turn, under its title."""
    for title, scene in zip(titles, scenes, strict=True):
        emulator.narrate(title)
        await scene


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


# --- act two: a community event and a community notice -------------------------------------------


async def ambassador_joins(gwen: SimulatedMember) -> None:
    await gwen.send("/start")
    await gwen.press("English")
    await gwen.press("Yes, I agree")
    await gwen.send("Gwen")
    await gwen.press("Grangetown")
    await gwen.press("Small repairs and DIY")
    await gwen.press("Done")
    await gwen.press("Skip")
    await gwen.press("Skip")
    await gwen.press("Not now")


async def ambassador_plans_an_event(gwen: SimulatedMember) -> None:
    await gwen.send("/event")
    await gwen.send("Repair café")
    await gwen.press("Small repairs and DIY")
    await gwen.press("Saturday 28 Nov")
    await gwen.press("10:00")
    await gwen.send("Canton Library, Library Street")
    await gwen.press("Canton")
    await gwen.send("Bring something broken and we'll mend it together. Tea and cake too.")
    await gwen.send("2")  # places: typed, as 2 is not one of the buttons
    await gwen.press("1")  # volunteer wanted
    await gwen.press("1 hour")  # of time credit for each hour given
    await gwen.press("Publish")
    await event_is_announced(gwen)


async def event_is_announced(gwen: SimulatedMember) -> None:
    """The step after Publish: the organiser announces the event to everyone, and each member
    receives it in their own language, with the answer buttons on it."""
    await gwen.press("📣 Announce")
    await gwen.press("📣 Everyone")


async def members_answer_and_the_event_fills(
    sian: SimulatedMember, eleri: SimulatedMember, tom: SimulatedMember
) -> None:
    await sian.send("/events")
    await sian.press("1. Repair café")
    await sian.press("Mynd")
    await sian.press("Hoffwn i wirfoddoli")
    await eleri.send("/events")
    await eleri.press("1. Repair café")
    await eleri.press("Mynd")
    await tom.send("/start event-1")  # the link Gwen shared
    await tom.press("Going")


async def a_place_comes_up(eleri: SimulatedMember) -> None:
    await eleri.press("Methu mynd")


async def those_going_are_reminded(app: AmserApplication, clock: FakeClock) -> None:
    clock.advance(DAY_BEFORE - clock.now())
    await app.run_due_work()


async def the_event_takes_place(
    gwen: SimulatedMember, sian: SimulatedMember, tom: SimulatedMember, clock: FakeClock
) -> None:
    clock.advance(AFTER_IT - clock.now())
    await tom.send("/donate")  # the pot the volunteers' credits come from
    await tom.press("1")
    await tom.press("✅ Yes, give them")
    await attendance_is_marked_and_volunteers_credited(gwen, sian)


async def attendance_is_marked_and_volunteers_credited(
    gwen: SimulatedMember, sian: SimulatedMember
) -> None:
    """After the event: the organiser marks who came and who volunteered (Siân offered to),
    then credits the volunteers in one action, and each volunteer is told."""
    await gwen.send("/start event-1")
    await gwen.press("✅ Who came")
    await gwen.press("➖ Siân")
    await gwen.press("➖ Tom")
    await gwen.press("➖ 🙋 Siân")
    await gwen.press("« Back to the event")
    await gwen.press("🎁 Credit volunteers")
    await gwen.press("1")
    await gwen.press("✅ Confirm")


async def ambassador_broadcasts(
    gwen: SimulatedMember, app: AmserApplication, emulator: BotApiEmulator
) -> None:
    await gwen.send("/broadcast")
    await gwen.press("Everyone")
    await gwen.send("Thank you to all who came to the repair café! The next one is on 9 January.")
    await gwen.send("Diolch i bawb a ddaeth i'r caffi trwsio! Bydd yr un nesaf ar 9 Ionawr.")
    await gwen.press("Send it")
    emulator.narrate("A few seconds later")
    await progress.refresh(app)  # what the repeating job does every few seconds
    await app.settle()


async def a_check_in_comes(eleri: SimulatedMember, app: AmserApplication, clock: FakeClock) -> None:
    clock.advance(CHECK_IN_DAY - clock.now())
    await app.run_due_work()  # the check-in pass queues it; the outbox sends it
    await app.settle()
    await eleri.press("🙂 Da")
    await eleri.press("Dim diolch")


async def an_ambassador_takes_the_request(gwen: SimulatedMember, app: AmserApplication) -> None:
    await app.settle()
    await gwen.press("🙋 I'll take this")


async def crisis_words_get_the_helplines(eleri: SimulatedMember) -> None:
    await eleri.send("Sori, dw i ddim yn teimlo'n dda. Weithiau dw i isio marw.")
    await eleri.press("Iawn, gofynnwch i rywun gysylltu â fi")


async def the_bot_joins_the_group_and_welcomes(
    emulator: BotApiEmulator, sian: SimulatedMember, dai: SimulatedMember, app: AmserApplication
) -> None:
    group = emulator.group(COMMUNITY_GROUP, "Amser Caerdydd", supergroup=True)
    group.add(sian, "creator")
    await group.set_bot("administrator", can_restrict_members=True, can_delete_messages=True)
    await dai.join(group)
    await app.settle()


async def an_advert_is_muted(
    emulator: BotApiEmulator, sian: SimulatedMember, dai: SimulatedMember
) -> None:
    group = emulator.group(COMMUNITY_GROUP, "Amser Caerdydd", supergroup=True)
    await dai.send_in(group, "Cheap watches!! DM me")
    advert = group.messages_from(dai)[-1]
    await sian.send_in(group, "/mute 1d advertising", reply_to=advert)
