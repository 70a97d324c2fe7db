"""Joining, end to end through the emulator: as a member on their phone would do it."""

from __future__ import annotations

import sqlite3

import pytest

from bot.config import Config
from bot.domain.checkins import Cadence
from bot.domain.membership import Status
from bot.emulator import BotApiEmulator
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from bot.runtime.harness import running_bot
from tests.conftest import ADMIN_ID
from tests.helpers import agree_in, join, texts


async def test_first_screen_is_the_active_offer_in_both_languages(bot, emulator) -> None:
    eleri = emulator.member(101, "Eleri")
    await eleri.send("/start")
    assert "Pa iaith hoffech chi?" in eleri.last.text
    assert "Which language would you like?" in eleri.last.text
    assert eleri.last.button_texts == ["Cymraeg", "English"]


async def test_joining_in_welsh(bot: AmserApplication, emulator) -> None:
    eleri = emulator.member(101, "Eleri", language_code="en")
    await agree_in(eleri, "cy")
    assert "Pa enw hoffech chi" in eleri.last.text
    await eleri.press("Defnyddio “Eleri”")
    assert "Ym mha ardal" in eleri.last.text
    await eleri.press("Glan-yr-afon")
    await eleri.press("Garddio")
    assert "✓ Garddio" in eleri.last.button_texts
    await eleri.press("Gorffen")
    await eleri.send("Gallaf helpu gyda llythyrau")
    await eleri.send("Cwrdd â phobl")
    assert "hoffech chi i mi holi sut mae pethau" in eleri.last.text
    await eleri.press("Bob pythefnos")  # check-ins, at 10:00 on the day she joined
    assert "Croeso i Amser Test, Eleri!" in eleri.messages[-2].text
    assert "Beth hoffech chi ei wneud, Eleri?" in eleri.last.text
    member = await bot.services.members.by_telegram_id(101)
    assert member is not None
    assert (member.status, member.language, member.area) == (Status.ACTIVE, "cy", "riverside")
    assert member.offer_categories == ("gardening",)
    assert (member.offers_text, member.what_matters) == (
        "Gallaf helpu gyda llythyrau",
        "Cwrdd â phobl",
    )
    chosen = await bot.services.checkins.get(member.id)
    assert chosen is not None and chosen.schedule.cadence is Cadence.FORTNIGHTLY
    assert chosen.schedule.hour == 10
    assert eleri.unanswered_callbacks == []
    # Her command menu is Welsh, whatever language her Telegram app is in.
    menu = emulator.commands({"type": "chat", "chat_id": 101})
    assert {"command": "profile", "description": "Gweld a newid eich manylion"} in menu


async def test_joining_in_english(bot: AmserApplication, emulator) -> None:
    tom = emulator.member(102, "Tom")
    await agree_in(tom, "en")
    await tom.send("Tommy")
    await tom.press("Somewhere else")
    await tom.press("Phones and computers")
    await tom.press("Company and a chat")
    await tom.press("Phones and computers")  # a second tap takes it off again
    await tom.press("Done")
    await tom.press("Skip")
    await tom.press("Skip")
    await tom.press("Not now")
    assert (
        "Welcome to Amser Test, Tommy!" in tom.last.text
        or "Welcome to Amser Test, Tommy!" in tom.messages[-2].text
    )
    member = await bot.services.members.by_telegram_id(102)
    assert member is not None
    assert (member.status, member.area, member.offer_categories) == (
        Status.ACTIVE,
        "elsewhere",
        ("company",),
    )
    assert member.offers_text is None and member.what_matters is None


async def test_nothing_is_stored_before_consent(
    bot: AmserApplication, emulator, config: Config
) -> None:
    sam = emulator.member(103, "Sam")
    await sam.send("/start")
    await sam.press("English")
    assert "Before we start" in sam.last.text
    await sam.press("No, thanks")
    assert "We haven't kept anything about you" in sam.last.text
    assert await bot.services.members.by_telegram_id(103) is None
    with sqlite3.connect(config.database_path) as db:
        assert db.execute("SELECT count(*) FROM members").fetchone() == (0,)


