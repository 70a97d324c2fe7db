"""Introductions, relayed messages, contact by consent, blocking and brokering, end to end.

Listings are made directly in the database, and the "I can help" button is put in front of a
member by sending it to them, signed for them, as a listing card or match notice would.
Buttons are pressed by what they do (their signed data), so the tests read the same in Welsh.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

import handlers.matches  # noqa: F401  (its kinds of button, for the test of each kind)
from bot.domain.membership import Status
from bot.emulator import SimulatedMember
from bot.emulator.models import BotMessage
from bot.runtime.context import AmserApplication
from handlers.buttons import ButtonData, Buttons
from handlers.common import keyboard
from handlers.introductions.presses import AskBlock, Respond, Target
from storage.listings import Listing, ListingRepository
from tests.conftest import ADMIN_ID, AMBASSADOR_ID
from tests.helpers import announce, joined, member_of, signed, tap

SAFETY = "Meet somewhere public the first time"
CONTACT_LINK = "tg://user?id="
CONTACTS_SHARED = "You've both agreed to share contacts."


async def post(
    app: AmserApplication,
    person: SimulatedMember,
    *,
    kind: str = "request",
    category: str = "gardening",
    title: str = "Help with my <garden>",
) -> Listing:
    owner = await member_of(app, person)
    now = app.services.clock.now()
    return await ListingRepository(app.services.db).create(
        owner.id, kind, category, title, "Weeding, mostly.", "canton", None, now,
        now + timedelta(days=30),
    )  # fmt: skip


async def show_listing(app: AmserApplication, person: SimulatedMember, listing: Listing) -> None:
    """What a listing card or match notice does: an "I can help" button signed for them."""
    b = Buttons(app.services, person.user_id)
    await app.bot.send_message(
        person.user_id,
        f"A listing: {listing.id}",
        reply_markup=keyboard(
            [b("🙋 I can help", Respond(listing.id))],
            [b("🚫 Block", AskBlock(Target.LISTING, listing.id))],
        ),
    )


def texts(person: SimulatedMember) -> str:
    return "\n".join(message.text for message in person.messages)


def htmls(person: SimulatedMember) -> str:
    return "\n".join(message.html or message.text for message in person.messages)


async def introductions_in(app: AmserApplication) -> list[tuple]:
    rows = await app.services.db.fetch_all(
        "SELECT listing_id, owner_id, responder_id, status, owner_shares, responder_shares"
        " FROM introductions ORDER BY id"
    )
    return [tuple(row) for row in rows]


async def blocked_by(app: AmserApplication, person: SimulatedMember) -> list[int]:
    """Whom `person` has blocked, as stored."""
    rows = await app.services.db.fetch_all(
        "SELECT blocked_id FROM blocks WHERE blocker_id = ?", ((await member_of(app, person)).id,)
    )
    return [row["blocked_id"] for row in rows]


async def introduced(
    app: AmserApplication, owner: SimulatedMember, helper: SimulatedMember, **listing: str
) -> Listing:
    posted = await post(app, owner, **listing)
    await show_listing(app, helper, posted)
    await tap(app, helper, "in", "start")
    await tap(app, owner, "in", "acc")
    return posted


# --- introductions ---------------------------------------------------------------------------


async def test_accept_in_welsh_and_english(bot: AmserApplication, emulator) -> None:
    eleri = await joined(emulator, 301, "Eleri", language="cy")
    tom = await joined(emulator, 302, "Tom", categories=("Gardening",))
    listing = await post(bot, eleri)
    await show_listing(bot, tom, listing)
    await tom.press("🙋 I can help")
    assert "I've let Eleri know" in tom.last.text
    # Eleri sees Tom in Welsh labels (from config), with his details escaped.
    proposal = eleri.last
    assert "Tom" in proposal.text and "Treganna" in proposal.text and "Garddio" in proposal.text
    assert "Help with my &lt;garden&gt;" in (proposal.html or "")
    assert len(proposal.buttons) == 2
    await tap(bot, eleri, "in", "acc")
    # Both get the safety advice and the introduction, and nobody's contact is shown yet.
    assert any(SAFETY in m.text for m in tom.messages)
    assert "You're introduced to Eleri" in tom.last.text
    assert "Tom" in eleri.last.text and "Ardal: Treganna" in eleri.last.text and eleri.last.buttons
    assert CONTACT_LINK not in htmls(tom) + htmls(eleri)
    (row,) = await introductions_in(bot)
    assert row[3] == "accepted"


async def test_decline_tells_the_helper_kindly(bot: AmserApplication, emulator) -> None:
    ann = await joined(emulator, 303, "Ann")
    ben = await joined(emulator, 304, "Ben", language="cy")
    listing = await post(bot, ann, title="A lift to the shops")
    await show_listing(bot, ben, listing)
    await tap(bot, ben, "in", "start")
    decline = signed(bot, ann, "in", "dec", 1)
    await tap(bot, ann, "in", "dec")
    assert "I won't introduce you this time" in ann.last.text
    assert "A lift to the shops" in ben.last.text  # told, without a reason
    before = len(ben.messages)
    await ann.press_data(decline)  # the same press again changes nothing, tells nobody twice
    assert "already finished" in texts(ann)
    assert len(ben.messages) == before
    assert [row[3] for row in await introductions_in(bot)] == ["declined"]


async def test_double_tap_gives_one_introduction(bot: AmserApplication, emulator) -> None:
    cat = await joined(emulator, 305, "Cat")
    dai = await joined(emulator, 306, "Dai")
    listing = await post(bot, cat, kind="offer", title="Welsh conversation")
    await show_listing(bot, dai, listing)
    card = dai.last
    pressed = card.button("I can help").callback_data or ""
    await dai.press_data(pressed, card.message_id)
    await dai.press_data(pressed, card.message_id)  # a double tap: answered once, the same way
    answers = [m for m in dai.messages if "I've let Cat know" in m.text]
    assert len(answers) == 1
    assert "already asked" not in texts(dai)
    # The card pressed has been answered: its "I can help" is gone, its Block stays.
    card = next(m for m in dai.messages if m.message_id == card.message_id)
    assert card.button_texts == ["🚫 Block"]
    # Pressed again later from another copy of the listing: still the same single answer.
    await show_listing(bot, dai, listing)
    await tap(bot, dai, "in", "start")
    assert [m.text for m in dai.messages if "I've let Cat know" in m.text] == [answers[0].text]
    assert "already asked" not in texts(dai)
    assert len(await introductions_in(bot)) == 1
    proposals = [m for m in cat.messages if "would like to take up your offer" in m.text]
    assert len(proposals) == 1


async def test_closed_listing_and_own_listing(bot: AmserApplication, emulator) -> None:
    eve = await joined(emulator, 307, "Eve")
    fred = await joined(emulator, 308, "Fred", language="cy")
    listing = await post(bot, eve)
    await show_listing(bot, fred, listing)
    await show_listing(bot, eve, listing)
    await tap(bot, eve, "in", "start")
    assert "your own listing" in eve.last.text
    now = bot.services.clock.now()
    assert await bot.services.listings.set_status_if(listing.id, ("open",), "matched", now)
    before, fred_before = len(eve.messages), len(fred.messages)
    await tap(bot, fred, "in", "start")
    assert len(fred.messages) == fred_before + 1  # told kindly, in Welsh
    assert "Eve" not in fred.last.text and not fred.last.buttons
    assert len(eve.messages) == before
    assert await introductions_in(bot) == []


async def test_safety_advice_only_once(bot: AmserApplication, emulator) -> None:
    gwen = await joined(emulator, 309, "Gwen")
    huw = await joined(emulator, 310, "Huw", language="cy")
    await introduced(bot, gwen, huw, title="First")
    await introduced(bot, gwen, huw, title="Second")
    assert sum(SAFETY in m.text for m in gwen.messages) == 1
    row = await bot.services.db.fetch_one(
        "SELECT count(*) FROM members WHERE safety_advice_at IS NOT NULL"
    )
    assert row is not None and row[0] == 2
    assert sum("You're introduced to Huw" in m.text for m in gwen.messages) == 2


def live_cards(app: AmserApplication, person: SimulatedMember) -> list[BotMessage]:
    """The person's introduction cards that still have buttons (End or Accept on them)."""
    verify = app.services.callbacks.verify
    return [
        message
        for message in person.messages
        if any(
            (verify(person.user_id, button.callback_data or "") or [])[:2]
            in (["in", "end"], ["in", "acc"])
            for row in message.buttons
            for button in row
        )
    ]


