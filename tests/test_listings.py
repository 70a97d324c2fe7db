"""Offers and requests end to end: posting with a preview, browsing, managing, ageing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.config import Config
from bot.emulator import BotApiEmulator, SimulatedMember
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from bot.runtime.harness import running_bot
from handlers.buttons import Buttons
from handlers.listings.buttons import CloseMine
from tests.conftest import AMBASSADOR_ID
from tests.helpers import join


async def post(
    member: SimulatedMember,
    command: str,
    *,
    category: str,
    title: str,
    details: str,
    place: str,
    when: str,
    days: str,
    welsh: bool = False,
) -> None:
    await member.send(command)
    await member.press(category)
    await member.send(title)
    await member.send(details)
    await member.press(place)
    await member.press(when)
    await member.press(days)
    await member.press("Postio" if welsh else "Post it")


async def test_posting_a_request_with_a_preview(bot: AmserApplication, emulator) -> None:
    ann = emulator.member(601, "Ann")
    await join(ann)
    await ann.send("/request")
    assert "What kind of help do you need?" in ann.last.text
    await ann.press("Gardening")
    await ann.send("Help with my <garden> & hedge")
    await ann.send("The hedge is tall.\n\nTools are in the shed.")
    await ann.press("Canton")
    await ann.press("Weekends")
    await ann.press("30 days")
    preview = ann.last
    assert "Here's how it will look" in preview.text
    assert "Help with my <garden> & hedge" in preview.text  # shown as typed, never as markup
    assert "Request for help · Gardening" in preview.text and "Weekends" in preview.text
    assert "It will stay up for 30 days." in preview.text
    await ann.press("Change something")
    await ann.press("Title")
    await ann.send("Hedge trimming")
    assert "Hedge trimming" in ann.last.text and "Here's how it will look" in ann.last.text
    post_button = ann.last.button("Post it").callback_data
    await ann.press_data(post_button)
    await ann.press_data(post_button)  # a double tap posts once
    listings = await bot.services.listings.by_member(
        (await bot.services.members.by_telegram_id(601)).id
    )
    assert [(item.title, item.kind, item.place, item.availability) for item in listings] == [
        ("Hedge trimming", "request", "canton", "weekends")
    ]
    form = await bot.services.forms.of_member(listings[0].member_id)
    assert form is not None and form.finished and form.outcome == listings[0].id
    assert "That's done already" in ann.last.text and "Hedge trimming" in ann.last.text


async def test_posting_an_offer_in_welsh(bot: AmserApplication, emulator) -> None:
    bryn = emulator.member(602, "Bryn")
    await join(bryn, language="cy")
    await post(
        bryn,
        "/offer",
        category="Garddio",
        title="Torri gwair",
        details="Mae gen i beiriant.",
        place="O bell neu dros y ffôn",
        when="Unrhyw bryd",
        days="14 diwrnod",
        welsh=True,
    )
    assert "Diolch" in bryn.messages[-2].text
    member = await bot.services.members.by_telegram_id(602)
    [listing] = await bot.services.listings.by_member(member.id)
    assert (listing.kind, listing.place, listing.availability) == ("offer", "remote", None)


async def test_back_cancel_and_bad_input_while_writing(bot: AmserApplication, emulator) -> None:
    cai = emulator.member(603, "Cai")
    await join(cai)
    await cai.send("/offer")
    await cai.send("hello")
    assert "Please choose from the buttons below." in cai.last.text
    await cai.press("Cooking and baking")
    await cai.send("x" * 81)
    assert "keep it to 80 characters (yours had 81)" in cai.last.text
    await cai.send_sticker()
    assert "I can only read typed words here" in cai.last.text
    await cai.send("Welsh cakes")
    await cai.send("y" * 1001)
    assert "keep it to 1000 characters (yours had 1001)" in cai.last.text
    await cai.press("Back")
    assert "In a few words, what could you do?" in cai.last.text
    await cai.send("Bara brith")
    await cai.send("Fresh every Friday")
    await cai.press("Back")
    assert "Tell people a little more" in cai.last.text
    await cai.send("/cancel")
    member = await bot.services.members.by_telegram_id(603)
    assert member is not None and await bot.services.forms.of_member(member.id) is None
    await cai.send("/offer")
    await cai.press("Cancel")
    assert "Cancelled: nothing was posted." in cai.last.text
    assert await bot.services.listings.by_member(member.id) == []


async def test_a_restart_while_writing_loses_nothing(config: Config, clock: FakeClock) -> None:
    async with BotApiEmulator() as emulator:
        dee = emulator.member(604, "Dee")
        async with running_bot(config, emulator, clock):
            await join(dee)
            await dee.send("/request")
            await dee.press("Shopping and errands")
            await dee.send("Weekly shop")
        async with running_bot(config, emulator, clock) as app:
            await dee.send("Heavy bags from the Co-op")
            assert "Where?" in dee.last.text
            await dee.press("Splott")
            await dee.press("Any time")
            await dee.press("7 days")
            await dee.press("Post it")
            member = await app.services.members.by_telegram_id(604)
            [listing] = await app.services.listings.by_member(member.id)
            assert listing.title == "Weekly shop" and listing.details == "Heavy bags from the Co-op"
            assert not app.services.errors


async def make_listings(
    app: AmserApplication,
    owner_id: int,
    count: int,
    kind: str = "request",
    category: str = "gardening",
    place: str = "canton",
) -> None:
    owner = await app.services.members.by_telegram_id(owner_id)
    for number in range(count):
        await app.services.listings.create(
            owner.id,
            kind,
            category,
            f"Listing {number}",
            "details",
            place,
            None,
            app.services.clock.now() + timedelta(minutes=number),
            app.services.clock.now() + timedelta(days=30),
        )


async def test_browsing_pages_filters_and_cards(bot: AmserApplication, emulator) -> None:
    eve, fay = emulator.member(605, "Eve"), emulator.member(606, "Fay")
    await join(eve)
    await join(fay, area="Splott")
    await make_listings(bot, 605, 12)
    await make_listings(bot, 605, 1, kind="offer", category="tech", place="remote")
    await fay.send("/browse")
    await fay.press("Requests for help")
    await fay.press("Everything")
    assert "Nothing here at the moment" in fay.last.text  # near Splott: nothing
    await fay.press("Show everywhere")
    assert "1. Listing 11" in fay.last.text and "5. Listing 7" in fay.last.text
    assert "6." not in fay.last.text
    await fay.press("Older »")
    await fay.press("Older »")
    assert "11. Listing 1" in fay.last.text and "12. Listing 0" in fay.last.text
    assert "Older »" not in fay.last.button_texts
    await fay.press("« Newer")
    assert "6. Listing 6" in fay.last.text
    await fay.press("6. Listing 6")
    assert "From Eve" in fay.last.text and "🙋 I can help" in fay.last.button_texts
    await fay.press("Back to the list")
    assert "6. Listing 6" in fay.last.text
    await fay.press("Other kinds of help")
    assert "Which kind of help?" in fay.last.text
    await fay.send("/browse")
    await fay.press("Offers of help")
    await fay.press("Phones and computers")
    await fay.press("Show everywhere")
    await fay.press("1. Listing 0")
    assert "Offer of help · Phones and computers" in fay.last.text
    assert "🙋 I'd like this" in fay.last.button_texts


@pytest.mark.parametrize(("kind", "icon"), [("request", "🤝"), ("offer", "🙋")])
async def test_managing_my_listings(
    bot: AmserApplication, emulator, clock, kind: str, icon: str
) -> None:
    gus = emulator.member(607, "Gus")
    await join(gus)
    await make_listings(bot, 607, 1, kind=kind)
    await gus.send("/mylistings")
    await gus.press(f"{icon} Listing 0 (open)")
    await gus.press("Pause")
    assert "Paused" in gus.last.text and "▶️ Resume" in gus.last.button_texts
    await gus.press("Resume")
    assert "It's up again." in gus.last.text
    await gus.press("Change it")
    assert "Here's how it will look" in gus.last.text
    await gus.press("Change something")
    await gus.press("Title")
    await gus.send("Tidy the garden")
    await gus.press("Save changes")
    await gus.send("/mylistings")
    assert "Tidy the garden (open)" in gus.last.button_texts[0]
    await gus.press("Tidy the garden")
    clock.advance(timedelta(days=10))
    await gus.press("Renew")
    assert "stays up for another 30 days" in gus.last.text
    await gus.press("Close it")
    assert "Closed. Thank you!" in gus.last.text
    member = await bot.services.members.by_telegram_id(607)
    assert await bot.services.listings.by_member(member.id) == []


async def test_someone_elses_listing_cannot_be_managed(bot: AmserApplication, emulator) -> None:
    hal, ivy = emulator.member(608, "Hal"), emulator.member(609, "Ivy")
    await join(hal)
    await join(ivy)
    await make_listings(bot, 608, 1)
    owner = await bot.services.members.by_telegram_id(608)
    [listing] = await bot.services.listings.by_member(owner.id)
    close = Buttons(bot.services, 609)("x", CloseMine(listing.id)).callback_data
    await ivy.press_data(close)  # correctly signed for Ivy, but not her listing
    await ivy.press_data(f"ml:close:{listing.id}~forged0000")  # and a forged one
    await ivy.press_data(bot.services.callbacks.sign(609, "ml", "close", "1 OR 1"))  # malformed
    assert (await bot.services.listings.get(listing.id)).status == "open"


async def test_expiry_warning_then_expiry(bot: AmserApplication, emulator, clock) -> None:
    jo = emulator.member(610, "Jo")
    await join(jo, language="cy")
    await post(
        jo,
        "/request",
        category="Siopa a negeseuon",
        title="Siopa",
        details="Bob wythnos",
        place="Treganna",
        when="Unrhyw bryd",
        days="7 diwrnod",
        welsh=True,
    )
    clock.advance(timedelta(days=4, minutes=1))
    await bot.run_due_work()
    assert "Oes angen hyn o hyd?" in jo.last.text
    clock.advance(timedelta(days=3))
    await bot.run_due_work()
    assert "“Siopa” wedi cau" in jo.last.text
    member = await bot.services.members.by_telegram_id(610)
    assert await bot.services.listings.by_member(member.id) == []


async def test_renewing_from_the_warning_keeps_it_open(
    bot: AmserApplication, emulator, clock
) -> None:
    kit = emulator.member(611, "Kit")
    await join(kit)
    await post(
        kit,
        "/offer",
        category="Gardening",
        title="Mowing",
        details="Any lawn",
        place="Canton",
        when="Any time",
        days="7 days",
    )
    clock.advance(timedelta(days=4, minutes=1))
    await bot.run_due_work()
    await kit.press("Renew")
    clock.advance(timedelta(days=4))
    await bot.run_due_work()
    member = await bot.services.members.by_telegram_id(611)
    [listing] = await bot.services.listings.by_member(member.id)
    assert listing.status == "open"


async def test_an_unanswered_request_is_flagged_to_ambassadors(bot, emulator, clock) -> None:
    ambassador, lyn = emulator.member(AMBASSADOR_ID, "Huw"), emulator.member(612, "Lyn")
    await join(ambassador)
    await join(lyn)
    await post(
        lyn,
        "/request",
        category="Small repairs and DIY",
        title="Shelf",
        details="One shelf",
        place="Canton",
        when="Any time",
        days="30 days",
    )
    clock.advance(timedelta(days=7, minutes=1))
    await bot.run_due_work()
    assert "This request has had no helper for 7 days" in ambassador.last.text
    assert "Shelf" in ambassador.last.text and "From Lyn" in ambassador.last.text


async def test_a_request_is_matched_once_a_helper_is_accepted(
    bot: AmserApplication, emulator
) -> None:
    mo, nia, owen = (
        emulator.member(613, "Mo"),
        emulator.member(614, "Nia"),
        emulator.member(615, "Owen"),
    )
    for person in (mo, nia, owen):
        await join(person)
    await make_listings(bot, 613, 1)
    owner = await bot.services.members.by_telegram_id(613)
    [listing] = await bot.services.listings.by_member(owner.id)
    for helper in (nia, owen):
        await helper.send("/browse")
        await helper.press("Requests for help")
        await helper.press("Everything")
        await helper.press("1. Listing 0")
    owen_card = owen.last
    await nia.press("I can help")
    await mo.press("Accept")
    assert (await bot.services.listings.get(listing.id)).status == "matched"
    await owen.press("I can help", owen_card)  # Owen's card was open before she was matched
    assert "isn't open any more" in owen.last.text
    await mo.send("/mylistings")
    assert "🤝 Listing 0 (matched)" in mo.last.button_texts


async def test_a_request_posted_through_the_form_reaches_a_member_who_fits(
    bot: AmserApplication, emulator
) -> None:
    pip, rhys = emulator.member(616, "Pip"), emulator.member(617, "Rhys")
    await join(pip)
    await join(rhys, categories=("Gardening",))
    await pip.send("/request")
    await pip.press("Gardening")
    await pip.send("Weeding the front bed")
    await pip.send("Small bed, lots of weeds")
    await pip.press("Canton")
    await pip.press("Any time")
    await pip.press("30 days")
    post_button = pip.last.button("Post it").callback_data
    await pip.press_data(post_button)
    await pip.press_data(post_button)  # a double tap: one listing, one notice
    [notice] = [m for m in rhys.messages if "Weeding the front bed" in m.text]
    assert "Could you help with this?" in notice.text
    member = await bot.services.members.by_telegram_id(616)
    assert len(await bot.services.listings.by_member(member.id)) == 1


async def test_the_owner_is_warned_about_a_title_with_markup_characters(
    bot: AmserApplication, emulator, clock
) -> None:
    sam = emulator.member(618, "Sam")
    await join(sam)
    await post(
        sam,
        "/offer",
        category="Gardening",
        title="Saws <sharp> & <b>loppers</b>",
        details="Bring your own <gloves> & boots",
        place="Canton",
        when="Any time",
        days="7 days",
    )
    clock.advance(timedelta(days=4, minutes=1))
    await bot.run_due_work()
    warning = sam.last
    assert "Is this still needed?" in warning.text
    assert "Saws <sharp> & <b>loppers</b>" in warning.text  # shown as typed, never as markup
    assert {"🔁 Renew", "✖️ Close it"} <= set(warning.button_texts)
    clock.advance(timedelta(days=3))
    await bot.run_due_work()
    assert "“Saws <sharp> & <b>loppers</b>” has now closed" in sam.last.text
