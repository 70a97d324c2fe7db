"""The support queue through the emulator: a "please get in touch" reaching every ambassador
and coordinator (never with answers), taken by one (race-free), handed back, closed with a
note; reminded daily and escalated once; reports of a listing and of a relayed message end to
end; forged presses refused."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.config import Config
from bot.emulator import BotApiEmulator, SimulatedMember
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from bot.runtime.i18n import Catalogs
from handlers.support.buttons import Act, Claim, HandBack
from handlers.support.contact import ask_for_contact
from handlers.support.queue import unclaimed_for
from storage.reports import Outcome
from storage.support import ContactReason
from tests.conftest import ADMIN_ID, AMBASSADOR_ID
from tests.helpers import joined, member_of, signed, tap
from tests.test_introductions import introduced, post
from tests.test_safeguarding import ASK_EN, helplines_reply

SECOND_AMBASSADOR = 9003
ASKED_EN = "would like someone from the community to get in touch"
ASKED_CY = "i rywun o'r gymuned gysylltu"


async def staff(
    emulator: BotApiEmulator, language: str = "en"
) -> tuple[SimulatedMember, SimulatedMember]:
    ambassador = await joined(emulator, AMBASSADOR_ID, "Alys", language=language)
    admin = await joined(emulator, ADMIN_ID, "Cai")
    return ambassador, admin


async def ask(app: AmserApplication, person: SimulatedMember, reason: ContactReason) -> bool:
    """What a check-in's "yes, please" does (helper CI's part), then the outbox is sent."""
    member = await member_of(app, person)
    asked = await ask_for_contact(app.services, member.id, reason)
    await app.settle()
    return asked


async def audited(app: AmserApplication) -> list[tuple]:
    """The audit's rows: what was done, by whom, to whom, about what."""
    rows = await app.services.db.fetch_all(
        "SELECT action, actor_id, target_id, subject, details FROM audit ORDER BY id"
    )
    return [tuple(row) for row in rows]


def cards(person: SimulatedMember, words: str) -> list[str]:
    return [message.html or message.text for message in person.messages if words in message.text]