async def test_contact_only_after_both_agree(bot: AmserApplication, emulator) -> None:
    ifan = await joined(emulator, 311, "Ifan", language="cy", username="ifan_c")
    jo = await joined(emulator, 312, "Jo", username="jo_t")
    await introduced(bot, ifan, jo)
    [first_card] = live_cards(bot, ifan)
    ifan_before = len(ifan.messages)
    await tap(bot, jo, "in", "share")
    assert CONTACT_LINK not in htmls(jo) + htmls(ifan)
    assert "when they agree too" in jo.last.text
    assert len(ifan.messages) == ifan_before + 1  # Ifan is asked whether he'd like to share
    # One live card each: Ifan's earlier copy has lost its buttons, Jo's changed in place.
    assert [m.message_id for m in live_cards(bot, ifan)] == [ifan.last.message_id]
    assert ifan.last.message_id != first_card.message_id
    assert len(live_cards(bot, jo)) == 1
    # "Not yet" (or a press of the old copy's buttons) never undoes Jo's agreement.
    await ifan.press_data(signed(bot, ifan, "in", "keep", 1), first_card.message_id)
    assert (await introductions_in(bot))[0][4:] == (0, 1)
    await tap(bot, ifan, "in", "keep")  # not yet
    assert "Jo" in ifan.last.text and (await introductions_in(bot))[0][4:] == (0, 1)
    assert CONTACT_LINK not in htmls(jo) + htmls(ifan)
    await jo.press_data(signed(bot, jo, "in", "share", 1))  # again: still only one side
    assert CONTACT_LINK not in htmls(jo) + htmls(ifan)
    assert (await introductions_in(bot))[0][4:] == (0, 1)
    await tap(bot, ifan, "in", "share")
    assert '<a href="tg://user?id=311">Ifan</a>' in (jo.last.html or "")
    assert "@ifan_c" in jo.last.text
    assert '<a href="tg://user?id=312">Jo</a>' in htmls(ifan)
    assert "@jo_t" in htmls(ifan)
    # Jo's card, changed in place, says how things stand: no "when they agree too".
    [jo_card] = live_cards(bot, jo)
    assert "You've both shared your Telegram contacts" in jo_card.text
    assert not any("when they agree too" in m.text for m in live_cards(bot, jo))
    assert not any("Share my Telegram contact" in m.text for m in jo.messages)
    assert [t for t in jo_card.button_texts if "Share" in t or "share" in t] == []
    assert '<a href="tg://user?id=311">Ifan</a>' in (jo_card.html or "")  # kept on the card
    # Once shared it is not sent again, and cannot be taken back.
    await ifan.press_data(signed(bot, ifan, "in", "share", 1))
    await ifan.press_data(signed(bot, ifan, "in", "keep", 1))
    assert sum(CONTACTS_SHARED in m.text for m in jo.messages) == 1
    assert sum("wedi cytuno i rannu cysylltiadau" in m.text for m in ifan.messages) == 1
    assert (await introductions_in(bot))[0][4:] == (1, 1)
    assert len(live_cards(bot, ifan)) == 1 and len(live_cards(bot, jo)) == 1


