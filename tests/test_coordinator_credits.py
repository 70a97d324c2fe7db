"""Coordinators' credit tools end to end: /grant, /record and /reverse, in Welsh and English.

Siân coordinates in Welsh and Rob in English; the members speak one or the other. Buttons are
pressed by their label, or by what they do (their signed data) where that reads better.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import Config
from bot.domain.membership import Status
from bot.emulator import BotApiEmulator, SimulatedMember
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from bot.runtime.harness import running_bot
from handlers.credit_common import today
from storage.forms import FormRow
from storage.ledger import Account
from tests.conftest import ADMIN_ID, AMBASSADOR_ID, SCRIPTED_BURST
from tests.helpers import audit_actions, join, joined, member_of, signed, tap

ROB_ID = 9003  # a second coordinator, who speaks English
HOUR = 60


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return Config(
        database_path=tmp_path / "amser.db",
        community_name="Amser Test",
        admins=frozenset({ADMIN_ID, ROB_ID}),
        ambassadors=frozenset({AMBASSADOR_ID}),
        member_burst=SCRIPTED_BURST,
    )


@pytest.fixture
async def generous(
    config: Config, emulator: BotApiEmulator, clock: FakeClock
) -> AsyncIterator[AmserApplication]:
    """The bot where ambassadors may grant credits too."""
    async with running_bot(replace(config, ambassadors_may_grant=True), emulator, clock) as app:
        yield app
        assert not list(app.services.errors)


async def fill_pot(app: AmserApplication, person: SimulatedMember, minutes: int) -> None:
    """A member gives credits to the community pot."""
    member = await member_of(app, person)
    now = app.services.clock.now()
    await app.services.ledger.donate(f"seed:{member.id}:{minutes}", member.id, minutes, now)


async def exchange(
    app: AmserApplication, helper: SimulatedMember, helped: SimulatedMember, minutes: int, key: str
) -> int:
    """A confirmed exchange between two members, as if recorded earlier."""
    services = app.services
    made = await services.ledger.record_exchange(
        key=key,
        by_coordinator_id=(await member_of(app, helper)).id,
        helped_id=(await member_of(app, helped)).id,
        helper_id=(await member_of(app, helper)).id,
        minutes=minutes,
        happened_on=today(services) - timedelta(days=2),
        now=services.clock.now(),
    )
    return made.transfer.id


async def transfers(app: AmserApplication, kind: str) -> list[tuple]:
    rows = await app.services.db.fetch_all(
        "SELECT amount, state, reason, note, created_by FROM transfers WHERE kind = ? ORDER BY id",
        (kind,),
    )
    return [tuple(row) for row in rows]


async def form_of(app: AmserApplication, person: SimulatedMember) -> FormRow | None:
    """The form the member is in the middle of, if any (a finished one does not count)."""
    form = await app.services.forms.of_member((await member_of(app, person)).id)
    return form if form is not None and not form.finished else None


async def form_id(app: AmserApplication, person: SimulatedMember, name: str) -> int:
    form = await form_of(app, person)
    assert form is not None and form.name == name
    return form.id


async def balance(app: AmserApplication, person: SimulatedMember) -> int:
    return await app.services.ledger.balance((await member_of(app, person)).id)


async def adds_up(app: AmserApplication) -> None:
    assert await app.services.ledger.check_invariants() == []


def saying(person: SimulatedMember, words: str) -> list[str]:
    return [message.text for message in person.messages if words in message.text]


# --- /grant ----------------------------------------------------------------------------------


async def test_a_welsh_coordinator_grants_to_an_english_member_once(
    bot: AmserApplication, emulator
) -> None:
    sian = await joined(emulator, ADMIN_ID, "Siân", language="cy")
    tom = await joined(emulator, 401, "Tom")
    dai = await joined(emulator, 402, "Dai")
    await fill_pot(bot, dai, 5 * HOUR)
    await sian.send("/grant")
    assert "Mae 5 awr yn y gronfa." in sian.last.text
    await sian.send("Siân")
    assert "Chi yw hwnna!" in sian.last.text  # nobody grants to themselves
    await sian.send("to")
    await sian.press("Tom")
    assert "Faint hoffech chi ei roi i Tom?" in sian.last.text
    # A made-up Grant button before a reason is given asks for the reason: it is required.
    send = signed(bot, sian, "cr", "send", await form_id(bot, sian, "grant"))
    await sian.press_data(send)
    assert "Mae'r botwm yna o gwestiwn cynharach" in sian.last.text
    assert "Faint hoffech chi ei roi i Tom?" in sian.last.text  # no amount yet: asked for that
    await sian.press("2")
    await sian.press_data(send)
    assert "Pam rydych chi'n rhoi 2 awr i Tom?" in sian.last.text
    assert await transfers(bot, "grant") == []
    await sian.send("x" * 301)
    assert "300" in sian.last.text and "Pam rydych chi'n rhoi" in sian.last.text
    await sian.send_sticker()
    assert "Pam rydych chi'n rhoi" in sian.last.text
    await sian.send("Croeso i'r banc amser <3")
    review = sian.last
    assert "2 awr o'r gronfa gymunedol i Tom, heddiw." in review.text
    assert "Rheswm: Croeso i'r banc amser <3" in review.text
    await sian.send("iawn")  # typed words on a screen of buttons
    assert "Dewiswch o'r botymau isod" in sian.last.text
    grant = sian.last.button("Rhoi").callback_data
    await sian.press("Rhoi")
    assert "mae Tom wedi cael 2 awr o'r gronfa gymunedol" in sian.last.text
    assert "Mae 3 awr yn y gronfa nawr." in sian.last.text
    assert "Rydw i wedi rhoi gwybod i Tom." in sian.last.text
    notice = tom.last.text
    assert "Siân has given you 2 hours from the community pot." in notice
    assert "Reason: Croeso i'r banc amser <3" in notice and "Your balance: 2 hours" in notice
    assert "banc amser &lt;3" in (tom.last.html or "")
    told = len(tom.messages)
    await sian.press_data(grant, sian.last.message_id)  # a double tap
    assert "Mae hyn wedi cael sylw yn barod" in sian.last.text
    await sian.press_data(grant)  # and the same press re-delivered later
    assert len(tom.messages) == told
    coordinator = await member_of(bot, sian)
    assert await transfers(bot, "grant") == [
        (120, "confirmed", "Croeso i'r banc amser <3", None, coordinator.id)
    ]
    assert await balance(bot, tom) == 120
    assert (await bot.services.ledger.pot()).balance == 180
    await adds_up(bot)


async def test_an_empty_or_drained_pot_is_refused_kindly(bot: AmserApplication, emulator) -> None:
    rob = await joined(emulator, ROB_ID, "Rob")
    eleri = await joined(emulator, 403, "Eleri", language="cy")
    dai = await joined(emulator, 404, "Dai")
    await rob.send("/grant")
    assert "The community pot is empty at the moment" in rob.last.text
    assert await form_of(bot, rob) is None
    await fill_pot(bot, dai, HOUR)
    await rob.send("/grant")
    await rob.send("eleri")
    await rob.press("Eleri")
    assert "The community pot holds 1 hour." in rob.last.text
    assert "1¼" not in rob.last.button_texts  # only what the pot holds is offered
    await rob.send("2")
    assert "The community pot holds 1 hour, so please choose that much or less." in rob.last.text
    await rob.send("1")
    await rob.send("Help through the winter")
    assert "Please check:" in rob.last.text
    # Meanwhile another grant empties the pot: this one is refused, nothing moves.
    services = bot.services
    await services.ledger.grant(
        "elsewhere", (await member_of(bot, rob)).id, (await member_of(bot, dai)).id, HOUR, "r",
        services.clock.now(), pot_floor=0,
    )  # fmt: skip
    before = len(eleri.messages)
    await rob.press("Grant")
    assert "The community pot holds 0 hours now, which isn't enough" in rob.last.text
    assert "How much would you like to give Eleri?" in rob.last.text
    assert await balance(bot, eleri) == 0 and len(eleri.messages) == before
    assert [row[0] for row in await transfers(bot, "grant")] == [HOUR]
    assert (await services.ledger.pot()).balance == 0
    await adds_up(bot)


async def test_only_coordinators_may_grant(bot: AmserApplication, emulator) -> None:
    sian = await joined(emulator, ADMIN_ID, "Siân", language="cy")
    tom = await joined(emulator, 405, "Tom")
    amb = await joined(emulator, AMBASSADOR_ID, "Alys", language="cy")
    await fill_pot(bot, tom, 2 * HOUR)
    await tom.send("/grant")
    assert "Sorry, this is for coordinators." in tom.last.text
    await amb.send("/grant")  # ambassadors only when the config allows
    assert "ar gyfer cydlynwyr" in amb.last.text
    await sian.send("/grant")
    await sian.send("tom")
    await sian.press("Tom")
    grant_id = await form_id(bot, sian, "grant")
    tom_id = (await member_of(bot, tom)).id
    # Tom cannot use Siân's buttons, nor make his own: the signature, the form's owner and
    # the role are checked on arrival.
    told = len(tom.messages)
    await tom.press_data(signed(bot, sian, "cr", "amt", grant_id, 60))
    assert len(tom.messages) == told  # refused before anything is said or done
    await tom.press_data(signed(bot, tom, "cr", "amt", grant_id, 60))
    assert any("That form has closed." in message.text for message in tom.messages)
    await amb.press_data(signed(bot, amb, "cr", "who", grant_id, tom_id))
    assert any("Mae'r ffurflen honno wedi cau." in message.text for message in amb.messages)
    form = await form_of(bot, sian)
    assert form is not None and form.step == "amount" and form.answers["minutes"] is None
    # An ambassador who starts a form of their own is refused by role, on every press.
    await amb.send("/grant")
    assert "ar gyfer cydlynwyr" in amb.last.text and await form_of(bot, amb) is None
    # Another coordinator's form is not Rob's to send, even with his own signature.
    rob = await joined(emulator, ROB_ID, "Rob")
    await rob.press_data(signed(bot, rob, "cr", "send", grant_id))
    assert "That form has closed." in rob.last.text
    assert await transfers(bot, "grant") == []
    await adds_up(bot)


async def test_a_coordinator_must_have_joined(config, clock, emulator) -> None:
    async with running_bot(config, emulator, clock) as app:
        rob = emulator.member(ROB_ID, "Rob")
        await rob.send("/record")
        assert "Please finish joining first with /start" in rob.last.text
        assert not app.services.errors


async def test_ambassadors_grant_when_the_config_allows(generous: AmserApplication, emulator):
    alys = await joined(emulator, AMBASSADOR_ID, "Alys", language="cy")
    gwen = await joined(emulator, 406, "Gwen", language="cy")
    await fill_pot(generous, alys, 3 * HOUR)
    await alys.send("/grant")
    await alys.send("gwen")
    await alys.press("Gwen")
    await alys.press("1½")
    await alys.send("Yn gaeth i'r tŷ")
    await alys.press("Rhoi")
    assert "Mae Alys wedi rhoi 1½ awr i chi o'r gronfa gymunedol." in gwen.last.text
    assert "Rheswm: Yn gaeth i'r tŷ" in gwen.last.text and "Eich balans: 1½ awr" in gwen.last.text
    assert await balance(generous, gwen) == 90
    await adds_up(generous)


async def test_a_member_suspended_mid_form_is_not_granted(bot: AmserApplication, emulator) -> None:
    rob = await joined(emulator, ROB_ID, "Rob")
    tom = await joined(emulator, 407, "Tom")
    await fill_pot(bot, rob, 2 * HOUR)
    await rob.send("/grant")
    await rob.send("Tom")
    await rob.press("Tom")
    await rob.press("1")
    await rob.send("Starting out")
    services = bot.services
    member = await member_of(bot, tom)
    assert await services.members.set_status_if(
        member.id, Status.ACTIVE, Status.SUSPENDED, services.clock.now()
    )
    await rob.press("Grant")
    assert "Sorry, Tom isn't an active member at the moment" in rob.last.text
    assert await transfers(bot, "grant") == []
    await rob.send("Tom")  # suspended members can't be found
    assert "I couldn't find an active member whose name has “Tom” in it" in rob.last.text
    await rob.press("Cancel")
    assert rob.last.text == "Okay, nothing was changed."
    assert await form_of(bot, rob) is None
    await adds_up(bot)


# --- /grant from an organisation -------------------------------------------------------------

ORGANISATIONS = ("Canton Library", "Splott Hub & Café")


@pytest.fixture
async def with_organisations(
    config: Config, emulator: BotApiEmulator, clock: FakeClock
) -> AsyncIterator[AmserApplication]:
    """The bot with two organisations that give Spice-style credits."""
    async with running_bot(replace(config, organisations=ORGANISATIONS), emulator, clock) as app:
        yield app
        assert not list(app.services.errors)


async def organisation_balance(app: AmserApplication, name: str) -> int:
    return (await app.services.ledger.organisation(name, app.services.clock.now())).balance


async def test_a_welsh_coordinator_grants_from_an_organisation_once(
    with_organisations: AmserApplication, emulator
) -> None:
    app = with_organisations
    sian = await joined(emulator, ADMIN_ID, "Siân", language="cy")
    tom = await joined(emulator, 431, "Tom")
    await sian.send("/grant")  # the pot is empty, but organisations can still give
    assert "O ble mae'r credydau'n dod" in sian.last.text
    assert "Mae 0 awr yn y gronfa gymunedol." in sian.last.text
    assert sian.last.button_texts == ["🫙 Y gronfa gymunedol", *ORGANISATIONS, "Canslo"]
    await sian.press("🫙 Y gronfa gymunedol")
    assert "Mae'r gronfa gymunedol yn wag ar hyn o bryd" in sian.last.text
    await sian.send("Tom")  # typed words on a screen of buttons
    assert "Dewiswch o'r botymau isod" in sian.last.text
    grant_id = await form_id(app, sian, "grant")
    for forged in (7, 2, -1):  # re-checked against the config on arrival
        await sian.press_data(signed(app, sian, "gr", "org", grant_id, forged))
        assert "Dydy'r sefydliad hwnnw ddim ar y rhestr bellach." in sian.last.text
    await sian.press_data(signed(app, sian, "gr", "org", grant_id, "x"))  # not a number
    assert "Dydy'r sefydliad hwnnw ddim ar y rhestr bellach." in sian.last.text  # unchanged
    form = await form_of(app, sian)
    assert form is not None and form.step == "source" and "source" not in form.seen
    await sian.press("Splott Hub & Café")
    assert "Rhoi credydau amser ar ran Splott Hub & Café" in sian.last.text
    assert "Splott Hub &amp; Café" in (sian.last.html or "")
    await sian.press("« Yn ôl")  # back from "who" is the question of where from
    assert "O ble mae'r credydau'n dod" in sian.last.text
    await sian.press("Canton Library")
    await sian.send("tom")
    await sian.press("Tom")
    assert "Faint hoffech chi ei roi i Tom ar ran Canton Library?" in sian.last.text
    assert "Hirach »" in sian.last.button_texts  # up to the most one exchange may record
    await sian.send("5")  # more than the empty pot holds
    assert "Pam mae Canton Library yn rhoi 5 awr i Tom?" in sian.last.text
    await sian.send("Gwirfoddoli yn ffair yr haf <3")
    assert "5 awr gan Canton Library i Tom, heddiw." in sian.last.text
    grant = sian.last.button("✅ Rhoi").callback_data
    await sian.press("✅ Rhoi")
    done = sian.last.text
    assert "mae Tom wedi cael 5 awr gan Canton Library" in done
    assert "Mae Canton Library wedi rhoi 5 awr i gyd." in done
    assert "Rydw i wedi rhoi gwybod i Tom." in done
    notice = tom.last
    assert (
        "Canton Library has given you 5 hours of time credits: Gwirfoddoli yn ffair yr haf <3"
        in notice.text
    )
    assert "Recorded by Siân." in notice.text and "Your balance: 5 hours" in notice.text
    assert "ffair yr haf &lt;3" in (notice.html or "")
    told = len(tom.messages)
    await sian.press_data(grant, sian.last.message_id)  # a double tap
    assert "Mae hyn wedi cael sylw yn barod" in sian.last.text
    await sian.press_data(grant)  # and the same press re-delivered later
    assert len(tom.messages) == told
    coordinator = await member_of(app, sian)
    assert await transfers(app, "organisation") == [
        (300, "confirmed", "Gwirfoddoli yn ffair yr haf <3", None, coordinator.id)
    ]
    assert await balance(app, tom) == 300
    assert await organisation_balance(app, "Canton Library") == -300
    assert (await app.services.ledger.pot()).balance == 0
    await tom.send("/history")
    assert "Today: +5 hours from Canton Library" in tom.last.text
    await adds_up(app)


async def test_an_organisations_grant_survives_a_restart_but_not_leaving_the_config(
    config: Config, clock: FakeClock
) -> None:
    configured = replace(config, organisations=ORGANISATIONS)
    async with BotApiEmulator() as emulator:
        rob = emulator.member(ROB_ID, "Rob")
        eleri = emulator.member(432, "Eleri")
        async with running_bot(configured, emulator, clock) as app:
            await join(rob)
            await join(eleri, language="cy")
            await rob.send("/grant")
            assert "Where do the credits come from" in rob.last.text
            await rob.press("Splott Hub & Café")
            assert not app.services.errors
        async with running_bot(configured, emulator, clock) as app:
            await rob.send("eleri")
            await rob.press("Eleri")
            assert "How much would you like to give Eleri from Splott Hub & Café?" in rob.last.text
            await rob.press("1½")
            await rob.send("Helping at the café")
            assert "1½ hours from Splott Hub & Café to Eleri, today." in rob.last.text
            await rob.press("✅ Grant")
            assert "✅ Done: Eleri has been given 1½ hours from Splott Hub & Café." in rob.last.text
            notice = eleri.last
            assert (
                "Mae Splott Hub & Café wedi rhoi 1½ awr o gredydau amser i chi: Helping at the café"
                in notice.text
            )
            assert "Wedi'i gofnodi gan Rob." in notice.text and "Eich balans: 1½ awr" in notice.text
            assert "Splott Hub &amp; Café" in (notice.html or "")
            await eleri.send("/history")
            assert "Heddiw: +1½ awr gan Splott Hub & Café" in eleri.last.text
            # The next form gets as far as the review, then the café leaves the config.
            await rob.send("/grant")
            await rob.press("Splott Hub & Café")
            await rob.send("eleri")
            await rob.press("Eleri")
            await rob.press("1")
            await rob.send("Again")
            assert not app.services.errors
        async with running_bot(
            replace(config, organisations=ORGANISATIONS[:1]), emulator, clock
        ) as app:
            told = len(eleri.messages)
            await rob.press("✅ Grant")
            assert "Splott Hub & Café isn't one of this time bank's organisations any more" in (
                rob.last.text
            )
            assert len(eleri.messages) == told
            assert await balance(app, eleri) == 90
            assert await organisation_balance(app, "Splott Hub & Café") == -90
            assert await form_of(app, rob) is None
            await rob.send("/grant")
            assert rob.last.button_texts == ["🫙 The community pot", "Canton Library", "Cancel"]
            await adds_up(app)
            assert not app.services.errors


async def test_without_organisations_grant_asks_who_first(bot: AmserApplication, emulator) -> None:
    rob = await joined(emulator, ROB_ID, "Rob")
    await fill_pot(bot, rob, HOUR)
    await rob.send("/grant")
    assert "Who would you like to give credits to?" in rob.last.text
    assert "Give credits from the community pot" in rob.last.text
    assert rob.last.button_texts == ["Cancel"]
    grant_id = await form_id(bot, rob, "grant")
    await rob.press_data(signed(bot, rob, "gr", "org", grant_id, 0))  # no such question
    assert "That button is from an earlier question" in rob.last.text
    assert "Who would you like to give credits to?" in rob.last.text
    form = await form_of(bot, rob)
    assert form is not None and form.step == "member" and form.answers["organisation"] is None


# --- /record ---------------------------------------------------------------------------------


async def test_record_for_a_member_not_on_telegram(bot: AmserApplication, emulator) -> None:
    rob = await joined(emulator, ROB_ID, "Rob")
    eleri = await joined(emulator, 408, "Eleri", language="cy")
    await rob.send("/record")
    assert "Who gave the help?" in rob.last.text
    await rob.send("Dilys Price")
    assert "I couldn't find an active member" in rob.last.text
    await rob.press("Add “Dilys Price”")
    assert "Who did Dilys Price help?" in rob.last.text
    dilys = (await bot.services.members.find_by_name("dilys"))[0]
    assert (dilys.telegram_id, dilys.status) == (None, Status.ACTIVE)
    record = await form_id(bot, rob, "record")
    await tap(bot, rob, "f", "back", record, "taker")
    await rob.send("dilys")  # she is found now, marked as not on Telegram
    assert rob.last.button_texts[0] == "Dilys Price (not on Telegram)"
    await rob.press("Dilys Price (not on Telegram)")
    # The same person can't be on both sides, even with a made-up button.
    await rob.press_data(signed(bot, rob, "rc", "taker", record, dilys.id))
    assert "two different people" in rob.last.text
    await rob.send("eleri")
    await rob.press("Eleri")
    assert "How long did Dilys Price help Eleri for?" in rob.last.text
    for typed, answer in (
        ("lots", "couldn't read that as a length of time"),
        ("0", "more than nothing"),
        ("13", "The most one exchange can record is 12 hours"),
    ):
        await rob.send(typed)
        assert answer in rob.last.text and "How long did" in rob.last.text
    await rob.send("1½")
    assert "When did Dilys Price help Eleri? Tap a day, or type the date" in rob.last.text
    await rob.send("31/02")
    assert "couldn't read that as a date" in rob.last.text
    await rob.send("25/12/2026")
    assert "That day hasn't come yet" in rob.last.text
    await rob.send("01/01/2020")  # coordinators may record further back than a year
    assert "Would you like to add a note" in rob.last.text
    await rob.press("« Back")
    assert "When did Dilys Price help Eleri?" in rob.last.text
    await rob.send("22/11/2026")
    assert "Would you like to add a note" in rob.last.text
    await rob.send("Shopping at <Tesco>")
    assert "Dilys Price helped Eleri for 1½ hours, Sunday 22 November." in rob.last.text
    recorded = rob.last.button("Record").callback_data
    await rob.press("Record")
    assert "✅ Recorded: Dilys Price helped Eleri" in rob.last.text
    assert "I couldn't reach Dilys Price on Telegram" in rob.last.text
    assert "I've let Eleri know." in rob.last.text
    notice = eleri.last.text
    assert "Mae Rob wedi cofnodi bod Dilys Price wedi'ch helpu chi am 1½ awr" in notice
    assert "Nodyn: Shopping at <Tesco>" in notice and "Eich balans: −1½ awr" in notice
    await rob.press_data(recorded, rob.last.message_id)  # a double tap
    assert len(saying(eleri, "wedi cofnodi")) == 1
    rob_member = await member_of(bot, rob)
    assert await transfers(bot, "recorded") == [
        (90, "confirmed", None, "Shopping at <Tesco>", rob_member.id)
    ]
    assert await bot.services.ledger.balance(dilys.id) == 90
    assert await balance(bot, eleri) == -90
    assert await audit_actions(bot) == ["record"]
    await adds_up(bot)


async def test_a_welsh_coordinator_records_with_the_day_buttons(
    bot: AmserApplication, emulator
) -> None:
    sian = await joined(emulator, ADMIN_ID, "Siân", language="cy")
    tom = await joined(emulator, 409, "Tom")
    gwyn = await joined(emulator, 410, "Gwyn", language="cy")
    await sian.send("/record")
    await sian.send("Zebedee")
    assert "Doeddwn i ddim yn gallu dod o hyd i aelod gweithredol" in sian.last.text
    await sian.send("tom")
    await sian.press("Tom")
    assert "Pwy wnaeth Tom ei helpu?" in sian.last.text
    await sian.send("gwyn")
    await sian.press("Gwyn")
    await sian.press("2")
    await sian.press("Ddoe")
    await sian.press("Hepgor")
    assert "Fe wnaeth Tom helpu Gwyn am 2 awr, ddoe." in sian.last.text
    await sian.press("Cofnodi")
    assert "Rydw i wedi rhoi gwybod i Tom." in sian.last.text
    assert "Siân has recorded that you helped Gwyn for 2 hours, yesterday." in tom.last.text
    assert "Your balance: 2 hours" in tom.last.text
    assert "Mae Siân wedi cofnodi bod Tom wedi'ch helpu chi am 2 awr, ddoe." in gwyn.last.text
    assert "Eich balans: −2 awr" in gwyn.last.text
    await adds_up(bot)


# --- /reverse --------------------------------------------------------------------------------


async def test_reverse_tells_both_members_and_happens_once(bot: AmserApplication, emulator):
    sian = await joined(emulator, ADMIN_ID, "Siân", language="cy")
    rob = await joined(emulator, ROB_ID, "Rob")
    tom = await joined(emulator, 411, "Tom")
    eleri = await joined(emulator, 412, "Eleri", language="cy")
    await exchange(bot, tom, eleri, 2 * HOUR, "paper:1")
    # Rob gets as far as the review of the same transfer.
    await rob.send("/reverse")
    await rob.send("eleri")
    await rob.press("Eleri")
    await rob.press("22 Nov: −2 hours with Tom")
    assert "Tom helped Eleri for 2 hours, Sunday 22 November." in rob.last.text
    await rob.send("Recorded twice")
    assert "Please check:" in rob.last.text
    # Siân undoes it first.
    await sian.send("/reverse")
    await sian.send("tom")
    await sian.press("Tom")
    await sian.press("22 Tach: 2 awr gyda Eleri")
    await sian.send("Wedi'i gofnodi ar y diwrnod anghywir")
    reverse = sian.last.button("Dadwneud").callback_data
    await sian.press("Dadwneud")
    done = sian.last.text
    assert "mae'r trosglwyddiad wedi'i ddadwneud" in done
    assert "Rydw i wedi rhoi gwybod i Tom." in done and "Rydw i wedi rhoi gwybod i Eleri." in done
    assert "Siân has undone a transfer:" in tom.last.text
    assert "Reason: Wedi'i gofnodi ar y diwrnod anghywir" in tom.last.text
    assert "Your balance: 0 hours" in tom.last.text
    assert "Mae Siân wedi dadwneud trosglwyddiad:" in eleri.last.text
    assert "Eich balans: 0 awr" in eleri.last.text
    await sian.press_data(reverse, sian.last.message_id)  # a double tap
    assert "Mae hyn wedi cael sylw yn barod" in sian.last.text
    await rob.press("Reverse")  # Rob's form, sent after Siân's: nothing more happens
    assert "That transfer has already been undone" in rob.last.text
    assert len(saying(tom, "has undone a transfer")) == 1
    assert len(saying(eleri, "wedi dadwneud trosglwyddiad")) == 1
    assert await audit_actions(bot) == ["reverse"]
    assert [row[:3] for row in await transfers(bot, "reversal")] == [
        (120, "confirmed", "Wedi'i gofnodi ar y diwrnod anghywir")
    ]
    assert await balance(bot, tom) == 0 and await balance(bot, eleri) == 0
    # The reversed one, and the reversal, are not offered again.
    await sian.send("/reverse")
    await sian.send("tom")
    await sian.press("Tom")
    assert "Does gan Tom ddim trosglwyddiadau wedi'u cadarnhau i'w dadwneud." in sian.last.text
    await adds_up(bot)


async def test_reverse_pages_and_leaves_your_own_to_another_coordinator(
    bot: AmserApplication, emulator
) -> None:
    rob = await joined(emulator, ROB_ID, "Rob")
    tom = await joined(emulator, 413, "Tom")
    eleri = await joined(emulator, 414, "Eleri", language="cy")
    own = await exchange(bot, rob, tom, HOUR, "rob")
    for number in range(7):
        await exchange(bot, tom, eleri, 15 * (number + 1), f"paper:{number}")
    await rob.send("/reverse")
    await rob.send("tom")
    await rob.press("Tom")
    first = rob.last.button_texts
    assert first[0] == "22 Nov: 1¾ hours with Eleri" and "Older »" in first
    await rob.press("Older »")
    assert rob.last.button_texts[:2] == ["22 Nov: ¼ hour with Eleri", "22 Nov: −1 hour with Rob"]
    await rob.press("22 Nov: −1 hour with Rob")
    assert "That's yours! Another coordinator will need to undo it for you." in rob.last.text
    await rob.press_data(signed(bot, rob, "rv", "pick", await form_id(bot, rob, "reverse"), own))
    assert "That's yours!" in rob.last.text
    await rob.press("« Back")
    assert "Whose transfer is it?" in rob.last.text
    assert await transfers(bot, "reversal") == []
    await adds_up(bot)


# --- restarts --------------------------------------------------------------------------------


async def test_a_restart_in_the_middle_of_a_form_loses_nothing(
    config: Config, clock: FakeClock
) -> None:
    async with BotApiEmulator() as emulator:
        sian = emulator.member(ADMIN_ID, "Siân")
        tom = emulator.member(415, "Tom")
        rob = emulator.member(ROB_ID, "Rob")
        async with running_bot(config, emulator, clock) as app:
            await join(sian, language="cy")
            await join(tom)
            await join(rob)
            await fill_pot(app, tom, 4 * HOUR)
            await sian.send("/grant")
            await sian.send("tom")
            await sian.press("Tom")
            await sian.press("1")
            await rob.send("/record")
            assert not app.services.errors
        # Rob is no longer a coordinator after the restart; Siân carries on where she was.
        async with running_bot(
            replace(config, admins=frozenset({ADMIN_ID})), emulator, clock
        ) as app:
            await sian.send("Croeso")
            assert "1 awr o'r gronfa gymunedol i Tom, heddiw." in sian.last.text
            await sian.press("« Yn ôl")
            assert "Eich rheswm nawr: “Croeso”" in sian.last.text
            await sian.press("Cadw'r rheswm hwn")
            await sian.press("Rhoi")
            assert "Siân has given you 1 hour from the community pot." in tom.last.text
            await rob.send("Dilys")
            assert "Sorry, this is for coordinators." in rob.last.text
            assert await form_of(app, rob) is None  # his form went with his role
            assert await app.services.members.find_by_name("Dilys") == []
            assert await balance(app, tom) == -3 * HOUR
            await adds_up(app)
            assert not app.services.errors


async def test_two_grants_at_once_cannot_overdraw_the_pot(bot: AmserApplication, emulator) -> None:
    tom = await joined(emulator, 416, "Tom")
    await fill_pot(bot, tom, HOUR)
    ledger, now, member = bot.services.ledger, bot.services.clock.now(), await member_of(bot, tom)
    keys = ("race:1", "race:2")
    results = await asyncio.gather(
        *(ledger.grant(key, member.id, member.id, 45, "r", now, pot_floor=0) for key in keys),
        return_exceptions=True,
    )
    assert sorted(type(result).__name__ for result in results) == ["Created", "NotEnough"]
    assert (await ledger.pot()).balance == 15
    # The one that went through, sent again, is the same grant, though the pot is low now.
    won = keys[[type(result).__name__ for result in results].index("Created")]
    again = await ledger.grant(won, member.id, member.id, 45, "r", now, pot_floor=0)
    assert not again.created and (await ledger.pot()).balance == 15
    await adds_up(bot)


async def test_a_gift_to_the_pot_is_not_given_back_once_it_is_spent(
    bot: AmserApplication, emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    rob = await joined(emulator, ROB_ID, "Rob")
    tom = await joined(emulator, 417, "Tom")
    gwen = await joined(emulator, 418, "Gwen", language="cy")
    await fill_pot(bot, tom, HOUR)
    services = bot.services
    await rob.send("/reverse")
    await rob.send("tom")
    await rob.press("Tom")
    await rob.press("24 Nov: −1 hour with the community pot")
    await rob.send("Given by mistake")
    assert "Please check:" in rob.last.text
    # The pot is spent after the review, and a look at it beforehand is already out of date:
    # only the check made while undoing, in the same transaction, can tell.
    full = await services.ledger.pot()
    await services.ledger.grant(
        "spent", (await member_of(bot, rob)).id, (await member_of(bot, gwen)).id, HOUR, "r",
        services.clock.now(), pot_floor=0,
    )  # fmt: skip

    async def as_it_was() -> Account:
        return full

    monkeypatch.setattr(services.ledger, "pot", as_it_was)
    told = len(tom.messages)
    await rob.press("Reverse")
    monkeypatch.undo()
    refused = rob.last.text
    assert "The community pot only holds 0 hours now, so this gift to it can't be" in refused
    assert "Tom's confirmed transfers" in refused  # to choose another
    assert await transfers(bot, "reversal") == [] and len(tom.messages) == told
    assert (await services.ledger.pot()).balance == 0
    await adds_up(bot)


async def test_reverse_finds_a_suspended_member(bot: AmserApplication, emulator) -> None:
    sian = await joined(emulator, ADMIN_ID, "Siân", language="cy")
    tom = await joined(emulator, 419, "Tom")
    eleri = await joined(emulator, 420, "Eleri", language="cy")
    await exchange(bot, tom, eleri, 2 * HOUR, "paper:suspended")
    services = bot.services
    assert await services.members.set_status_if(
        (await member_of(bot, tom)).id, Status.ACTIVE, Status.SUSPENDED, services.clock.now()
    )
    await sian.send("/reverse")
    await sian.send("Zebedee")
    assert "Doeddwn i ddim yn gallu dod o hyd i aelod sydd â “Zebedee” yn ei enw." in sian.last.text
    await sian.send("tom")
    await sian.press("Tom")
    await sian.press("22 Tach: 2 awr gyda Eleri")
    await sian.send("Dyblyg")
    await sian.press("Dadwneud")
    assert "mae'r trosglwyddiad wedi'i ddadwneud" in sian.last.text
    assert "Siân has undone a transfer:" in tom.last.text
    assert await balance(bot, tom) == 0 and await balance(bot, eleri) == 0
    # Grants and records are still for active members only.
    await sian.send("/record")
    await sian.send("tom")
    assert "aelod gweithredol" in sian.last.text
    await adds_up(bot)


async def test_a_page_of_reversals_does_not_hide_what_can_be_undone(
    bot: AmserApplication, emulator
) -> None:
    rob = await joined(emulator, ROB_ID, "Rob")
    tom = await joined(emulator, 421, "Tom")
    eleri = await joined(emulator, 422, "Eleri")
    await exchange(bot, tom, eleri, HOUR, "paper:kept")
    services, coordinator = bot.services, (await member_of(bot, rob)).id
    for number in range(6):  # a page of reversals, newer than the one left to undo
        undone = await exchange(bot, tom, eleri, 15, f"paper:undone:{number}")
        await services.ledger.reverse(undone, coordinator, "twice", services.clock.now())
    await rob.send("/reverse")
    await rob.send("tom")
    await rob.press("Tom")
    assert rob.last.button_texts[0] == "22 Nov: 1 hour with Eleri"
    assert "Older »" not in rob.last.button_texts and "¼" not in " ".join(rob.last.button_texts)


async def test_starting_another_form_closes_a_coordinators_form(
    bot: AmserApplication, emulator
) -> None:
    """One form per member: /donate in the middle of /grant replaces it, and the grant's old
    buttons then say the form has closed, with nothing granted (nor granted twice)."""
    rob = await joined(emulator, ROB_ID, "Rob")
    tom = await joined(emulator, 423, "Tom")
    await exchange(bot, rob, tom, 2 * HOUR, "paper:rob")
    await fill_pot(bot, tom, HOUR)
    await rob.send("/grant")
    await rob.send("tom")
    await rob.press("Tom")
    await rob.press("1")
    await rob.send("Welcome")
    review = rob.last
    assert "Please check:" in review.text
    await rob.send("/donate")  # Rob now waits to type an amount to give
    told = len(tom.messages)
    await rob.press("Grant", review)
    assert "That form has closed. Send /start to carry on." in review.text
    assert review.buttons == []  # no stale button is left on it
    assert await transfers(bot, "grant") == [] and len(tom.messages) == told
    assert await balance(bot, tom) == -3 * HOUR  # two hours' help, one hour to the pot
    form = await form_of(bot, rob)
    assert form is not None and form.name == "donate" and not form.finished
    await rob.send("1")
    assert "Give 1 hour to the community pot?" in rob.last.text
    await adds_up(bot)


async def test_add_after_a_restart_adds_the_name_typed(config: Config, clock: FakeClock) -> None:
    async with BotApiEmulator() as emulator:
        rob = emulator.member(ROB_ID, "Rob")
        async with running_bot(config, emulator, clock) as app:
            await join(rob)
            await rob.send("/record")
            await rob.send("Dilys Price")
            assert "I couldn't find an active member" in rob.last.text
            assert not app.services.errors
        async with running_bot(config, emulator, clock) as app:
            add = rob.last.button("Add “Dilys Price”").callback_data or ""
            await rob.press("Add “Dilys Price”")
            assert "Who did Dilys Price help?" in rob.last.text
            await rob.press_data(add, rob.last.message_id)  # a double tap: nobody more is added
            assert "That button is from an earlier question" in rob.last.text
            added = await app.services.members.find_by_name("dilys")
            assert [(m.display_name, m.telegram_id) for m in added] == [("Dilys Price", None)]
            assert not app.services.errors
