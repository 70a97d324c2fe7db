"""Announcing an event end to end, in English and Welsh: to everyone, an area or those
interested in its kind, each once, with "What I hear about" respected; members answering from
the announcement; "Stop these"; the community group post; the QR code PNG for posters."""

from __future__ import annotations

import struct
from dataclasses import replace
from datetime import timedelta

import pytest
import segno

from bot.config import Config
from bot.domain.announcements import Target
from bot.emulator import BotApiEmulator, BotMessage, SimulatedMember
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from handlers.events.announce import poster_code
from tests.conftest import AMBASSADOR_ID
from tests.helpers import join, joined, signed
from tests.test_event_storage import CHOIR
from tests.test_events import LINK, create_event

GROUP = -1001234567890


@pytest.fixture
def config(config: Config) -> Config:
    """The tests' config, with one community group chat."""
    return replace(config, event_group_chats=(GROUP,))


def heard(person: SimulatedMember) -> int:
    """How many announcements of the repair café the member got."""
    return sum(
        "Repair café" in message.text
        and ("A new event" in message.text or "Digwyddiad newydd" in message.text)
        for message in person.messages
    )


async def publish(amb: SimulatedMember) -> BotMessage:
    """Publish the repair café; the offer to announce it (above its card, the last message)."""
    await create_event(amb, capacity="10")
    await amb.press("Publish")
    return amb.messages[-2]