# --- relayed messages ------------------------------------------------------------------------


async def test_messages_relayed_both_ways(bot: AmserApplication, emulator) -> None:
    kim = await joined(emulator, 313, "Kim")
    lew = await joined(emulator, 314, "Lew", language="cy")
    await introduced(bot, kim, lew)
    await tap(bot, kim, "in", "msg")
    assert "Type your message to Lew" in kim.last.text
    await kim.send("Hello <b>Lew</b>, is Tuesday good?")
    # Lew reads Welsh: who it is from, and the words shown as typed, not as HTML.
    assert "Kim" in lew.last.text and len(lew.last.buttons[0]) == 2
    assert "Hello <b>Lew</b>, is Tuesday good?" in lew.last.text
    assert "Hello &lt;b&gt;Lew&lt;/b&gt;" in (lew.last.html or "")
    assert "Sent to Lew" in kim.last.text
    await tap(bot, lew, "in", "msg")  # Reply
    await lew.send_sticker()  # Lew reads Welsh: asked again, kindly, nothing lost
    assert "Kim" in lew.last.text and "Canslo" in lew.last.button_texts
    await lew.send("x" * 501)
    assert "501" in lew.last.text and "500" in lew.last.text
    member = await member_of(bot, lew)
    writing = await bot.services.forms.of_member(member.id)
    assert writing is not None and writing.name == "relay" and not writing.finished
    await lew.send("Dydd Mawrth yn iawn")
    assert "Message from Lew via Amser:" in kim.last.text
    assert "Dydd Mawrth yn iawn" in kim.last.text
    writing = await bot.services.forms.of_member(member.id)
    assert writing is None or writing.finished
    # The card Kim wrote from is still there, with its buttons: the prompt came under it.
    assert len(live_cards(bot, kim)) == 1