async def test_back_from_every_step(bot: AmserApplication, emulator) -> None:
    ana = emulator.member(104, "Ana")
    await ana.send("/start")
    await ana.press("English")
    await ana.press("Back")
    assert ana.last.button_texts == ["Cymraeg", "English"]
    await ana.press("English")
    await ana.press("Yes, I agree")
    await ana.press("Back")  # name → consent
    assert "Before we start" in ana.last.text
    await ana.press("Yes, I agree")
    await ana.send("Ana")
    await ana.press("Back")  # area → name
    assert "What name would you like" in ana.last.text
    await ana.press("Use “Ana”")
    await ana.press("Canton")
    await ana.press("Back")  # offers → area
    assert "Which area are you in?" in ana.last.text
    assert "✓ Canton" in ana.last.button_texts
    await ana.press("Canton")
    await ana.press("Done")
    await ana.press("Back")  # in your words → offers
    assert "What could you offer" in ana.last.text
    await ana.press("Done")
    await ana.press("Skip")
    await ana.press("Back")  # what matters → in your words
    assert "in your own words" in ana.last.text
    await ana.press("Skip")
    await ana.press("Skip")
    await ana.press("Not now")
    member = await bot.services.members.by_telegram_id(104)
    assert member is not None and member.status is Status.ACTIVE


@pytest.mark.parametrize("answered", [0, 1, 2, 3, 4])
async def test_cancel_at_every_step_pauses_and_start_resumes(bot, emulator, answered: int) -> None:
    """/cancel keeps what was said; /start carries on at the same question."""
    questions = [
        "What name",
        "Which area",
        "What could you offer",
        "in your own words",
        "what matters to you",
    ]
    answers = [("send", "Kim"), ("press", "Splott"), ("press", "Done"), ("press", "Skip")]
    kim = emulator.member(105, "Kim")
    await agree_in(kim, "en")
    for how, what in answers[:answered]:
        await (kim.send(what) if how == "send" else kim.press(what))
    await kim.send("/cancel")
    assert "Joining is paused" in kim.last.text
    await kim.send("I'm back")  # text while paused does not count as an answer
    assert "Joining is paused" in kim.last.text
    await kim.send("/start")
    assert "Welcome back" in kim.last.text
    assert questions[answered] in kim.last.text
    member = await bot.services.members.by_telegram_id(105)
    assert member is not None and member.status is Status.JOINING and not member.paused


async def test_cancel_before_consent_keeps_nothing(bot, emulator) -> None:
    jo = emulator.member(106, "Jo")
    await jo.send("/start")
    await jo.press("Cymraeg")
    await jo.send("/cancel")
    assert "Does dim wedi'i gadw" in jo.last.text
    assert await bot.services.members.by_telegram_id(106) is None


async def test_bad_input_at_every_step_is_met_gently(bot: AmserApplication, emulator) -> None:
    lee = emulator.member(107, "Lee")
    # Before joining: anything at all brings the welcome, never an error.
    await lee.send_sticker()
    assert "Which language would you like?" in lee.last.text
    await lee.press("English")
    await lee.send("hello?")
    assert "Please tap one of the buttons below." in lee.last.text
    await lee.press("Yes, I agree")
    # Name: sticker, photo, far too long, only spaces, another command.
    await lee.send_sticker()
    assert "I can only read typed words here" in lee.last.text
    await lee.send_photo(caption="me")
    assert "I can only read typed words here" in lee.last.text
    await lee.send("x" * 5000)
    assert "please keep it to 40 characters (yours had 5000)" in lee.last.text
    assert "What name would you like" in lee.last.text
    await lee.send("   ")
    assert "What name would you like" in lee.last.text
    await lee.send("/profile")
    assert "Let's finish joining first" in lee.last.text
    await lee.send("/nonsense")
    assert "I don't know that command" in lee.last.text
    await lee.send("<b>Lee</b> & co")
    # Area and offers want buttons.
    await lee.send("Canton please")
    assert "Please choose from the buttons below." in lee.last.text
    await lee.press("Canton")
    await lee.send_sticker()
    assert "Please choose from the buttons below." in lee.last.text
    await lee.press("Done")
    # In your words, and what matters: too long, then fine.
    await lee.send("y" * 201)
    assert "keep it to 200 characters (yours had 201)" in lee.last.text
    await lee.send("Fixing bikes")
    await lee.send("z" * 4096)
    assert "keep it to 200 characters" in lee.last.text
    await lee.press("Skip")
    await lee.press("Not now")
    member = await bot.services.members.by_telegram_id(107)
    assert member is not None
    assert (member.display_name, member.offers_text, member.status) == (
        "<b>Lee</b> & co",
        "Fixing bikes",
        Status.ACTIVE,
    )
    # The name is shown as typed, never as markup.
    assert "What would you like to do, <b>Lee</b> & co?" in lee.last.text


