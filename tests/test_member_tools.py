"""A member's own tools, end to end: /profile, /language, /help, /privacy, /mydata, /forget."""

from __future__ import annotations

import json
import sqlite3
import typing
from datetime import timedelta
from enum import Enum

import pytest

from bot.config import Config
from bot.domain.membership import Status
from bot.emulator import BotApiEmulator
from bot.runtime.context import AmserApplication
from handlers import admin, details, language, menu, privacy, profile
from handlers.buttons import ButtonData
from handlers.joining import start as joining_start
from tests.conftest import ADMIN_ID, AMBASSADOR_ID
from tests.helpers import join


def every_cell(db: sqlite3.Connection) -> list[object]:
    """Every value stored in every table (a text dump would also match random hex in blobs)."""
    tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return [
        cell for table in tables for row in db.execute(f'SELECT * FROM "{table}"') for cell in row
    ]


async def test_profile_shows_and_edits_every_detail(bot: AmserApplication, emulator) -> None:
    nia = emulator.member(201, "Nia")
    await join(nia, categories=("Gardening",))
    await nia.send("/profile")
    assert "Name: Nia" in nia.last.text and "Area: Canton" in nia.last.text
    assert "You could offer: Gardening" in nia.last.text
    profile = nia.last
    await nia.press("Name")
    await nia.send("Nia Wyn")
    assert "Name: Nia Wyn" in nia.last.text
    await nia.press("Area")
    await nia.press("Back")  # leaves it as it was
    assert "Area: Canton" in nia.last.text
    await nia.press("Area")
    await nia.press("Grangetown")
    assert "Area: Grangetown" in nia.last.text
    await nia.press("What I offer")
    await nia.press("Cooking and baking")
    await nia.press("Done")
    assert "You could offer: Gardening, Cooking and baking" in nia.last.text
    await nia.press("In my words")
    await nia.send("Bara brith & <cakes>")
    assert "In your words: Bara brith & <cakes>" in nia.last.text
    await nia.press("In my words")
    assert "Now: Bara brith & <cakes>" in nia.last.text
    await nia.press("Remove it")
    assert "In your words: —" in nia.last.text
    await nia.press("What matters")
    await nia.send("q" * 300)
    assert "keep it to 200 characters" in nia.last.text
    await nia.send("/cancel")
    assert "No changes made." in nia.last.text
    await nia.press("Back to the menu")
    assert "What would you like to do, Nia Wyn?" in nia.last.text
    member = await bot.services.members.by_telegram_id(201)
    assert member is not None
    assert (
        member.display_name,
        member.area,
        member.offers_text,
        member.what_matters,
    ) == ("Nia Wyn", "grangetown", None, None)
    assert member.offer_categories == ("cooking", "gardening")
    assert profile.message_id < nia.last.message_id


async def test_language_switches_at_once_menus_included(bot: AmserApplication, emulator) -> None:
    ifan = emulator.member(202, "Ifan")
    await join(ifan)
    await ifan.send("/language")
    await ifan.press("Cymraeg")
    assert "byddaf yn siarad Cymraeg â chi" in ifan.messages[-2].text
    assert "Beth hoffech chi ei wneud, Ifan?" in ifan.last.text
    assert {"command": "privacy", "description": "Beth sydd gennym amdanoch chi, a pham"} in (
        emulator.commands({"type": "chat", "chat_id": 202})
    )
    await ifan.press("Cymraeg / English")
    await ifan.press("English")
    assert "I'll speak English with you" in ifan.messages[-2].text
    member = await bot.services.members.by_telegram_id(202)
    assert member is not None and member.language == "en"


async def test_language_mid_joining_asks_the_same_question_again(bot, emulator) -> None:
    cai = emulator.member(203, "Cai")
    await join(cai)  # no: half-way
    await cai.send("/language")
    await cai.press("Cymraeg")
    member = await bot.services.members.by_telegram_id(203)
    assert member is not None and member.language == "cy"