async def test_cancel_and_no_messages_after_the_end(bot: AmserApplication, emulator) -> None:
    mai = await joined(emulator, 315, "Mai")
    ned = await joined(emulator, 316, "Ned")
    await introduced(bot, mai, ned)
    await tap(bot, mai, "in", "msg")
    await tap(bot, mai, "f", "stop")
    assert "nothing was sent" in mai.last.text
    await tap(bot, mai, "in", "msg")
    await mai.send("/cancel")
    assert "nothing was sent" in mai.last.text
    assert await bot.services.forms.of_member((await member_of(bot, mai)).id) is None
    await tap(bot, mai, "in", "msg")  # she starts typing, then Ned ends the introduction
    await tap(bot, ned, "in", "end")
    assert "This introduction has ended" in ned.last.text
    assert "Ned has ended your introduction" in mai.last.text
    before = len(ned.messages)
    await mai.send("Are you still there?")
    assert "can't pass messages on" in mai.last.text
    assert live_cards(bot, mai) == [] and live_cards(bot, ned) == []  # no stale buttons
    await mai.press_data(signed(bot, mai, "in", "msg", 1))  # a press already on its way
    assert "can't pass messages on" in mai.last.text
    assert len(ned.messages) == before
    await ned.press_data(signed(bot, ned, "in", "end", 1))
    assert "already finished" in texts(ned)


async def test_one_live_card_through_introductions_and_taking_back(
    bot: AmserApplication, emulator
) -> None:
    nia = await joined(emulator, 330, "Nia")
    owen = await joined(emulator, 331, "Owen", language="cy")
    await introduced(bot, nia, owen)
    [old] = live_cards(bot, owen)
    await owen.send("/introductions")  # shown again: the earlier copy loses its buttons
    [card] = live_cards(bot, owen)
    assert card.message_id != old.message_id and card.message_id == owen.last.message_id
    await tap(bot, nia, "in", "share")
    [card] = live_cards(bot, owen)
    assert "Hoffai Nia rannu" in card.text and card.message_id == owen.last.message_id
    # Nia takes it back, from her one card, which says what that did.
    [nia_card] = live_cards(bot, nia)
    await nia.press("Don't share it after all", nia_card)
    assert "Okay, your Telegram contact stays private." in nia.last.text
    assert (await introductions_in(bot))[0][4:] == (0, 0)
    # Owen's card changed in place: it no longer says Nia would like to share.
    [card] = live_cards(bot, owen)
    assert "Hoffai" not in card.text
    assert len(live_cards(bot, nia)) == 1


async def test_i_can_help_on_a_match_notice_answers_it(bot: AmserApplication, emulator) -> None:
    pam = await joined(emulator, 332, "Pam")
    rob = await joined(emulator, 333, "Rob", categories=("Gardening",))
    listing = await post(bot, pam, title="Mowing")
    await announce(bot, listing)
    notice = rob.last
    assert notice.button_texts == ["🙋 I can help", "Not this time", "🚩 Report"]
    await rob.press("I can help", notice)
    notice = next(m for m in rob.messages if m.message_id == notice.message_id)
    assert notice.button_texts == ["🚩 Report"]  # answered: only Report is left to press
    assert "I've let Pam know" in rob.last.text
    assert len(live_cards(bot, pam)) == 1


# --- blocking --------------------------------------------------------------------------------


