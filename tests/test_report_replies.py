"""/report sent as a reply: to a message passed on from another member it reports that message
(coordinators see whose it was and its words, the reporter is thanked); to anything else it
explains kindly what can be reported. In English and Welsh."""

from __future__ import annotations

import pytest

from bot.emulator import BotApiEmulator, BotMessage, SimulatedMember
from bot.runtime.context import AmserApplication
from tests.helpers import joined, tap
from tests.test_introductions import introduced
from tests.test_support_queue import cards, staff

WORDS = {
    "en": {
        "relayed": "Message from Bob via Amser",
        "unkind": "Unkind or unsafe",
        "add": "add a few words for the coordinators",
        "thanks": "Thank you for telling us",
        "not_passed_on": "isn't a message passed on to you from another member",
        "how": "tap 🚩 Report on its card",
        "choose": "🚩 Bob",
    },
    "cy": {
        "relayed": "Neges gan Bob drwy Amser",
        "unkind": "Angharedig neu anniogel",
        "add": "ychwanegu ychydig eiriau i'r cydlynwyr",
        "thanks": "Diolch am ddweud wrthym",
        "not_passed_on": "Nid yw honna'n neges a anfonwyd atoch gan aelod arall",
        "how": "tapiwch 🚩 Adrodd ar ei cherdyn",
        "choose": "🚩 Bob",
    },
}


async def relayed_to_ann(
    bot: AmserApplication, emulator: BotApiEmulator, language: str
) -> tuple[SimulatedMember, SimulatedMember, BotMessage]:
    """Ann (in `language`) and Bob are introduced, and Bob's message is passed on to Ann."""
    ann = await joined(emulator, 301, "Ann", language=language)
    bob = await joined(emulator, 302, "Bob")
    await introduced(bot, ann, bob)
    await tap(bot, bob, "in", "msg")
    await bob.send("Send me your <PIN> now")
    await bot.settle()
    relayed = next(m for m in reversed(ann.messages) if WORDS[language]["relayed"] in m.text)
    return ann, bob, relayed


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_report_as_a_reply_to_a_passed_on_message(
    bot: AmserApplication, emulator: BotApiEmulator, language: str
) -> None:
    words = WORDS[language]
    ambassador, admin = await staff(emulator)
    ann, _bob, relayed = await relayed_to_ann(bot, emulator, language)
    await ann.send("Thanks, I'll think about it")  # the relayed message is no longer the last
    await ann.send("/report", reply_to=relayed)
    await ann.press(words["unkind"])
    assert words["add"] in ann.last.text
    await ann.send("He asked for my <b>PIN</b>")
    assert words["thanks"] in ann.last.text
    await bot.settle()
    (card,) = cards(admin, "A new report has come in")
    assert "Report" in card and "a message" in card
    assert "Reported by Ann, about Bob." in card and "Unkind or unsafe" in card
    assert words["relayed"] in card  # whose message it was, as Ann saw it
    assert "Send me your &lt;PIN&gt; now" in card
    assert "He asked for my &lt;b&gt;PIN&lt;/b&gt;" in card
    assert not cards(ambassador, "A new report")  # reports are for coordinators
    await admin.press("✅ Handled")
    await bot.settle()
    told = "A coordinator has looked at it" if language == "en" else "Mae cydlynydd wedi edrych"
    assert len(cards(ann, told)) == 1


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_report_as_a_reply_to_something_else_explains(
    bot: AmserApplication, emulator: BotApiEmulator, language: str
) -> None:
    words = WORDS[language]
    _ambassador, admin = await staff(emulator)
    ann, _bob, _relayed = await relayed_to_ann(bot, emulator, language)
    await ann.send("/help")
    help_message = ann.last
    for target in (help_message, ann.sent_messages[-1]["message_id"]):
        await ann.send("/report", reply_to=target)
        explained = ann.last.text
        assert words["not_passed_on"] in explained and words["how"] in explained
        assert words["choose"] in ann.last.button_texts  # or someone they were introduced to
    await bot.settle()
    assert not cards(admin, "A new report")  # nothing was reported
