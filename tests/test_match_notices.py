"""Match notices end to end: the right members hear about a new listing, in their language, at
a kind time, and can say "Not this time" or change what they hear about with /notices."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.membership import Status
from bot.emulator import SimulatedMember
from bot.emulator.models import BotMessage
from bot.runtime.context import AmserApplication
from storage.listings import Listing
from tests.helpers import agree_in, announce, due_work_done, join

TITLE = "Weeding a small garden"


async def member_id(bot: AmserApplication, member: SimulatedMember) -> int:
    found = await bot.services.members.by_telegram_id(member.user_id)
    assert found is not None
    return found.id


async def post(
    bot: AmserApplication,
    owner: SimulatedMember,
    *,
    kind: str = "request",
    category: str = "gardening",
    title: str = TITLE,
    details: str = "My back isn't what it was. Weeds everywhere!",
    place: str = "canton",
) -> Listing:
    """What the posting flow does once a listing is saved: create it, then announce it."""
    now = bot.services.clock.now()
    listing = await bot.services.listings.create(
        await member_id(bot, owner),
        kind,
        category,
        title,
        details,
        place,
        None,
        now=now,
        expires_at=now + timedelta(days=30),
    )
    await announce(bot, listing)
    return listing


def notices(member: SimulatedMember, title: str = TITLE) -> list[BotMessage]:
    return [m for m in member.messages if title in m.text]


def notice_button(message: BotMessage, prefix: str) -> str:
    data = [b.callback_data for row in message.buttons for b in row if b.callback_data]
    [found] = [d for d in data if d.startswith(prefix)]
    return found


async def test_a_request_reaches_the_members_who_fit_in_their_own_language(
    bot: AmserApplication, emulator, clock
) -> None:
    asker = emulator.member(501, "Dilys")
    ann = emulator.member(502, "Ann")
    bryn = emulator.member(503, "Bryn")
    cai = emulator.member(504, "Cai")
    await join(asker, categories=("Gardening",))
    await join(ann, categories=("Gardening",))
    await join(bryn, language="cy", categories=("Garddio",))
    await join(cai, categories=("Phones and computers",))
    await post(bot, asker, title="Weeds <b>& brambles</b>", details="<i>Please</i> & thanks")

    [english] = notices(ann, "Weeds")
    assert "Could you help with this?" in english.text
    assert "Weeds <b>& brambles</b>" in english.text  # shown as typed, not as HTML
    assert "<i>Please</i> & thanks" in english.text
    assert "Request for help · Gardening" in english.text
    assert "📍 Canton · 🕐 Any time" in english.text
    assert english.button_texts == ["🙋 I can help", "Not this time"]
    listing_id = (await bot.services.listings.by_member(await member_id(bot, asker)))[0].id
    assert english.button("I can help").callback_data.startswith(f"in:start:{listing_id}~")

    [welsh] = notices(bryn, "Weeds")
    assert "Cais am help · Garddio" in welsh.text
    assert "📍 Treganna · 🕐 Unrhyw bryd" in welsh.text
    assert not notices(asker, "Weeds") and not notices(cai, "Weeds")


async def test_never_the_requester_blocked_pending_suspended_or_joining_members(
    bot: AmserApplication, emulator, clock
) -> None:
    asker = emulator.member(511, "Dilys")
    helper = emulator.member(512, "Ann")
    pending = emulator.member(513, "Pedr")
    suspended = emulator.member(514, "Siwan")
    blocked = emulator.member(515, "Bleddyn")
    blocker = emulator.member(516, "Beca")
    joining = emulator.member(517, "Jac")
    for member in (asker, helper, pending, suspended, blocked, blocker):
        await join(member, categories=("Gardening",))
    await agree_in(joining, "en")
    await joining.send("Jac")
    await joining.press("Canton")
    await joining.press("Gardening")  # half-way: offers gardening, but has not finished joining
    services = bot.services
    now = clock.now()
    await services.members.update(await member_id(bot, pending), now, status=Status.PENDING)
    await services.members.update(await member_id(bot, suspended), now, status=Status.SUSPENDED)
    asker_id = await member_id(bot, asker)
    blocks = [
        (asker_id, await member_id(bot, blocked), now.isoformat()),
        (await member_id(bot, blocker), asker_id, now.isoformat()),
    ]
    await services.db.write(
        lambda tx: tx.executemany(
            "INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES (?, ?, ?)", blocks
        )
    )

    await post(bot, asker)

    assert len(notices(helper)) == 1
    for member in (asker, pending, suspended, blocked, blocker, joining):
        assert notices(member) == [], member


async def test_an_offer_reaches_members_with_open_requests_that_fit(
    bot: AmserApplication, emulator, clock
) -> None:
    asker = emulator.member(521, "Dilys")
    offerer = emulator.member(522, "Ann")
    await join(asker, language="cy")
    await join(offerer)
    await post(bot, asker, title="Help moving plant pots")  # nobody fits yet
    await post(bot, offerer, kind="offer", title="Happy to do garden jobs", details="Any size.")
    [notice] = notices(asker, "Happy to do garden jobs")
    assert "Cynnig help · Garddio" in notice.text
    assert notice_button(notice, "in:start:")
    assert notice_button(notice, "mt:no:")
    assert notices(offerer, "Help moving plant pots") == []


async def test_not_this_time_thanks_the_member_once(bot: AmserApplication, emulator) -> None:
    asker = emulator.member(531, "Dilys")
    ann = emulator.member(532, "Ann")
    bryn = emulator.member(533, "Bryn")
    await join(asker)
    await join(ann, categories=("Gardening",))
    await join(bryn, language="cy", categories=("Garddio",))
    listing = await post(bot, asker)

    [message] = notices(ann)
    await ann.press("Not this time", message)
    assert "Thank you for letting us know" in ann.messages[-1].text
    assert ann.messages[-1].message_id == message.message_id  # the notice itself, edited
    bryn_notice = notices(bryn)[0]
    bryn_no = notice_button(bryn_notice, "mt:no:")
    await ann.press_data(bryn_no)
    assert "doesn't work any more" in emulator.calls_to("answerCallbackQuery")[-1].params["text"]

    [sent] = [n for n in await bot.services.matching.for_listing(listing.id) if n.status == "sent"]
    assert sent.member_id == await member_id(bot, bryn)
    await bryn.press_data(bryn_no, bryn_notice.message_id)
    await bryn.press_data(bryn_no, bryn_notice.message_id)  # a double tap
    statuses = {n.status for n in await bot.services.matching.for_listing(listing.id)}
    assert statuses == {"declined"}
    assert "Diolch am roi gwybod i ni" in bryn.messages[-1].text


async def test_a_notice_button_signed_for_someone_else_s_notice_is_refused(
    bot: AmserApplication, emulator
) -> None:
    asker = emulator.member(541, "Dilys")
    ann = emulator.member(542, "Ann")
    await join(asker)
    await join(ann, categories=("Gardening",))
    listing = await post(bot, asker)
    [notice] = await bot.services.matching.for_listing(listing.id)
    # Correctly signed for Dilys, but the notice is Ann's: checked again on arrival.
    await asker.press_data(bot.services.callbacks.sign(asker.user_id, "mt", "no", notice.id))
    assert "doesn't work any more" in asker.last.text
    # Unsigned, or signed for another user: refused before any handler runs.
    await asker.press_data(f"mt:no:{notice.id}")
    assert "doesn't work any more" in emulator.calls_to("answerCallbackQuery")[-1].params["text"]
    stored = await bot.services.matching.get(notice.id)
    assert stored is not None and stored.status == "sent"


async def test_the_daily_cap_holds_notices_until_the_next_morning(
    bot: AmserApplication, emulator, clock
) -> None:
    asker = emulator.member(551, "Dilys")
    ann = emulator.member(552, "Ann")
    await join(asker)
    await join(ann, categories=("Gardening",))
    for number in range(5):
        await post(bot, asker, title=f"Garden job {number}")
    assert len(notices(ann, "Garden job")) == bot.config.daily_notice_cap == 3

    clock.advance(timedelta(hours=12))  # 22:00: quiet, and still the same day
    assert await due_work_done(bot) == 0
    assert len(notices(ann, "Garden job")) == 3
    clock.advance(timedelta(hours=9, minutes=59))  # 07:59 next morning
    assert await due_work_done(bot) == 0
    clock.advance(timedelta(minutes=1))  # 08:00
    assert await due_work_done(bot) == 1
    assert "Garden job 3" in ann.messages[-2].text
    assert "Garden job 4" in ann.messages[-1].text
    assert len(notices(ann, "Garden job")) == 5
    assert await due_work_done(bot) == 0  # nothing left, nothing twice


async def test_quiet_hours_hold_a_notice_until_morning_and_a_closed_listing_is_not_sent(
    bot: AmserApplication, emulator, clock
) -> None:
    asker = emulator.member(561, "Dilys")
    ann = emulator.member(562, "Ann")
    bryn = emulator.member(563, "Bryn")
    await join(asker)
    await join(ann, categories=("Gardening",))
    await join(bryn, language="cy", categories=("Ffonau a chyfrifiaduron",))
    clock.advance(timedelta(hours=11, minutes=30))  # 21:30 in Cardiff
    await post(bot, asker)
    later = await post(bot, asker, category="tech", title="Setting up a new phone")
    assert notices(ann) == [] and notices(bryn, "new phone") == []
    await bot.services.listings.set_status_if(later.id, ("open",), "closed", clock.now())

    clock.advance(timedelta(hours=10))  # 07:30
    assert await due_work_done(bot) == 0
    assert notices(ann) == []
    clock.advance(timedelta(minutes=30))  # 08:00
    assert await due_work_done(bot) == 1
    assert len(notices(ann)) == 1
    assert notices(bryn, "new phone") == []  # closed overnight: dropped, not sent
    statuses = [n.status for n in await bot.services.matching.for_listing(later.id)]
    assert statuses == ["dropped"]


async def test_notices_can_be_turned_off_and_limited_to_kinds(
    bot: AmserApplication, emulator
) -> None:
    asker = emulator.member(571, "Dilys")
    ann = emulator.member(572, "Ann")
    await join(asker)
    await join(ann, categories=("Gardening", "Shopping and errands"))

    await ann.send("/notices")
    assert "Match notices" in ann.last.text and "at most 3 a day" in ann.last.text
    assert "✓ Gardening" in ann.last.button_texts
    await ann.press("Turn notices off")
    assert "Match notices are off" in ann.last.text
    await post(bot, asker, title="Garden one")
    assert notices(ann, "Garden one") == []

    await ann.press("Turn notices on")
    gardening = ann.last.button("✓ Gardening").callback_data
    await ann.press_data(gardening)
    await ann.press_data(gardening)  # a double tap: still off, not back on
    assert "Gardening" in ann.last.button_texts and "✓ Gardening" not in ann.last.button_texts
    await post(bot, asker, title="Garden two")
    await post(bot, asker, category="shopping", title="Shopping one")
    assert notices(ann, "Garden two") == []
    assert len(notices(ann, "Shopping one")) == 1

    # Every other kind off too: the last one stays, with a pointer to "Turn notices off".
    await ann.send("/notices")
    for label in [t for t in ann.last.button_texts if t.startswith("✓ ")]:
        if label != "✓ Shopping and errands":
            await ann.press(label, ann.last)
    await ann.press("✓ Shopping and errands", ann.last)
    assert "At least one kind needs to stay on" in ann.last.text
    assert "✓ Shopping and errands" in ann.last.button_texts


async def test_notices_screen_in_welsh_shows_welsh_kinds(bot: AmserApplication, emulator) -> None:
    bryn = emulator.member(581, "Bryn")
    await join(bryn, language="cy", categories=("Garddio",))
    await bryn.send("/notices")
    assert "✓ Garddio" in bryn.last.button_texts
    assert "✓ Cwmni a sgwrs" in bryn.last.button_texts
    await bryn.press("✓ Garddio")
    assert "Garddio" in bryn.last.button_texts
    prefs = await bot.services.matching.preferences(await member_id(bot, bryn))
    assert "gardening" not in prefs.categories and len(prefs.categories) == 7