async def test_block_from_an_introduction(bot: AmserApplication, emulator) -> None:
    olwen = await joined(emulator, 317, "Olwen", language="cy")
    pete = await joined(emulator, 318, "Pete")
    await introduced(bot, olwen, pete)
    await tap(bot, pete, "in", "msg")  # Pete is part-way through writing to her
    before = len(pete.messages)
    await tap(bot, olwen, "bl", "ask", "intro")
    assert "Pete" in olwen.last.text
    await tap(bot, olwen, "bl", "do", "intro")
    assert "Pete" in olwen.last.text
    assert len(pete.messages) == before  # the other is not told
    assert [row[3] for row in await introductions_in(bot)] == ["ended"]
    await pete.send("Hello?")
    assert "can't pass messages on" in pete.last.text
    assert "Hello?" not in "\n".join(m.text for m in olwen.messages)
    # No new introduction either: her next request isn't available to him.
    listing = await post(bot, olwen, title="Another job")
    await show_listing(bot, pete, listing)
    olwen_before = len(olwen.messages)
    await tap(bot, pete, "in", "start")
    assert "isn't open any more" in pete.last.text
    assert len(olwen.messages) == olwen_before
    assert await bot.services.blocks.is_blocked_either_way(
        (await member_of(bot, pete)).id, (await member_of(bot, olwen)).id
    )


async def test_block_from_a_listing_card(bot: AmserApplication, emulator) -> None:
    rhys = await joined(emulator, 319, "Rhys")
    sara = await joined(emulator, 320, "Sara")
    listing = await post(bot, sara)
    await show_listing(bot, rhys, listing)
    await tap(bot, rhys, "bl", "ask", "listing")
    await tap(bot, rhys, "bl", "no")
    assert "nothing has changed" in rhys.last.text
    await show_listing(bot, rhys, listing)
    await tap(bot, rhys, "bl", "ask", "listing")
    await tap(bot, rhys, "bl", "do", "listing")
    await rhys.press_data(signed(bot, rhys, "bl", "do", "listing", listing.id))  # idempotent
    assert await blocked_by(bot, rhys) == [(await member_of(bot, sara)).id]
    await rhys.send("/block")
    assert "tap 🚫 Block" in rhys.last.text


# --- brokering -------------------------------------------------------------------------------


async def test_brokered_introduction_needs_both(bot: AmserApplication, emulator) -> None:
    huw = await joined(emulator, AMBASSADOR_ID, "Huw")
    tess = await joined(emulator, 321, "Tess", language="cy")
    uma = await joined(emulator, 322, "Uma", categories=("Gardening",))
    await joined(emulator, 323, "Vic", categories=("Gardening",))
    listing = await post(bot, tess, title="Hedge trimming")
    await huw.send("/unanswered")
    assert "Hedge trimming" in huw.last.text
    await tap(bot, huw, "brk", "sug", listing.id)
    assert "Uma" in huw.last.text and "Vic" in huw.last.text and "Tess" not in huw.last.text
    uma_id = (await member_of(bot, uma)).id
    await tap(bot, huw, "brk", "pick", listing.id, uma_id)
    assert "Nothing happens unless they both say yes" in huw.last.text
    assert "Huw would like to introduce you to Tess" in uma.last.text
    assert "Uma" in tess.last.text and "Garddio" in tess.last.text
    await huw.press_data(signed(bot, huw, "brk", "pick", listing.id, uma_id))  # a double tap
    assert "already been put in touch" in texts(huw)
    await tap(bot, tess, "in", "acc")
    assert [row[3] for row in await introductions_in(bot)] == ["proposed"]
    assert not any(SAFETY in m.text for m in uma.messages)
    await tap(bot, uma, "in", "acc")
    assert [row[3] for row in await introductions_in(bot)] == ["accepted"]
    assert any(SAFETY in m.text for m in uma.messages)
    assert "You're introduced to Tess" in uma.last.text
    assert "Tess and Uma have both said yes, and are now introduced" in huw.last.text
    # With an accepted introduction, the request is no longer unanswered.
    await huw.send("/unanswered")
    assert "Every open request has a helper" in huw.last.text