async def test_help_differs_by_role_and_staff_get_their_menu(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    member, admin, ambassador = (
        emulator.member(204, "Meg"),
        emulator.member(ADMIN_ID, "Siân"),
        emulator.member(AMBASSADOR_ID, "Huw"),
    )
    for person in (member, admin, ambassador):
        await join(person)
        await person.send("/help")
    assert "/pending" not in member.last.text and "/profile" in member.last.text
    assert "/pending — New members waiting to join" in admin.last.text
    assert "You're a coordinator" in admin.last.text
    assert "You're a community ambassador" in ambassador.last.text
    admin_menu = [c["command"] for c in emulator.commands({"type": "chat", "chat_id": ADMIN_ID})]
    member_menu = [c["command"] for c in emulator.commands({"type": "chat", "chat_id": 204})]
    assert "pending" in admin_menu and "pending" not in member_menu
    default_en = [c["command"] for c in emulator.commands()]
    default_cy = emulator.commands(language_code="cy")
    assert "pending" not in default_en and "start" in default_en
    assert {"command": "help", "description": "Beth allwch chi ei wneud yma"} in default_cy
    await member.send("/pending")
    assert "this is for coordinators" in member.last.text


async def test_admin_menu_is_restored_at_start_up(config: Config, clock, emulator) -> None:
    from bot.runtime.harness import running_bot

    admin = emulator.member(ADMIN_ID, "Siân")
    async with running_bot(config, emulator, clock):
        await join(admin, language="cy")
    emulator_calls_before = len(emulator.calls_to("setMyCommands"))
    async with running_bot(config, emulator, clock):
        pass
    restored = [
        call
        for call in emulator.calls_to("setMyCommands")[emulator_calls_before:]
        if call.params.get("scope", {}).get("chat_id") == ADMIN_ID
    ]
    assert restored and any(c["command"] == "pending" for c in restored[-1].params["commands"])


async def test_privacy_explains_what_is_held(bot, emulator) -> None:
    stranger = emulator.member(205, "Sol")
    await stranger.send("/privacy")
    assert "Right now we hold nothing about you." in stranger.last.text
    await join(stranger)
    await stranger.send("/privacy")
    assert "Your privacy" in stranger.last.text
    assert stranger.last.button_texts == [
        "📄 Send me my data",
        "🌱 Wellbeing questions",
        "🗑 Erase my details",
        "« Back to the menu",
    ]


async def test_mydata_sends_everything_held(bot: AmserApplication, emulator) -> None:
    lowri = emulator.member(206, "Lowri")
    await join(lowri, language="cy", categories=("Garddio",))
    await lowri.send("/profile")
    await lowri.press("Beth sy'n bwysig")
    await lowri.send("Cwmni")
    await lowri.send("/mydata")
    document = lowri.last.document
    assert document is not None and document.filename == "amser-my-data.json"
    assert lowri.last.text == "Dyma bopeth sydd gennym amdanoch chi."
    data = json.loads(document.content)
    record = data["member"]
    assert record["telegram_id"] == 206 and record["display_name"] == "Lowri"
    assert record["language"] == "cy" and record["area"] == "canton"
    assert record["offer_categories"] == ["gardening"] and record["what_matters"] == "Cwmni"
    assert record["status"] == "active" and record["consent_at"]
    assert data["role"] == "member" and "area" in data["why_we_hold_it"]


async def test_mydata_part_way_through_joining_includes_the_reminder(bot, emulator) -> None:
    await (dee := emulator.member(207, "Dee")).send("/start")
    await dee.press("English")
    await dee.press("Yes, I agree")
    await dee.send("/mydata")
    data = json.loads(dee.last.document.content)
    assert data["member"]["status"] == "joining"
    assert [item["kind"] for item in data["scheduled_messages"]] == ["onboarding_reminder"]


async def test_forget_leaves_nothing_that_identifies_the_member(
    bot: AmserApplication, emulator, config: Config
) -> None:
    gareth = emulator.member(208, "Gareth")
    await join(gareth, name="Gareth Unique", categories=("Gardening",))
    await gareth.send("/profile")
    await gareth.press("In my words")
    await gareth.send("Secret-skill-xyzzy")
    await gareth.send("/forget")
    assert "Erase your details?" in gareth.last.text
    await gareth.press("No, keep me")
    assert await bot.services.members.by_telegram_id(208) is not None
    await gareth.send("/forget")
    erase = gareth.last.button("Yes, erase my details").callback_data
    await gareth.press_data(erase)
    assert "Your details have been erased" in gareth.last.text
    await gareth.press_data(erase)  # a double tap: nothing more happens, nothing breaks
    assert await bot.services.members.by_telegram_id(208) is None
    # Nothing in the whole database mentions him any more; one anonymous row remains.
    with sqlite3.connect(config.database_path) as db:
        cells = every_cell(db)
        rows = db.execute("SELECT status, telegram_id, display_name FROM members").fetchall()
    assert 208 not in cells
    for trace in ("Gareth", "xyzzy"):
        assert not any(isinstance(cell, str) and trace in cell for cell in cells), trace
    assert rows == [("erased", None, None)]
    assert emulator.commands({"type": "chat", "chat_id": 208}) == []
    await gareth.send("/start")  # welcome back as a newcomer
    assert "Which language would you like?" in gareth.last.text


async def test_forget_before_joining_holds_nothing(bot, emulator) -> None:
    await (eve := emulator.member(209, "Eve")).send("/forget")
    assert "We don't hold anything about you" in eve.last.text
    await eve.send("/mydata")
    assert "We don't hold anything about you" in eve.last.text


UNEXPECTED = {
    "en": "I wasn't expecting a message just now, so I haven't done anything with it.",
    "cy": "Doeddwn i ddim yn disgwyl neges ar hyn o bryd, felly dw i heb wneud dim byd â hi.",
}
MENU = {"en": "What would you like to do, Fay?", "cy": "Beth hoffech chi ei wneud, Fay?"}


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_text_outside_any_form_is_not_expected_and_changes_nothing(
    bot: AmserApplication, emulator, config: Config, language: str
) -> None:
    await join(fay := emulator.member(210, "Fay"), language=language)
    with sqlite3.connect(config.database_path) as db:
        before = every_cell(db)
    for send in (fay.send("I helped her"), fay.send("Ydy"), fay.send_sticker()):
        await send
        assert UNEXPECTED[language] in fay.last.text
        assert MENU[language] in fay.last.text and len(fay.last.button_texts) >= 10
    with sqlite3.connect(config.database_path) as db:
        assert every_cell(db) == before
    member = await bot.services.members.by_telegram_id(210)
    assert member is not None and member.status is Status.ACTIVE
    form = await bot.services.forms.of_member(member.id)
    assert form is not None and form.finished  # joining's, kept to answer a repeated press
    # A finished form is no form either: its text goes nowhere.
    await fay.send("/profile")
    await fay.press("Enw" if language == "cy" else "Name")
    await fay.send("Fay Wyn")
    await fay.send("Fay again")
    assert UNEXPECTED[language] in fay.last.text
    assert (await bot.services.members.by_telegram_id(210)).display_name == "Fay Wyn"


async def test_cancel_with_nothing_to_cancel_shows_the_menu(bot, emulator) -> None:
    await join(fay := emulator.member(210, "Fay"))
    await fay.send("/cancel")
    assert "There's nothing to cancel." in fay.last.text
    assert "What would you like to do, Fay?" in fay.last.text


async def _with_listing_intro_blocks_and_credits(bot: AmserApplication, emulator) -> list[int]:
    """Ann (301) offers gardening, is introduced over Bob's request, blocks Carl; Bob blocks her."""
    people = [
        emulator.member(301, "Ann"),
        emulator.member(302, "Bob"),
        emulator.member(303, "Carl"),
    ]
    for person in people:
        await join(person)
    services, now = bot.services, bot.services.clock.now()
    ann, bob, carl = [(await services.members.by_telegram_id(p.user_id)).id for p in people]
    later = now + timedelta(days=30)
    await services.listings.create(
        ann, "offer", "gardening", "Secret-offer-qq", "d", "canton", None, now, later
    )
    request = await services.listings.create(
        bob, "request", "gardening", "Hedge", "d", "canton", None, now, later
    )
    await services.introductions.create(request.id, bob, ann, now)
    await services.blocks.block(ann, carl, now)
    await services.blocks.block(bob, ann, now)
    await services.ledger.give_starter_credits(ann, 120, now)
    return [ann, bob, carl]


async def test_mydata_holds_listings_introductions_blocks_and_credits(bot, emulator) -> None:
    ann, bob, carl = await _with_listing_intro_blocks_and_credits(bot, emulator)
    await emulator.member(301, "Ann").send("/mydata")
    data = json.loads(emulator.member(301, "Ann").last.document.content)
    assert [row["title"] for row in data["listings"]] == ["Secret-offer-qq"]
    assert [(row["owner_id"], row["responder_id"]) for row in data["introductions"]] == [(bob, ann)]
    # The blocks she made, never the one made against her.
    assert [(row["blocker_id"], row["blocked_id"]) for row in data["blocks"]] == [(ann, carl)]
    assert [row["amount"] for row in data["transfers"]] == [120]
    assert [row["member_id"] for row in data["accounts"]] == [ann]
    assert "last_active_at" in data["member"] and "safety_advice_at" in data["member"]


async def test_forget_removes_listings_introductions_and_blocks(bot, emulator, config) -> None:
    ann, _bob, _carl = await _with_listing_intro_blocks_and_credits(bot, emulator)
    await bot.services.members.erase(ann, bot.services.clock.now())
    with sqlite3.connect(config.database_path) as db:
        cells = every_cell(db)
        assert db.execute(
            "SELECT count(*) FROM blocks WHERE ? IN (blocker_id, blocked_id)", (ann,)
        ).fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM introductions").fetchone() == (0,)
        # Her credits stay, anonymous, so every balance still adds up.
        assert db.execute("SELECT amount FROM transfers").fetchall() == [(120,)]
    assert 301 not in cells
    assert not any(isinstance(cell, str) and "Secret-offer-qq" in cell for cell in cells)


def _sample(kind: type[ButtonData]) -> ButtonData:
    """A well-formed press of this kind, whatever its fields."""
    values: dict[str, object] = {}
    for name, hint in typing.get_type_hints(kind).items():
        if name == "prefix":
            continue
        if isinstance(hint, type) and issubclass(hint, Enum):
            values[name] = next(iter(hint))
        else:
            values[name] = {int: 1, str: "canton", bool: True}[hint]
    return kind(**values)


OUR_KINDS = [
    kind
    for module in (joining_start, details, profile, language, menu, privacy, admin)
    for kind in vars(module).values()
    if isinstance(kind, type)
    and issubclass(kind, ButtonData)
    and kind.__module__ == module.__name__
    and "prefix" in kind.__dict__
]


@pytest.mark.parametrize("kind", OUR_KINDS, ids=lambda kind: kind.prefix)
async def test_a_forged_or_malformed_press_of_each_button_is_refused(
    bot: AmserApplication, emulator, kind: type[ButtonData]
) -> None:
    await join(ivy := emulator.member(211, "Ivy"))
    before = await bot.services.members.by_telegram_id(211)
    parts = _sample(kind).parts()
    forged = bot.services.callbacks.sign(212, *parts)  # signed for someone else
    malformed = bot.services.callbacks.sign(211, *parts, "extra")
    for data in (forged, malformed):
        await ivy.press_data(data)
        answer = emulator.calls_to("answerCallbackQuery")[-1]
        assert "doesn't work any more" in answer.params["text"]
    assert await bot.services.members.by_telegram_id(211) == before


def test_the_buttons_are_all_found() -> None:
    assert len(OUR_KINDS) > 25 and details.PickArea in OUR_KINDS
