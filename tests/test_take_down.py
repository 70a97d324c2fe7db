"""Taking a listing down: a coordinator does it from the listing's card with a reason (a button
or their own words), once; the owner is told why in their language; the action is audited;
nobody else sees the button or can forge it."""

from __future__ import annotations

import pytest

from bot.emulator import BotApiEmulator, SimulatedMember
from bot.runtime.context import AmserApplication
from handlers.listings.buttons import TakeDown
from tests.conftest import ADMIN_ID, AMBASSADOR_ID
from tests.helpers import joined, signed, tap
from tests.test_introductions import post

WORDS = {
    "en": {
        "why": "Why? Its owner will read this.",
        "confirm": "It will close at once, and Gwen will be told why.",
        "take": "🗑 Take it down",
        "done": "has been taken down, and Gwen has been told why.",
        "told": "The coordinators have taken down your request “Help with my &lt;garden&gt;”.",
        "preset": "Spam or selling",
        "again": "That listing has been taken down already.",
    },
    "cy": {
        "why": "Pam? Bydd y perchennog yn darllen hwn.",
        "confirm": "Bydd yn cau ar unwaith, a bydd Gwen yn cael gwybod pam.",
        "take": "🗑 Tynnu i lawr",
        "done": "wedi'i dynnu i lawr, ac mae Gwen wedi cael gwybod pam.",
        "told": "Mae'r cydlynwyr wedi tynnu eich cais “Help with my &lt;garden&gt;” i lawr.",
        "preset": "Sbam neu werthu",
        "again": "Mae'r hysbyseb honno wedi'i thynnu i lawr yn barod.",
    },
}


async def open_card(bot: AmserApplication, person: SimulatedMember) -> None:
    await person.send("/browse")
    await tap(bot, person, "br", "kind")
    await tap(bot, person, "br", "cat")  # the first: everything
    await tap(bot, person, "br", "card")


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_a_coordinator_takes_a_listing_down_with_a_reason_once(
    bot: AmserApplication, emulator: BotApiEmulator, language: str
) -> None:
    words = WORDS[language]
    cai = await joined(emulator, ADMIN_ID, "Cai", language=language)
    gwen = await joined(emulator, 201, "Gwen", language=language)
    listing = await post(bot, gwen)
    await open_card(bot, cai)
    await tap(bot, cai, "md", "td", listing.id)
    assert words["why"] in cai.last.text
    await cai.press(words["preset"])
    assert words["confirm"] in cai.last.text and words["preset"] in cai.last.text
    take = cai.last.button(words["take"]).callback_data or ""
    await cai.press(words["take"])
    assert words["done"] in cai.last.text
    await cai.press_data(take, cai.last.message_id)  # a double tap: nothing more
    assert words["again"] in cai.last.text
    await bot.settle()
    told = [m for m in gwen.messages if words["told"] in (m.html or "")]
    assert len(told) == 1 and words["preset"] in told[0].text
    closed = await bot.services.listings.get(listing.id)
    assert closed is not None and closed.status == "closed"
    rows = await bot.services.audit.recent()
    assert [(r.action, r.target_id, r.subject) for r in rows] == [
        ("remove_listing", listing.member_id, listing.id)
    ]
    assert not bot.services.errors


async def test_own_words_are_kept_escaped_and_a_long_reason_is_asked_again(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    cai = await joined(emulator, ADMIN_ID, "Cai")
    gwen = await joined(emulator, 201, "Gwen", language="cy")
    listing = await post(bot, gwen)
    await open_card(bot, cai)
    await tap(bot, cai, "md", "td", listing.id)
    await cai.send("x" * 400)
    assert "Why? Its owner will read this." not in cai.last.text or "400" in cai.last.text
    assert (await bot.services.listings.get(listing.id)).status == "open"  # type: ignore[union-attr]
    await cai.send("Selling <b>watches</b>")
    assert "Selling &lt;b&gt;watches&lt;/b&gt;" in (cai.last.html or "")
    await cai.press("🗑 Take it down")
    await bot.settle()
    assert "Selling &lt;b&gt;watches&lt;/b&gt;" in (gwen.last.html or "")
    assert (await bot.services.audit.recent())[0].reason == "Selling <b>watches</b>"
    assert not bot.services.errors


async def test_only_coordinators_see_or_may_press_take_down(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    alys = await joined(emulator, AMBASSADOR_ID, "Alys")
    huw = await joined(emulator, 202, "Huw")
    gwen = await joined(emulator, 201, "Gwen")
    listing = await post(bot, gwen)
    for person in (alys, huw):
        await open_card(bot, person)
        assert "Take down" not in str(person.last.buttons)
        await person.press_data(signed(bot, person, *TakeDown(listing.id).parts()))
        assert "this is for coordinators" in person.last.text
    assert (await bot.services.listings.get(listing.id)).status == "open"  # type: ignore[union-attr]
    assert await bot.services.audit.recent(action=None) == [] or all(
        r.action == "refused" for r in await bot.services.audit.recent()
    )