async def test_everyone_hears_once_in_their_language_and_answers_from_the_announcement(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    amb = await joined(emulator, AMBASSADOR_ID, "Rhian")
    ann = await joined(emulator, 701, "Ann")
    ben = await joined(emulator, 702, "Ben", language="cy")
    chooser = await publish(amb)
    assert "Published!" in amb.last.text and LINK in amb.last.text
    assert "Who should hear about “Repair café”?" in chooser.text
    await amb.press("📣 Everyone", chooser)
    assert "Done: 2 members will hear of it." in chooser.text
    await bot.settle()
    assert heard(ann) == 1 and heard(ben) == 1 and heard(amb) == 0
    assert "A new event in Amser Test" in ann.last.text
    assert "Digwyddiad newydd yn Amser Test" in ben.last.text
    assert "Sul 28 Mawrth 2027, 19:30" in ben.last.text

    await amb.press("✓ 📣 Everyone", chooser)  # a second time sends nothing
    assert "announced already" in chooser.text
    await amb.press("Everyone in Canton", chooser)  # all of them heard already
    assert "Nobody new to tell there" in chooser.text
    await bot.settle()
    assert heard(ann) == 1 and heard(ben) == 1

    await ann.press("Going", ann.last)
    assert "You're going." in ann.last.text
    await ben.press("Efallai", ben.last)
    assert "Fe ddywedoch chi efallai." in ben.last.text
    going = await bot.services.events.get(1)
    assert going is not None and going.with_a_place == 1 and going.maybe == 1


async def test_an_area_or_a_kind_reaches_only_those_members_who_want_new_events(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    amb = await joined(emulator, AMBASSADOR_ID, "Rhian")
    fixer = emulator.member(701, "Ann")
    await join(fixer, area="Splott", categories=("Small repairs and DIY",))
    neighbour = await joined(emulator, 702, "Ben", language="cy")  # in Canton (Treganna)
    quiet = await joined(emulator, 703, "Cai")  # in Canton, but turns new events off
    far = emulator.member(704, "Dai")
    await join(far, area="Grangetown")
    await quiet.send("/profile")
    await quiet.press("What I hear about")
    screen = quiet.last
    assert "New events: on" in screen.text and "Community news: on" in screen.text
    await quiet.press("Stop new events", screen)
    assert "New events: off" in screen.text and quiet.last is screen

    await publish(amb)
    card = amb.last  # announced later, from the organiser's card
    await amb.press("📣 Announce", card)
    await amb.press("Members interested in Small repairs and DIY", card)
    assert "Done: 1 member will hear of it." in card.text
    await amb.press("Everyone in Canton", card)
    assert "Done: 1 member will hear of it." in card.text
    await amb.press("« Back to the event", card)
    assert "Share this link" in card.text
    await bot.settle()
    assert heard(fixer) == 1 and heard(neighbour) == 1
    assert heard(quiet) == 0 and heard(far) == 0


async def test_stop_these_turns_new_events_off_in_one_tap_and_can_be_undone(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    amb = await joined(emulator, AMBASSADOR_ID, "Rhian")
    ben = await joined(emulator, 702, "Ben", language="cy")
    await amb.press("📣 Everyone", await publish(amb))
    await bot.settle()
    announcement = ben.last
    await ben.press("Stopio'r rhain", announcement)
    assert "digwyddiadau newydd" in ben.last.text and ben.last is not announcement
    assert not await bot.services.preferences.wants(2, "events")
    assert await bot.services.preferences.wants(2, "news")  # community news is apart
    await ben.press("Dechrau eto")
    assert await bot.services.preferences.wants(2, "events")


async def test_the_community_group_gets_the_card_with_its_link_once(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    group = emulator.group(GROUP, "Amser Canton")
    amb = await joined(emulator, AMBASSADOR_ID, "Rhian", language="cy")
    await publish_cy(amb)
    chooser = amb.messages[-2]
    await amb.press("Postio yn y grŵp cymunedol", chooser)
    assert "Dyna ni: bydd yn cael ei bostio yn y grŵp cymunedol." in chooser.text
    await amb.press("Postio yn y grŵp cymunedol", chooser)
    assert "ddwywaith" in chooser.text
    await bot.settle()
    (post,) = group.messages
    assert "Digwyddiad newydd · New event" in post.text and "Repair café" in post.text
    assert "Sul 28 Mawrth 2027, 19:30\n🕖 Sunday 28 March 2027, 19:30" in post.text  # both
    (button,) = (b for row in post.buttons for b in row)
    assert button.url == LINK


async def test_many_posts_keep_to_the_groups_twenty_a_minute_and_none_is_lost(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    group = emulator.group(GROUP, "Amser Canton")
    await joined(emulator, AMBASSADOR_ID, "Rhian")
    services = bot.services
    organiser = await services.members.by_telegram_id(AMBASSADOR_ID)
    assert organiser is not None
    for n in range(1, 26):
        now = services.clock.now()
        details = replace(CHOIR, title=f"Choir {n}")
        event = await services.events.publish(organiser.id, details, services.config.timezone, now)
        await services.announcements.announce(
            event.id, Target.GROUP, (GROUP,), now, bot_username="amser_test_bot"
        )
    await bot.settle()  # returns: the five over the limit are put by, not spun on
    assert len(group.messages) == 20
    assert (await services.outbox.counts()).get("pending") == 5
    clock.advance(timedelta(seconds=61))
    await bot.settle()
    titles = {line for post in group.messages for line in post.text.splitlines()}
    assert all(f"📅 Choir {n}" in titles for n in range(1, 26)) and len(group.messages) == 25
    posts = [call for call in emulator.calls if call.params.get("chat_id") == GROUP]
    assert all(call.status == 200 for call in posts)  # Telegram never refused one
    moments = sorted(call.at for call in posts)
    assert all(moments[n + 20] - moments[n] >= 60 for n in range(len(moments) - 20))


async def publish_cy(amb: SimulatedMember) -> None:
    """The repair café, asked and published in Welsh."""
    await amb.send("/event")
    await amb.send("Repair café")
    await amb.press("Mân atgyweiriadau")
    await amb.send("28/03/2027")
    await amb.send("19:30")
    await amb.send("Llyfrgell Treganna")
    await amb.press("Treganna")
    await amb.send("Dewch â rhywbeth sydd wedi torri.")
    await amb.send("10")
    await amb.press("Dim un")
    await amb.press("Cyhoeddi")


def png_size(content: bytes) -> tuple[int, int]:
    assert content[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", content[16:24])
    return width, height


async def test_the_organiser_gets_a_qr_code_png_of_the_event_link(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    amb = await joined(emulator, AMBASSADOR_ID, "Rhian")
    ann = await joined(emulator, 701, "Ann")
    chooser = await publish(amb)
    await amb.press("Not now", chooser)
    assert "You can announce it later" in chooser.text and not chooser.buttons
    assert "Share this link" in amb.last.text
    await amb.press("QR code for posters")
    document = amb.last.document
    assert document is not None and document.filename == "event-1-qr.png"
    assert LINK in (document.caption or "")
    width, height = png_size(document.content)
    assert width == height and 200 <= width <= 1000
    assert document.content == poster_code(LINK)
    assert (width, height) == segno.make(LINK, error="m").symbol_size(scale=10, border=4)

    # Not the organiser: the button isn't theirs, and a forged press gets nothing.
    await ann.send("/events")
    await ann.press("1. Repair café")
    assert all("QR" not in b.text for row in ann.last.buttons for b in row)
    await ann.press_data(signed(bot, ann, "ev", "qr", 1))
    assert "only its organiser" in ann.last.text and ann.last.document is None