async def test_start_twice_never_makes_a_second_member(
    bot: AmserApplication, emulator, config
) -> None:
    mo = emulator.member(108, "Mo")
    await mo.send("/start")
    await mo.press("English")
    consent = mo.last.button("Yes, I agree").callback_data
    await mo.press("Yes, I agree")
    await mo.send("/start")
    assert "What name would you like" in mo.last.text
    await mo.press_data(consent)  # the consent button again, re-delivered
    assert "What name would you like" in mo.last.text
    await mo.send("Mo")
    await mo.press("Canton")
    await mo.press("Done")
    await mo.press("Skip")
    await mo.press("Skip")
    await mo.press("Not now")
    await mo.send("/start")
    assert "What would you like to do, Mo?" in mo.last.text
    with sqlite3.connect(config.database_path) as db:
        assert db.execute("SELECT count(*) FROM members WHERE telegram_id = 108").fetchone() == (1,)


async def test_a_repeated_category_tap_changes_nothing_twice(
    bot: AmserApplication, emulator
) -> None:
    ceri = emulator.member(115, "Ceri")
    await agree_in(ceri, "en")
    await ceri.send("Ceri")
    await ceri.press("Canton")
    gardening = ceri.last.button("Gardening").callback_data
    await ceri.press_data(gardening)
    await ceri.press_data(gardening)  # re-delivered: still on, not toggled off again
    assert "✓ Gardening" in ceri.last.button_texts
    await ceri.press("✓ Gardening")
    assert "Gardening" in ceri.last.button_texts
    member = await bot.services.members.by_telegram_id(115)
    assert member is not None and member.offer_categories == ()


async def test_double_tap_changes_nothing_twice(bot: AmserApplication, emulator) -> None:
    pat = emulator.member(109, "Pat")
    await agree_in(pat, "en")
    await pat.send("Pat")
    canton = pat.last.button("Canton").callback_data
    await pat.press_data(canton)
    await pat.press_data(canton)  # the same press, re-delivered
    assert "That button is from an earlier question" in pat.last.text
    assert "What could you offer" in pat.last.text
    member = await bot.services.members.by_telegram_id(109)
    assert member is not None
    form = await bot.services.forms.of_member(member.id)
    assert form is not None and (form.name, form.step) == ("join", "offers")


async def test_restart_mid_joining_resumes_where_they_were(
    config: Config, clock: FakeClock
) -> None:
    async with BotApiEmulator() as emulator:
        rhys = emulator.member(110, "Rhys")
        async with running_bot(config, emulator, clock) as app:
            await agree_in(rhys, "cy")
            await rhys.send("Rhys")
            assert "Ym mha ardal" in rhys.last.text
            assert not app.services.errors
        async with running_bot(config, emulator, clock) as app:
            await rhys.press("Sblot")  # the button sent before the restart still works
            assert "Beth allech chi ei gynnig" in rhys.last.text
            await rhys.send("/start")
            assert "Croeso nôl" in rhys.last.text
            await rhys.press("Gorffen")
            await rhys.send("Coginio")
            await rhys.press("Hepgor")
            await rhys.press("Dim nawr")
            member = await app.services.members.by_telegram_id(110)
            assert member is not None
            assert (member.status, member.area, member.offers_text) == (
                Status.ACTIVE,
                "splott",
                "Coginio",
            )
            assert not app.services.errors


