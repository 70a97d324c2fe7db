"""A member's own time credits, end to end: /balance, /history, /donate, giving before /forget,
and starter credits. Each flow runs for a Welsh-speaking and an English-speaking member, and
checks what they read in their own language.

Transfers are made directly through the ledger, as logging and coordinators' tools would.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import timedelta

import pytest
from telegram.error import TimedOut

from bot.config import Config
from bot.emulator import BotApiEmulator, SimulatedMember
from bot.runtime import menus
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from bot.runtime.harness import running_bot
from handlers.admin import give_starter_credits, welcome_member
from handlers.credit_common import today
from storage.ledger import Transfer
from tests.conftest import ADMIN_ID
from tests.helpers import join, joined, member_of, tap

LANGUAGES = pytest.mark.parametrize("language", ["cy", "en"])


# --- making transfers directly ---------------------------------------------------------------


async def helped(
    app: AmserApplication,
    helper: SimulatedMember,
    receiver: SimulatedMember,
    minutes: int,
    *,
    days_ago: int = 0,
    note: str | None = None,
) -> Transfer:
    """A confirmed exchange: `helper` earns `minutes`, `receiver` spends them."""
    services = app.services
    giver, taker = await member_of(app, helper), await member_of(app, receiver)
    made = await services.ledger.record_exchange(
        key=f"test:{secrets.token_hex(6)}",
        by_coordinator_id=giver.id,
        helped_id=taker.id,
        helper_id=giver.id,
        minutes=minutes,
        happened_on=today(services) - timedelta(days=days_ago),
        now=services.clock.now(),
        note=note,
    )
    return made.transfer


async def proposed(
    app: AmserApplication, by: SimulatedMember, helper: SimulatedMember, receiver: SimulatedMember
) -> Transfer:
    """An exchange logged by `by`, waiting for the other member to confirm."""
    services = app.services
    made = await services.ledger.propose(
        key=f"test:{secrets.token_hex(6)}",
        created_by=(await member_of(app, by)).id,
        helped_id=(await member_of(app, receiver)).id,
        helper_id=(await member_of(app, helper)).id,
        minutes=60,
        happened_on=today(services),
        now=services.clock.now(),
    )
    return made.transfer


async def balance_of(app: AmserApplication, person: SimulatedMember) -> int:
    return await app.services.ledger.balance((await member_of(app, person)).id)


async def pot(app: AmserApplication) -> int:
    return (await app.services.ledger.pot()).balance


async def count(app: AmserApplication, kind: str) -> int:
    row = await app.services.db.fetch_one(
        "SELECT count(*) AS n FROM transfers WHERE kind = ?", (kind,)
    )
    assert row is not None
    return int(row["n"])


async def adds_up(app: AmserApplication) -> None:
    assert await app.services.ledger.check_invariants() == []


def has_all(text: str, *parts: str) -> None:
    missing = [part for part in parts if part not in text]
    assert not missing, f"missing {missing} in:\n{text}"


# --- /balance --------------------------------------------------------------------------------

BALANCE = {
    "cy": [
        "Eich credydau amser",
        "Eich balans: −½ awr",
        "Oriau rydych chi wedi'u rhoi: 1½ awr",
        "Oriau rydych chi wedi'u derbyn: 2 awr",
        "⏳ Mae 2 gyfnewid yn aros am eich ateb.",
        "⏳ Mae 1 cyfnewid yn aros i'r person arall ei gadarnhau.",
        "⏳ Mae 1 cyfnewid yn aros am gydlynydd.",
        "Mae'n iawn i'ch balans fod o dan sero",
        "/offer",
    ],
    "en": [
        "Your time credits",
        "Your balance: −½ hour",
        "Hours you've given: 1½ hours",
        "Hours you've received: 2 hours",
        "⏳ 2 exchanges are waiting for your answer.",
        "⏳ 1 exchange is waiting for the other person to confirm it.",
        "⏳ 1 exchange is waiting for a coordinator.",
        "A balance below zero is fine: everyone gives and receives",
        "/offer",
    ],
}
HISTORY_BUTTON = {"cy": "📜 Hanes", "en": "📜 History"}
LOG_BUTTON = {"cy": "⏱ Cofnodi amser", "en": "⏱ Log time"}
GIVE_BUTTON = {"cy": "🎁 Rhoi i'r gronfa gymunedol", "en": "🎁 Give to the community pot"}
BACK_TO_BALANCE = {"cy": "« Yn ôl i fy malans", "en": "« Back to my balance"}


@LANGUAGES
async def test_balance_shows_given_received_and_what_waits(
    bot: AmserApplication, emulator: BotApiEmulator, language: str
) -> None:
    sara = await joined(emulator, 401, "Sara", language=language)
    pat = await joined(emulator, 402, "Pat")
    quinn = await joined(emulator, 403, "Quinn")
    await helped(bot, pat, sara, 120)
    await helped(bot, sara, quinn, 90)
    await proposed(bot, pat, pat, sara)  # two for Sara to answer
    await proposed(bot, pat, pat, sara)
    await proposed(bot, sara, sara, quinn)  # one for Quinn to confirm
    below_floor = await proposed(bot, sara, sara, quinn)
    quinn_id = (await member_of(bot, quinn)).id
    await bot.services.ledger.confirm(below_floor.id, quinn_id, bot.services.clock.now(), floor=0)

    await sara.send("/balance")
    screen = sara.last
    has_all(screen.text, *BALANCE[language])
    labels = screen.button_texts
    assert HISTORY_BUTTON[language] in labels and LOG_BUTTON[language] in labels
    assert GIVE_BUTTON[language] not in labels  # nothing to give below zero
    log = screen.button(LOG_BUTTON[language]).callback_data or ""
    assert bot.services.callbacks.verify(sara.user_id, log) == ["lg", "new"]

    await sara.press(HISTORY_BUTTON[language])
    assert sara.last.message_id == screen.message_id  # the same message, edited in place
    await sara.press(BACK_TO_BALANCE[language])
    has_all(sara.last.text, *BALANCE[language])

    # Pat gave two hours and is waiting for Sara: thanked, with something to give.
    await pat.send("/balance")
    has_all(
        pat.last.text,
        "Your balance: 2 hours",
        "Hours you've given: 2 hours",
        "Hours you've received: none yet",
        "⏳ 2 exchanges are waiting for the other person to confirm them.",
        "Thank you for all you give!",
    )
    assert GIVE_BUTTON["en"] in pat.last.button_texts


WITH_COORDINATORS = {
    "cy": "⏳ Mae 3 chyfnewid yn aros am gydlynydd.",
    "en": "⏳ 3 exchanges are waiting for a coordinator.",
}


@LANGUAGES
async def test_disputed_and_expired_exchanges_wait_for_a_coordinator_too(
    bot: AmserApplication, emulator: BotApiEmulator, language: str
) -> None:
    sara = await joined(emulator, 404, "Sara", language=language)
    pat = await joined(emulator, 405, "Pat")
    ledger, now = bot.services.ledger, bot.services.clock.now()
    sara_id, pat_id = (await member_of(bot, sara)).id, (await member_of(bot, pat)).id
    disputed = await proposed(bot, pat, pat, sara)
    assert (await ledger.dispute(disputed.id, sara_id, now, "I wasn't in")).changed
    expired = await proposed(bot, sara, sara, pat)
    assert (await ledger.expire(expired.id, now)).changed
    below_floor = await proposed(bot, sara, pat, sara)
    assert (await ledger.confirm(below_floor.id, pat_id, now, floor=0)).changed
    await sara.send("/balance")
    assert WITH_COORDINATORS[language] in sara.last.text
    assert sara.last.text.count("⏳") == 1  # nothing waits for Sara or for Pat


# --- /history --------------------------------------------------------------------------------

HISTORY = {
    "cy": {
        "page1": [
            "Eich hanes, y diweddaraf yn gyntaf · tudalen 1",
            "Heddiw: +1 awr gan Owen\n    “entered twice”\n    ↩️ Cywiriad, sy'n dadwneud cofnod"
            " cynharach",
            "Heddiw: −½ awr i'r gronfa gymunedol",
            "Ddoe: −1 awr i Owen\n    “job 1”\n    ↩️ Wedi'i ddadwneud wedyn gan gywiriad",
            "+1 awr gan Owen\n    “job 2”",
            "“job 8”",
        ],
        "page2": [
            "tudalen 2",
            "“job 9”",
            "“job 11”",
            "−2 awr i gyn-aelod",
            "+1 awr o'r gronfa gymunedol\n    “welcome & <hello>”",
        ],
        "more": "Mwy »",
        "previous": "« Blaenorol",
        "empty": "Dim byd yma eto.",
    },
    "en": {
        "page1": [
            "Your history, the latest first · page 1",
            "Today: +1 hour from Owen\n    “entered twice”\n    ↩️ A correction, undoing an"
            " earlier entry",
            "Today: −½ hour to the community pot",
            "Yesterday: −1 hour to Owen\n    “job 1”\n    ↩️ Later undone by a correction",
            "+1 hour from Owen\n    “job 2”",
            "“job 8”",
        ],
        "page2": [
            "page 2",
            "“job 9”",
            "“job 11”",
            "−2 hours to a former member",
            "+1 hour from the community pot\n    “welcome & <hello>”",
        ],
        "more": "More »",
        "previous": "« Previous",
        "empty": "Nothing here yet.",
    },
}


@LANGUAGES
async def test_history_pages_back_and_forth(
    bot: AmserApplication, emulator: BotApiEmulator, language: str
) -> None:
    words = HISTORY[language]
    nia = await joined(emulator, 411, "Nia", language=language)
    owen = await joined(emulator, 412, "Owen")
    gwyn = await joined(emulator, 413, "Gwyn")
    await nia.send("/history")
    assert words["empty"] in nia.last.text and "/log" in nia.last.text

    services = bot.services
    nia_id = (await member_of(bot, nia)).id
    coordinator = (await member_of(bot, owen)).id
    await services.ledger.grant(
        "test:grant", coordinator, nia_id, 60, "welcome & <hello>", services.clock.now(),
        happened_on=today(services) - timedelta(days=13),
    )  # fmt: skip
    await helped(bot, gwyn, nia, 120, days_ago=12, note="gone soon")
    jobs = {}
    for day in range(11, 0, -1):  # job 11 is the oldest, job 1 was yesterday
        giver, taker = (owen, nia) if day % 2 else (nia, owen)
        jobs[day] = await helped(bot, giver, taker, 60, days_ago=day, note=f"job {day}")
    await services.ledger.donate(
        "test:donation", nia_id, 30, services.clock.now(), happened_on=today(services)
    )
    await services.ledger.reverse(
        jobs[1].id, coordinator, "entered twice", services.clock.now(), today(services)
    )
    await services.members.erase((await member_of(bot, gwyn)).id, services.clock.now())

    await nia.send("/history")
    page = nia.last
    has_all(page.text, *words["page1"])
    assert "job 9" not in page.text and "gone soon" not in page.text
    assert page.button_texts == [words["more"], BACK_TO_BALANCE[language]]
    assert "&lt;hello&gt;" not in (page.html or "")

    await nia.press(words["more"])
    assert nia.last.message_id == page.message_id
    has_all(page.text, *words["page2"])
    assert "job 8" not in page.text
    assert "&lt;hello&gt;" in (page.html or "")  # the reason, escaped
    assert page.button_texts == [words["previous"], BACK_TO_BALANCE[language]]

    await nia.press(words["previous"])
    has_all(nia.last.text, *words["page1"])
    assert nia.last.message_id == page.message_id


# --- /donate ---------------------------------------------------------------------------------

DONATE = {
    "cy": {
        "picker": ["Rhoi i'r gronfa gymunedol", "Eich balans: 2½ awr", "Faint hoffech chi"],
        "confirm 2": "Rhoi 2 awr i'r gronfa gymunedol?",
        "confirm ½": "Rhoi ½ awr i'r gronfa gymunedol?",
        "yes": "✅ Ie, rhowch nhw",
        "back": "« Yn ôl",
        "cancel": "Canslo",
        "cancelled": "Dim problem: does dim wedi'i roi.",
        "thanks": "🎁 Diolch! Rydych chi wedi rhoi 2 awr i'r gronfa gymunedol.",
        "after": "Eich balans: ½ awr",
        "already": "Mae'r oriau hynny eisoes wedi'u rhoi i'r gronfa gymunedol.",
        "donated": "Wedi'u rhoi i'r gronfa gymunedol: 2 awr",
    },
    "en": {
        "picker": ["Give to the community pot", "Your balance: 2½ hours", "How much would you"],
        "confirm 2": "Give 2 hours to the community pot?",
        "confirm ½": "Give ½ hour to the community pot?",
        "yes": "✅ Yes, give them",
        "back": "« Back",
        "cancel": "Cancel",
        "cancelled": "No problem: nothing has been given.",
        "thanks": "🎁 Thank you! You've given 2 hours to the community pot.",
        "after": "Your balance: ½ hour",
        "already": "Those hours have already been given to the community pot.",
        "donated": "Given to the community pot: 2 hours",
    },
}


@LANGUAGES
async def test_donate_with_buttons_gives_once_however_often_yes_is_pressed(
    bot: AmserApplication, emulator: BotApiEmulator, language: str
) -> None:
    words = DONATE[language]
    mair = await joined(emulator, 421, "Mair", language=language)
    ivor = await joined(emulator, 422, "Ivor")
    await helped(bot, mair, ivor, 150)

    await mair.send("/donate")
    has_all(mair.last.text, *words["picker"])
    amounts = mair.last.button_texts
    assert "2½" in amounts and "2¾" not in amounts  # no more than the balance
    await mair.press("1")
    await mair.press(words["back"])  # back to the amounts, nothing given
    has_all(mair.last.text, *words["picker"])
    await mair.press("½")
    assert words["confirm ½"] in mair.last.text
    await mair.press(words["cancel"])
    assert words["cancelled"] in mair.last.text
    assert await pot(bot) == 0 and await balance_of(bot, mair) == 150

    await mair.press(GIVE_BUTTON[language])
    await mair.press("2")
    confirm = mair.last
    assert words["confirm 2"] in confirm.text
    yes = confirm.button(words["yes"]).callback_data or ""
    await mair.press(words["yes"])
    has_all(confirm.text, words["thanks"], words["after"])
    await mair.press_data(yes, confirm.message_id)  # a double tap: nothing more is given
    assert words["already"] in confirm.text
    assert await pot(bot) == 120 and await balance_of(bot, mair) == 30
    assert await count(bot, "donation") == 1
    await adds_up(bot)

    await mair.press(BACK_TO_BALANCE[language])
    assert words["donated"] in mair.last.text


TYPED = {
    "cy": {
        "unreadable": "doeddwn i ddim yn gallu darllen hynny fel hyd o amser",
        "nothing": "Mae angen i'r amser fod yn fwy na dim",
        "too much": "Gallwch chi roi hyd at 2½ awr.",
        "long": "cadwch at 40 nod",
        "picker": "Rhoi i'r gronfa gymunedol",
        "confirm": "Rhoi 1½ awr i'r gronfa gymunedol?",
        "yes": "✅ Ie, rhowch nhw",
        "after": "Eich balans: 1 awr",
    },
    "en": {
        "unreadable": "couldn't read that as a length of time",
        "nothing": "The time needs to be more than nothing",
        "too much": "You can give up to 2½ hours.",
        "long": "please keep it to 40 characters",
        "picker": "Give to the community pot",
        "confirm": "Give 1½ hours to the community pot?",
        "yes": "✅ Yes, give them",
        "after": "Your balance: 1 hour",
    },
}


@LANGUAGES
async def test_donate_a_typed_amount_asking_again_kindly(
    bot: AmserApplication, emulator: BotApiEmulator, language: str
) -> None:
    words = TYPED[language]
    huw = await joined(emulator, 431, "Huw", language=language)
    jan = await joined(emulator, 432, "Jan")
    await helped(bot, huw, jan, 150)
    await huw.send("/donate")
    for typed, problem in [
        ("lots", "unreadable"),
        ("0", "nothing"),
        ("-1", "nothing"),
        ("3", "too much"),
        ("x" * 300, "long"),
    ]:
        await huw.send(typed)
        has_all(huw.last.text, words[problem], words["picker"])  # asked again, buttons too
        assert huw.last.buttons
    assert await pot(bot) == 0
    await huw.send("1½")
    assert words["confirm"] in huw.last.text
    form = await bot.services.forms.of_member((await member_of(bot, huw)).id)
    assert form is not None and form.step == "check"  # no longer waiting for an amount
    await huw.press(words["yes"])
    assert words["after"] in huw.last.text
    assert await pot(bot) == 90 and await balance_of(bot, huw) == 60
    await huw.send("2")  # not an amount any more: nothing is given
    assert await pot(bot) == 90
    await adds_up(bot)


NOTHING = {
    "cy": {
        "nothing": "Does gennych chi ddim oriau i'w rhoi eto",
        "zero": ["Oriau rydych chi wedi'u rhoi: dim eto", "Mae pawb yma'n rhoi ac yn derbyn."],
        "changed": "Mae eich balans wedi newid ers hynny",
        "confirm": "Rhoi 2 awr i'r gronfa gymunedol?",
        "yes": "✅ Ie, rhowch nhw",
        "now": "Eich balans: ½ awr",
    },
    "en": {
        "nothing": "You don't have any hours to give just yet",
        "zero": ["Hours you've given: none yet", "Everyone here gives and receives."],
        "changed": "Your balance has changed since then",
        "confirm": "Give 2 hours to the community pot?",
        "yes": "✅ Yes, give them",
        "now": "Your balance: ½ hour",
    },
}


@LANGUAGES
async def test_nothing_to_give_and_a_balance_that_went_down_meanwhile(
    bot: AmserApplication, emulator: BotApiEmulator, language: str
) -> None:
    words = NOTHING[language]
    ela = await joined(emulator, 441, "Ela", language=language)
    ken = await joined(emulator, 442, "Ken")
    assert not any("starter" in m.text or "cychwynnol" in m.text for m in ela.messages)
    await ela.send("/donate")
    assert words["nothing"] in ela.last.text and "/offer" in ela.last.text
    await ela.send("/balance")
    has_all(ela.last.text, *words["zero"])
    assert GIVE_BUTTON[language] not in ela.last.button_texts

    await helped(bot, ela, ken, 120)
    await ela.send("/donate")
    await ela.press("2")
    confirm = ela.last
    assert words["confirm"] in confirm.text
    await helped(bot, ken, ela, 90)  # Ken helps Ela before she presses yes
    await ela.press(words["yes"])
    has_all(confirm.text, words["changed"], words["now"])
    assert await pot(bot) == 0 and await balance_of(bot, ela) == 30
    await adds_up(bot)


# --- /forget ---------------------------------------------------------------------------------

FORGET = {
    "cy": {
        "offer": "Cyn i chi fynd",
        "give": "🎁 Rhoi fy 1½ awr i'r gronfa gymunedol yn gyntaf",
        "erase?": "Dileu eich manylion?",
        "thanks": "Rydych chi wedi rhoi 1½ awr i'r gronfa gymunedol.",
        "already": "eisoes wedi'u rhoi",
        "erase": "Ie, dilëwch fy manylion",
        "no thanks": "Dim diolch",
        "keep": "Na, cadwch fi",
    },
    "en": {
        "offer": "Before you go",
        "give": "🎁 Give my 1½ hours to the community pot first",
        "erase?": "Erase your details?",
        "thanks": "You've given 1½ hours to the community pot.",
        "already": "already been given",
        "erase": "Yes, erase my details",
        "no thanks": "No, thanks",
        "keep": "No, keep me",
    },
}


@LANGUAGES
async def test_forget_offers_the_pot_first_and_gives_once(
    bot: AmserApplication, emulator: BotApiEmulator, language: str
) -> None:
    words = FORGET[language]
    rhys = await joined(emulator, 451, "Rhys", language=language)
    lyn = await joined(emulator, 452, "Lyn")
    await helped(bot, rhys, lyn, 90)
    await rhys.send("/forget")
    offer = rhys.last
    assert words["offer"] in offer.text
    give = offer.button(words["give"]).callback_data or ""
    await rhys.press(words["give"])
    has_all(offer.text, words["thanks"], words["erase?"])
    await rhys.press_data(give, offer.message_id)  # pressed again: given once
    assert words["already"] in offer.text and words["erase?"] in offer.text
    assert await pot(bot) == 90 and await count(bot, "donation") == 1
    await rhys.press(words["erase"])
    assert await bot.services.members.by_telegram_id(451) is None
    assert await pot(bot) == 90  # the hours stay given after erasure
    await adds_up(bot)


GREW = {
    "cy": {
        "thanks": "Rydych chi wedi rhoi 1½ awr i'r gronfa gymunedol.",
        "offer": "Mae gennych chi 1 awr o gredydau amser.",
        "give": "🎁 Rhoi fy 1 awr i'r gronfa gymunedol yn gyntaf",
        "more thanks": "Rydych chi wedi rhoi 1 awr i'r gronfa gymunedol.",
    },
    "en": {
        "thanks": "You've given 1½ hours to the community pot.",
        "offer": "You have 1 hour of time credits.",
        "give": "🎁 Give my 1 hour to the community pot first",
        "more thanks": "You've given 1 hour to the community pot.",
    },
}


@LANGUAGES
async def test_hours_that_came_in_meanwhile_are_offered_before_erasing(
    bot: AmserApplication, emulator: BotApiEmulator, language: str
) -> None:
    words, grew = FORGET[language], GREW[language]
    rhys = await joined(emulator, 453, "Rhys", language=language)
    lyn = await joined(emulator, 454, "Lyn")
    await helped(bot, rhys, lyn, 90)
    await rhys.send("/forget")
    offer = rhys.last
    await helped(bot, rhys, lyn, 60)  # Lyn's thanks arrive before Rhys presses the button
    await rhys.press(words["give"])
    has_all(offer.text, grew["thanks"], words["offer"], grew["offer"])
    assert words["erase?"] not in offer.text and words["erase"] not in offer.button_texts
    await rhys.press(grew["give"])
    has_all(offer.text, grew["more thanks"], words["erase?"])
    assert await pot(bot) == 150 and await balance_of(bot, rhys) == 0
    await adds_up(bot)


@LANGUAGES
async def test_forget_no_thanks_goes_straight_on(
    bot: AmserApplication, emulator: BotApiEmulator, language: str
) -> None:
    words = FORGET[language]
    tegan = await joined(emulator, 461, "Tegan", language=language)
    max_ = await joined(emulator, 462, "Max")
    await helped(bot, tegan, max_, 90)
    await tegan.send("/forget")
    assert words["offer"] in tegan.last.text
    await tegan.press(words["no thanks"])
    assert words["erase?"] in tegan.last.text
    await tegan.press(words["keep"])
    assert await pot(bot) == 0 and await balance_of(bot, tegan) == 90
    # From the privacy screen too; with nothing to give, erasure is asked at once.
    assert (await member_of(bot, tegan)).display_name == "Tegan"
    await tegan.send("/privacy")
    await tap(bot, tegan, "priv", "forget")
    assert words["offer"] in tegan.last.text
    await max_.send("/forget")
    assert FORGET["en"]["erase?"] in max_.last.text and not max_.last.text.startswith("Before")


# --- starter credits -------------------------------------------------------------------------

STARTER = {
    "cy": {
        "welcome": "Croeso i Amser Test",
        "starter": "Rydych chi wedi cael 3 awr o gredydau cychwynnol",
        "history": "Heddiw: +3 awr o gredydau cychwynnol",
        "balance": "Credydau cychwynnol a rhoddion o'r gronfa gymunedol: 3 awr",
    },
    "en": {
        "welcome": "Welcome to Amser Test",
        "starter": "You've been given 3 hours of starter credits to get going.",
        "history": "Today: +3 hours of starter credits",
        "balance": "Starter credits and gifts from the community pot: 3 hours",
    },
}


@LANGUAGES
async def test_starter_credits_when_joining(
    config: Config, clock: FakeClock, emulator: BotApiEmulator, language: str
) -> None:
    words = STARTER[language]
    async with running_bot(replace(config, starter_hours=3), emulator, clock) as app:
        cai = await joined(emulator, 471, "Cai", language=language)
        welcome = cai.messages[-2].text
        assert words["welcome"] in welcome and words["starter"] in welcome
        assert await balance_of(app, cai) == 180
        await cai.send("/history")
        assert words["history"] in cai.last.text
        await cai.send("/balance")
        assert words["balance"] in cai.last.text
        await cai.send("/start")  # the menu again gives nothing more
        assert await count(app, "starter") == 1
        await adds_up(app)
        assert not app.services.errors


@LANGUAGES
async def test_a_repeated_welcome_does_not_claim_starter_credits_again(
    config: Config, clock: FakeClock, emulator: BotApiEmulator, language: str
) -> None:
    words = STARTER[language]
    async with running_bot(replace(config, starter_hours=3), emulator, clock) as app:
        cai = await joined(emulator, 472, "Cai", language=language)
        member = await member_of(app, cai)
        given = await give_starter_credits(app.services, member)
        again = welcome_member(app.services, member, given)
        assert given == 0
        assert words["welcome"] in again.text and words["starter"] not in again.text
        assert await balance_of(app, cai) == 180 and await count(app, "starter") == 1
        assert not app.services.errors


async def test_starter_credits_on_approval_are_given_once(
    config: Config, clock: FakeClock, emulator: BotApiEmulator
) -> None:
    settings = replace(config, starter_hours=3, require_approval=True)
    async with running_bot(settings, emulator, clock) as app:
        coordinator = emulator.member(ADMIN_ID, "Siân")
        await join(coordinator)  # staff are not kept waiting, and get starter credits too
        for person_id, name, language in [(481, "Gwen", "cy"), (482, "Dai", "en")]:
            person = emulator.member(person_id, name)
            await join(person, language=language)
            assert await balance_of(app, person) == 0  # not until they are approved
            card = coordinator.last
            approve = card.button("Approve").callback_data or ""
            await coordinator.press_data(approve, card.message_id)
            await coordinator.press_data(approve, card.message_id)  # a double tap
            welcomes = [m.text for m in person.messages if STARTER[language]["starter"] in m.text]
            assert len(welcomes) == 1 and STARTER[language]["welcome"] in welcomes[0]
            assert await balance_of(app, person) == 180
        assert await count(app, "starter") == 3
        await adds_up(app)
        assert not app.services.errors


async def test_starter_credits_are_not_lost_when_telegram_fails_at_the_welcome(
    config: Config, clock: FakeClock, emulator: BotApiEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def telegram_times_out(*args: object) -> None:
        raise TimedOut()

    async with running_bot(replace(config, starter_hours=3), emulator, clock) as app:
        monkeypatch.setattr(menus, "publish_member_menu", telegram_times_out)
        cai = emulator.member(473, "Cai")
        await join(cai)
        assert [type(error) for error in app.services.errors] == [TimedOut]
        app.services.errors.clear()
        assert await balance_of(app, cai) == 180  # given before anything talked to Telegram
        monkeypatch.undo()
        await cai.send("/start")
        assert await balance_of(app, cai) == 180 and await count(app, "starter") == 1
        assert not app.services.errors