async def test_brokering_rechecks_the_role(bot: AmserApplication, emulator, config) -> None:
    admin = await joined(emulator, ADMIN_ID, "Siân")
    wyn = await joined(emulator, 324, "Wyn")
    xena = await joined(emulator, 325, "Xena", categories=("Gardening",))
    listing = await post(bot, wyn)
    await wyn.send("/unanswered")
    assert "this is for ambassadors and coordinators" in wyn.last.text
    await wyn.press_data(signed(bot, wyn, "brk", "sug", listing.id))
    assert "this is for ambassadors and coordinators" in wyn.last.text
    await admin.send("/unanswered")
    await tap(bot, admin, "brk", "sug", listing.id)
    assert "Xena" in admin.last.text
    # No longer a coordinator: the buttons already sent stop working.
    await bot.services.use_config(replace(config, admins=frozenset(), ambassadors=frozenset()))
    await tap(bot, admin, "brk", "pick")
    assert "this is for ambassadors and coordinators" in admin.last.text
    assert await introductions_in(bot) == []
    assert not any("would like to introduce you" in m.text for m in xena.messages)


async def test_unanswered_is_paginated(bot: AmserApplication, emulator, clock) -> None:
    huw = await joined(emulator, AMBASSADOR_ID, "Huw")
    yan = await joined(emulator, 326, "Yan")
    for number in range(12):
        await post(bot, yan, title=f"Job {number:02}")
        clock.advance(timedelta(minutes=1))
    await huw.send("/unanswered")
    assert "Job 00" in huw.last.text and "Job 09" in huw.last.text
    assert "Job 10" not in huw.last.text
    await tap(bot, huw, "brk", "page", 10)
    assert "Job 10" in huw.last.text and "Job 11" in huw.last.text
    assert "Job 00" not in huw.last.text


# --- forged buttons --------------------------------------------------------------------------


async def test_forged_and_foreign_buttons_are_refused(bot: AmserApplication, emulator) -> None:
    zoe = await joined(emulator, 327, "Zoe")
    abi = await joined(emulator, 328, "Abi")
    mallory = await joined(emulator, 329, "Mallory")
    listing = await post(bot, zoe)
    await show_listing(bot, abi, listing)
    await tap(bot, abi, "in", "start")
    # Zoe's Accept, replayed by someone else: refused, nothing changes.
    await mallory.press_data(signed(bot, zoe, "in", "acc", 1))
    answer = emulator.calls_to("answerCallbackQuery")[-1]
    assert "doesn't work" in answer.params.get("text", "")
    await mallory.press_data("in:acc:1~forgedmac0")
    answer = emulator.calls_to("answerCallbackQuery")[-1]
    assert "doesn't work" in answer.params.get("text", "")
    # Signed for Mallory, but it isn't her introduction.
    await mallory.press_data(signed(bot, mallory, "in", "acc", 1))
    assert "couldn't find that introduction" in texts(mallory)
    await mallory.press_data(signed(bot, mallory, "bl", "do", "intro", 1))
    assert "couldn't find that member" in texts(mallory)
    assert [row[3] for row in await introductions_in(bot)] == ["proposed"]
    assert await blocked_by(bot, mallory) == []


KINDS = [
    kind
    for module in ("handlers.introductions.presses", "handlers.matches")
    for kind in ButtonData.kinds()
    if kind.__module__ == module
]


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.prefix)
async def test_a_forged_or_malformed_press_of_each_kind_is_refused(
    bot: AmserApplication, emulator, kind: type[ButtonData]
) -> None:
    bea = await joined(emulator, 334, "Bea")
    prefix = kind.prefix.split(":")
    before = len(bea.messages)
    malformed = signed(bot, bea, *prefix, "x", "y", "z")  # signed, but not this kind's fields
    for data in (f"{kind.prefix}:1~forgedmac0", malformed):
        await bea.press_data(data)
        answer = emulator.calls_to("answerCallbackQuery")[-1]
        assert "doesn't work" in answer.params.get("text", "")
    assert len(bea.messages) == before


async def test_accept_after_the_helper_was_suspended_introduces_nobody(
    bot: AmserApplication, emulator
) -> None:
    ann = await joined(emulator, 391, "Ann")
    ben = await joined(emulator, 392, "Ben")
    listing = await post(bot, ann)
    await show_listing(bot, ben, listing)
    await tap(bot, ben, "in", "start")
    suspended = await member_of(bot, ben)
    await bot.services.members.update(suspended.id, bot.clock.now(), status=Status.SUSPENDED)
    told = len(ben.messages)
    await tap(bot, ann, "in", "acc")
    assert "already finished" in ann.last.text
    assert len(ben.messages) == told  # no card and no safety advice for a suspended member
    (row,) = await introductions_in(bot)
    assert row[3] == "proposed"