async def test_approval_keeps_a_member_pending_until_a_coordinator_says_yes(
    config: Config, clock: FakeClock, emulator: BotApiEmulator
) -> None:
    from dataclasses import replace

    async with running_bot(replace(config, require_approval=True), emulator, clock) as app:
        coordinator = emulator.member(ADMIN_ID, "Siân")
        await join(coordinator)  # staff named in the config are not kept waiting
        assert "What would you like to do, Siân?" in coordinator.last.text
        gwen = emulator.member(111, "Gwen")
        await join(gwen, language="cy", categories=("Garddio",))
        assert "Bydd cydlynydd yn edrych ar eich cais" in gwen.last.text
        await gwen.send("/profile")
        assert "Bydd cydlynydd yn edrych ar eich cais" in gwen.last.text
        card = coordinator.last
        assert "Someone would like to join" in card.text and "Name: Gwen" in card.text
        # Gwen cannot approve herself, even with the coordinator's button data.
        approve = card.button("Approve").callback_data
        await gwen.press_data(approve)
        member = await app.services.members.by_telegram_id(111)
        assert member is not None and member.status is Status.PENDING
        await coordinator.send("/pending")
        assert coordinator.messages[-2].text == "1 person is waiting to join."
        assert "Name: Gwen" in coordinator.last.text
        await coordinator.press_data(approve, card.message_id)
        assert card.text == "✅ Gwen is now a member."
        assert "Croeso i Amser Test, Gwen!" in gwen.messages[-2].text
        assert "Beth hoffech chi ei wneud, Gwen?" in gwen.last.text
        await coordinator.press_data(approve, card.message_id)  # a double tap
        assert card.text == "This has already been dealt with. Thank you!"
        assert sum("Croeso i Amser Test, Gwen!" in text for text in texts(gwen)) == 1
        member = await app.services.members.by_telegram_id(111)
        assert member is not None and member.status is Status.ACTIVE
        assert not app.services.errors


async def test_declined_applicant_is_told_kindly_and_erased(config, clock, emulator) -> None:
    from dataclasses import replace

    async with running_bot(replace(config, require_approval=True), emulator, clock) as app:
        coordinator = emulator.member(ADMIN_ID, "Siân")
        await join(coordinator)
        dai = emulator.member(112, "Dai")
        await join(dai)
        await coordinator.press("Decline")
        assert "wasn't able to approve your membership" in dai.last.text
        assert await app.services.members.by_telegram_id(112) is None
        assert not app.services.errors


async def test_forged_and_malformed_callbacks_are_refused(bot: AmserApplication, emulator) -> None:
    ann = emulator.member(113, "Ann")
    bob = emulator.member(114, "Bob")
    await agree_in(ann, "en")
    await ann.send("Ann")
    await bob.send("/start")
    # Bob replays Ann's area button, and sends rubbish.
    for data in [
        ann.last.button("Canton").callback_data,
        "st:area:set:canton",
        "garbage",
        "ob:agree~AAAAAAAAAA",
    ]:
        await bob.press_data(data)
        answer = emulator.calls_to("answerCallbackQuery")[-1]
        assert "doesn't work any more" in answer.params["text"]
    assert await bot.services.members.by_telegram_id(114) is None
    member = await bot.services.members.by_telegram_id(113)
    assert member is not None and member.area is None
    assert bob.unanswered_callbacks == []


async def test_a_member_command_while_joining_resumes_the_join_form(
    bot: AmserApplication, emulator
) -> None:
    """Once an AssertionError: /browse by a member part-way through joining."""
    ffion = emulator.member(116, "Ffion")
    await agree_in(ffion, "cy")
    await ffion.send("Ffion")
    for command in ("/browse", "/balance", "/offer", "/log", "/profile"):
        await ffion.send(command)
        assert "Gadewch i ni orffen ymuno yn gyntaf" in ffion.last.text, command
        assert "Ym mha ardal" in ffion.last.text, command
    # Someone who joined before forms, with no question kept: the first question, no error.
    member = await bot.services.members.by_telegram_id(116)
    assert member is not None
    form = await bot.services.forms.of_member(member.id)
    assert form is not None
    await bot.services.forms.discard(form.id)
    await ffion.send("/browse")
    assert "Gadewch i ni orffen ymuno yn gyntaf" in ffion.last.text
    assert "Pa enw hoffech chi" in ffion.last.text
    await ffion.press("Defnyddio “Ffion”")
    assert "Ym mha ardal" in ffion.last.text


async def test_a_member_migrated_part_way_carries_on_from_their_question(
    bot: AmserApplication, emulator
) -> None:
    """storage/migrations/0009 keeps a joining member's question, with no steps marked seen."""
    owen = emulator.member(117, "Owen")
    await agree_in(owen, "en")
    await owen.send("Owen")
    await owen.press("Canton")
    member = await bot.services.members.by_telegram_id(117)
    assert member is not None
    now = bot.services.clock.now()
    await bot.services.forms.start(member.id, "join", "offers", {}, now)
    await owen.send("/start")
    assert "Welcome back" in owen.last.text and "What could you offer" in owen.last.text
    await owen.press("Done")
    assert "in your own words" in owen.last.text
    await owen.press("Back")
    assert "What could you offer" in owen.last.text