async def test_a_request_reaches_every_ambassador_and_is_taken_and_closed(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    ambassador, admin = await staff(emulator)
    nia = await joined(emulator, 101, "Nia <3", username="nia_b")
    assert await ask(bot, nia, ContactReason.CHECKIN)
    assert not await ask(bot, nia, ContactReason.CHECKIN)  # asking again changes nothing
    for person in (ambassador, admin):
        (card,) = cards(person, ASKED_EN)
        assert "Nia &lt;3" in card and "(@nia_b)" in card and 'href="tg://user?id=101"' in card
        assert "after a check-in" in card
    assert not cards(nia, ASKED_EN)  # never to the member themself
    await ambassador.press("🙋 I'll take this")
    assert "It's yours now" in ambassador.last.text
    assert "Alys has taken this" in ambassador.last.text
    request = (await bot.services.support.waiting(reports=True, offset=0, limit=5))[0][0]
    # A second press (a double tap, or the card queued before it was taken): still theirs.
    await ambassador.press_data(signed(bot, ambassador, *Claim(request.id).parts()))
    assert "You've already taken this one." in ambassador.last.text
    # A member who is not an ambassador can't take it, even with well-signed data.
    await nia.press_data(signed(bot, nia, *Claim(request.id).parts()))
    assert "this is for ambassadors and coordinators" in nia.last.text
    await ambassador.press("✅ Close with a note")
    await ambassador.send("Rang her <b>, all well")
    assert "Closed. Thank you" in ambassador.last.text
    assert "Rang her &lt;b&gt;, all well" in (ambassador.last.html or "")
    await admin.send("/queue")
    assert "Nobody is waiting just now" in admin.last.text
    # Closed: asking again opens a new request.
    assert await ask(bot, nia, ContactReason.CRISIS)
    assert "asked for help" in cards(ambassador, ASKED_EN)[-1]


@pytest.fixture
def config(config: Config) -> Config:
    """Two ambassadors (and the coordinator)."""
    return replace(config, ambassadors=config.ambassadors | {SECOND_AMBASSADOR})


async def test_two_ambassadors_pressing_at_once_one_takes_it(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    first, admin = await staff(emulator)
    second = await joined(emulator, SECOND_AMBASSADOR, "Bethan")
    nia = await joined(emulator, 101, "Nia")
    await ask(bot, nia, ContactReason.WELLBEING)
    request = (await bot.services.support.waiting(reports=True, offset=0, limit=5))[0][0]
    await asyncio.gather(
        first.press_data(signed(bot, first, *Claim(request.id).parts())),
        second.press_data(signed(bot, second, *Claim(request.id).parts())),
    )
    await bot.settle()
    took = await bot.services.support.get(request.id)
    assert took is not None and took.state == "claimed"
    winner, loser = (
        (first, second) if took.claimed_by == (await member_of(bot, first)).id else (second, first)
    )
    assert "It's yours now" in winner.last.text
    assert "has already taken this one. Thank you for offering!" in loser.last.text
    labels = [button.text for row in loser.last.buttons for button in row]
    # Only the one who took it may close it or hand it back; a coordinator may too.
    assert "✅ Close with a note" not in labels
    await admin.send("/queue")
    await admin.press("Open: Nia")
    assert "✅ Close with a note" in str(admin.last.buttons)


async def test_hand_back_and_only_the_claimer_may(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    ambassador, admin = await staff(emulator)
    nia = await joined(emulator, 101, "Nia")
    await ask(bot, nia, ContactReason.CHECKIN)
    request = (await bot.services.support.waiting(reports=True, offset=0, limit=5))[0][0]
    await ambassador.press("🙋 I'll take this")
    # A forged hand-back (data signed for someone else) is refused; nothing changes.
    refused = await admin.press_data(signed(bot, ambassador, "sq:back", request.id))
    await bot.settle()
    assert refused and not admin.unanswered_callbacks
    still = await bot.services.support.get(request.id)
    assert still is not None and still.state == "claimed"
    await ambassador.press("↩️ Hand back")
    assert "Handed back" in ambassador.last.text
    await ambassador.press("🙋 I'll take this")  # the card offers it again
    assert "It's yours now" in ambassador.last.text
    # The coordinator may hand it back too, from /queue.
    await admin.send("/queue")
    await admin.press("Open: Nia")
    await admin.press("↩️ Hand back")
    assert "Handed back" in admin.last.text
    await admin.press("🙋 I'll take this")
    await tap(bot, admin, "sq", "back")
    # A double tap (the card has already changed): back once.
    await admin.press_data(signed(bot, admin, *HandBack(request.id).parts()))
    assert "It's already back in the queue." in admin.last.text
    again = await bot.services.support.get(request.id)
    assert again is not None and again.state == "open"


async def test_waiting_requests_are_reminded_daily_and_escalated_once(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    ambassador, admin = await staff(emulator)
    for user_id, name in ((101, "Nia"), (102, "Osian")):
        await ask(bot, await joined(emulator, user_id, name), ContactReason.CHECKIN)
    reminder = "2 requests are waiting for someone to take them in /queue."
    escalated = "Nobody has taken this request for 2 days."
    clock.advance(timedelta(hours=12))
    await bot.run_due_work()
    await bot.settle()
    assert not cards(ambassador, reminder)
    clock.advance(timedelta(hours=13))  # 25 hours: one summary each
    await bot.run_due_work()
    await bot.settle()
    assert len(cards(ambassador, reminder)) == 1 and len(cards(admin, reminder)) == 1
    assert not cards(admin, escalated)
    clock.advance(timedelta(hours=1))
    await bot.run_due_work()
    await bot.settle()
    assert len(cards(ambassador, reminder)) == 1  # not again the same day
    clock.advance(timedelta(hours=23))  # 49 hours: reminded again, and escalated, once each
    await bot.run_due_work()
    await bot.settle()
    assert len(cards(ambassador, reminder)) == 2
    assert len(cards(admin, escalated)) == 2 and not cards(ambassador, escalated)
    clock.advance(timedelta(hours=2))
    await bot.run_due_work()
    await bot.settle()
    assert len(cards(admin, escalated)) == 2


async def test_reminders_wait_for_the_morning(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    ambassador, admin = await staff(emulator)
    await ask(bot, await joined(emulator, 101, "Nia"), ContactReason.CHECKIN)
    clock.advance(timedelta(hours=13, minutes=30))  # 23:30: quiet hours
    await bot.run_due_work()
    clock.advance(timedelta(hours=11))  # 10:30 next day: 24.5 hours waiting
    await bot.run_due_work()
    await bot.settle()
    assert len(cards(ambassador, "1 request is waiting")) == 1
    assert len(cards(admin, "1 request is waiting")) == 1


async def test_a_listing_report_end_to_end(bot: AmserApplication, emulator: BotApiEmulator) -> None:
    ambassador, admin = await staff(emulator)
    owner = await joined(emulator, 201, "Gwen")
    reporter = await joined(emulator, 202, "Huw")
    listing = await post(bot, owner, title="Cheap <watches> for sale")
    await reporter.send("/browse")
    await reporter.press("🤝 Requests for help")
    await reporter.press("Everything")
    await tap(bot, reporter, "br", "card")
    await reporter.press("🚩 Report")
    await reporter.press("Spam or selling")
    await reporter.send("He keeps <b>selling</b> things")
    assert "Thank you for telling us" in reporter.last.text
    await bot.settle()
    (card,) = cards(admin, "A new report has come in")
    assert "Cheap &lt;watches&gt; for sale" in card and "&lt;b&gt;selling&lt;/b&gt;" in card
    assert "Reported by Huw, about Gwen." in card and "Spam or selling" in card
    assert not cards(ambassador, "A new report")  # reports are for coordinators
    # A forged press (signed for the ambassador) is refused.
    report = (await bot.services.support.waiting(reports=True, offset=0, limit=5))[0][0]
    await ambassador.press_data(signed(bot, ambassador, *Act(report.id, Outcome.HANDLED).parts()))
    assert "this is for coordinators" in ambassador.last.text
    await admin.press("Take the listing down")
    assert "Dealt with by Cai: the listing was taken down." in admin.last.text
    taken = await bot.services.listings.get(listing.id)
    assert taken is not None and taken.status == "closed"
    await admin.press_data(signed(bot, admin, *Act(report.id, Outcome.DISMISSED).parts()))
    assert "dealt with already" in admin.last.text
    who = (await member_of(bot, admin)).id, (await member_of(bot, owner)).id
    assert await audited(bot) == [
        ("remove_listing", *who, listing.id, f'{{"report": {report.id}}}')
    ]
    await bot.settle()
    told = cards(reporter, "A coordinator has looked at it")
    assert len(told) == 1 and "The listing has been taken down." in told[0]
    (owner_told,) = cards(owner, "The coordinators have taken down your request")
    assert "Cheap &lt;watches&gt; for sale" in owner_told and "Spam or selling" in owner_told


async def test_a_relayed_message_report_in_welsh(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    ambassador, admin = await staff(emulator)
    ann = await joined(emulator, 301, "Ann", language="cy")
    bob = await joined(emulator, 302, "Bob")
    await introduced(bot, ann, bob)
    await tap(bot, bob, "in", "msg")
    await bob.send("Send me your <PIN> now")
    await bot.settle()
    await ann.press("🚩 Adrodd")
    await ann.press("Angharedig neu anniogel")
    await ann.press("Anfon heb eiriau")
    assert "Diolch am ddweud wrthym" in ann.last.text
    await bot.settle()
    (card,) = cards(admin, "A new report has come in")
    assert "Send me your &lt;PIN&gt; now" in card and "Reported by Ann, about Bob." in card
    assert not cards(ambassador, "A new report")
    await ambassador.send("/queue")  # reports are not in an ambassador's queue
    assert "Nobody is waiting" in ambassador.last.text
    await admin.send("/queue")
    assert "Report" in admin.last.text and "about Bob: Unkind or unsafe" in admin.last.text
    await tap(bot, admin, "sq", "item")
    await admin.press("✅ Handled")
    await bot.settle()
    assert cards(ann, "Mae cydlynydd wedi edrych arno")
    (row,) = await audited(bot)
    who = (await member_of(bot, admin)).id, (await member_of(bot, bob)).id
    assert row[:3] == ("report", *who) and row[4] == '{"outcome": "handled"}'
    await admin.send("/queue")
    assert "Nobody is waiting" in admin.last.text


async def test_in_welsh_the_request_never_carries_answers_and_crisis_is_not_held(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    ambassador, admin = await staff(emulator, language="cy")
    nia = await joined(emulator, 101, "Nia", language="cy")
    clock.advance(timedelta(hours=12))  # 22:00: quiet hours
    await ask(bot, nia, ContactReason.WELLBEING)
    assert not cards(ambassador, ASKED_CY)  # held until the morning
    rows = await bot.services.db.fetch_all(
        "SELECT data FROM outbox WHERE purpose = 'support.asked'"
    )
    assert rows and all(row["data"] == "{}" for row in rows)  # nothing of theirs
    osian = await joined(emulator, 102, "Osian")
    await ask(bot, osian, ContactReason.CRISIS)  # after crisis words: at once
    (card,) = cards(ambassador, ASKED_CY)
    assert (
        "Osian" in card
        and "wedi gofyn am help" in card
        and "Fe wna i hwn" in str(ambassador.last.buttons)
    )
    clock.advance(timedelta(hours=10, minutes=1))  # 08:01
    await bot.settle()
    assert len(cards(ambassador, ASKED_CY)) == 2
    await ambassador.send("/queue")
    assert "Y ciw cymorth" in ambassador.last.text and "Nia" in ambassador.last.text
    assert len(cards(admin, "would like someone from the community")) == 2  # in English


async def test_report_command_offers_introductions(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    ambassador, admin = await staff(emulator)
    ann = await joined(emulator, 301, "Ann")
    bob = await joined(emulator, 302, "Bob")
    await introduced(bot, ann, bob)
    await bob.send("/report")
    assert "tap 🚩 Report on its card" in bob.last.text
    await bob.press("🚩 Ann")
    await bob.press("Something else")
    await bob.press("« Back")
    await bob.press("Unkind or unsafe")
    await bob.send("x" * 400)  # too long: asked again, nothing lost
    assert "please keep it to 300 characters" in bob.last.text
    await bob.press("Send without words")
    await tap(bot, bob, "rp", "skip")  # a double tap reports once
    await bot.settle()
    assert len(cards(admin, "A new report has come in")) == 1
    assert (
        "about Ann" in cards(admin, "A new report")[0]
        and "Unkind or unsafe" in cards(admin, "A new report")[0]
    )
    assert not cards(ambassador, "A new report")  # reports are for coordinators


async def test_the_queue_pages_oldest_first(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    ambassador, _admin = await staff(emulator)
    for number in range(7):
        await ask(
            bot, await joined(emulator, 400 + number, f"Person{number}"), ContactReason.CHECKIN
        )
        clock.advance(timedelta(minutes=1))
    await ambassador.send("/queue")
    first = ambassador.last.text
    assert "Person0" in first and "Person4" in first and "Person5" not in first
    await ambassador.press("More »")
    assert "Person5" in ambassador.last.text and "Person6" in ambassador.last.text
    await ambassador.press("« Earlier")
    assert "Person0" in ambassador.last.text
    await ambassador.press("🙋 I'll take this: Person2")
    assert "It's yours now" in ambassador.last.text and "Person2" in ambassador.last.text


async def test_crisis_words_make_an_open_request_urgent_even_at_night(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    ambassador, admin = await staff(emulator)
    nia = await joined(emulator, 101, "Nia")
    clock.advance(timedelta(hours=12))  # 22:00: quiet hours
    assert await ask(bot, nia, ContactReason.CHECKIN)
    assert not cards(ambassador, ASKED_EN)  # a check-in's request waits for the morning
    await nia.send("I want to end my life")
    await nia.press(ASK_EN, helplines_reply(nia))
    await bot.settle()
    for person in (ambassador, admin):
        (card,) = cards(person, ASKED_EN)  # at once, and once each
        assert "asked for help" in card
    # Asked again after more crisis words: already urgent, nobody is told twice.
    await nia.send("I want to end my life")
    await nia.press(ASK_EN, helplines_reply(nia))
    await bot.settle()
    assert len(cards(ambassador, ASKED_EN)) == 1 and len(cards(admin, ASKED_EN)) == 1
    clock.advance(timedelta(hours=10, minutes=1))  # 08:01: the held check-in cards
    await bot.settle()
    assert len(cards(ambassador, ASKED_EN)) == 2 and len(cards(admin, ASKED_EN)) == 2


async def test_crisis_words_on_a_taken_request_tell_whoever_took_it(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    ambassador, admin = await staff(emulator)
    osian = await joined(emulator, 102, "Osian")
    await ask(bot, osian, ContactReason.CHECKIN)
    await ambassador.press("🙋 I'll take this")
    await osian.send("I keep thinking about killing myself")
    await osian.press(ASK_EN, helplines_reply(osian))
    await bot.settle()
    assert "asked for help" in cards(ambassador, ASKED_EN)[-1]
    assert len(cards(ambassador, ASKED_EN)) == 2 and len(cards(admin, ASKED_EN)) == 1
    request = await bot.services.support.get(
        (await bot.services.support.waiting(reports=True, offset=0, limit=5))[0][0].id
    )
    assert request is not None and request.state == "claimed" and request.reason == "crisis"


async def test_reports_and_their_outcome_wait_for_the_morning(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    _ambassador, admin = await staff(emulator)
    ann = await joined(emulator, 301, "Ann")
    bob = await joined(emulator, 302, "Bob")
    await introduced(bot, ann, bob)
    clock.advance(timedelta(hours=13))  # 23:00: quiet hours
    await bob.send("/report")
    await bob.press("🚩 Ann")
    await bob.press("Unkind or unsafe")
    await bob.press("Send without words")
    assert "Thank you for telling us" in bob.last.text  # the answer itself is not held
    await bot.settle()
    assert not cards(admin, "A new report has come in")
    clock.advance(timedelta(hours=9, minutes=1))  # 08:01
    await bot.settle()
    assert len(cards(admin, "A new report has come in")) == 1
    clock.advance(timedelta(hours=14))  # 22:01: dealt with late at night
    await admin.press("✅ Handled")
    await bot.settle()
    assert not cards(bob, "A coordinator has looked at it")
    clock.advance(timedelta(hours=10))  # 08:01
    await bot.settle()
    assert len(cards(bob, "A coordinator has looked at it")) == 1


async def test_a_report_about_someone_who_has_left_is_not_sent(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    _ambassador, admin = await staff(emulator)
    ann = await joined(emulator, 301, "Ann")
    bob = await joined(emulator, 302, "Bob")
    await introduced(bot, ann, bob)
    await bob.send("/report")
    await bob.press("🚩 Ann")
    await bob.press("Unkind or unsafe")
    await ann.send("/forget")
    await ann.press("Yes, erase my details")
    assert "Your details have been erased" in ann.last.text
    # Bob's report in progress named Ann: it went with her.
    forms = await bot.services.db.fetch_all("SELECT answers FROM forms WHERE name = 'report'")
    assert forms == []
    await bob.press("Send without words")
    assert "That form has closed" in bob.last.text
    await bot.settle()
    assert not cards(admin, "A new report has come in")
    assert await bot.services.db.fetch_all("SELECT id FROM support_requests") == []


def test_the_escalation_says_how_long_it_waited() -> None:
    catalogs = Catalogs()
    assert unclaimed_for(catalogs["en"], 48) == "⏰ Nobody has taken this request for 2 days."
    assert unclaimed_for(catalogs["en"], 36) == "⏰ Nobody has taken this request for 36 hours."
    assert unclaimed_for(catalogs["cy"], 24) == "⏰ Does neb wedi cymryd y cais hwn ers 1 diwrnod."
