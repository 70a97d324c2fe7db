"""Crisis words end to end: the helplines at once, in the member's language, and a person to get
in touch only if they say yes; the message still does what it would have done."""

from __future__ import annotations

from datetime import timedelta

from bot.emulator import BotApiEmulator, SimulatedMember
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from tests.helpers import joined, member_of, signed
from tests.test_introductions import introduced

HELPLINES_EN = "You can talk to someone now, free, at any time:"
HELPLINES_CY = "Gallwch siarad â rhywun nawr, am ddim, unrhyw bryd:"
ASK_EN = "Yes, please ask someone to get in touch"
ASK_CY = "Iawn, gofynnwch i rywun gysylltu â fi"


def helplines_reply(person: SimulatedMember, heading: str = HELPLINES_EN):
    found = [message for message in person.messages if heading in message.text]
    assert found, f"{person.first_name} got no helplines"
    return found[-1]


def now_reads(person: SimulatedMember, message_id: int) -> str:
    """A message as it reads now (a press changes it in place)."""
    return next(m.text for m in person.messages if m.message_id == message_id)


async def contact_requests(app: AmserApplication) -> list[tuple]:
    rows = await app.services.db.fetch_all(
        "SELECT member_id, kind, reason, state FROM support_requests ORDER BY id"
    )
    return [tuple(row) for row in rows]


async def test_crisis_words_get_the_helplines_and_yes_asks_once(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    ann = await joined(emulator, 701, "Ann")
    await ann.send("I just want to die")
    reply = helplines_reply(ann)
    for number in ("116 123", "0808 164 0123", "111", "999"):
        assert number in reply.text
    assert "Samaritans" in reply.text and "press 2" in reply.text
    # Nothing was waiting for the message: the helplines are the whole answer, with no
    # "I wasn't expecting a message" after them.
    assert ann.last.message_id == reply.message_id
    assert await contact_requests(bot) == []  # nobody is told unless Ann says yes
    await ann.press(ASK_EN, reply)
    confirmed = now_reads(ann, reply.message_id)
    assert "We've asked someone from Amser Test to get in touch" in confirmed
    assert "116 123" in confirmed  # the numbers stay in front of her
    member = await member_of(bot, ann)
    assert await contact_requests(bot) == [(member.id, "contact", "crisis", "open")]
    # A double tap (the old button, pressed again) asks nothing twice.
    await ann.press_data(signed(bot, ann, "sg", "contact", "crisis"), reply.message_id)
    assert await contact_requests(bot) == [(member.id, "contact", "crisis", "open")]


async def test_no_thanks_tells_nobody(bot: AmserApplication, emulator: BotApiEmulator) -> None:
    ben = await joined(emulator, 702, "Ben")
    await ben.send("Sometimes I think about suicide")
    reply = helplines_reply(ben)
    await ben.press("No, thanks", reply)
    assert "The numbers above are there whenever you need them" in now_reads(ben, reply.message_id)
    assert await contact_requests(bot) == []


async def test_in_welsh_with_a_mutation(bot: AmserApplication, emulator: BotApiEmulator) -> None:
    cai = await joined(emulator, 703, "Cai", language="cy")
    await cai.send("Dw i wedi bod yn meddwl am ladd fy hun")
    reply = helplines_reply(cai, HELPLINES_CY)
    assert "Samaritans yn Gymraeg" in reply.text and "0808 164 0123" in reply.text
    assert "pwyswch 2" in reply.text
    await cai.press(ASK_CY, reply)
    assert "Diolch" in now_reads(cai, reply.message_id)
    assert [row[2] for row in await contact_requests(bot)] == ["crisis"]


async def test_an_idiom_is_not_a_crisis(bot: AmserApplication, emulator: BotApiEmulator) -> None:
    dai = await joined(emulator, 704, "Dai")
    eli = await joined(emulator, 705, "Eli", language="cy")
    before = len(dai.messages), len(eli.messages)
    await dai.send("I could kill for a cuppa, dying to see you all")
    await eli.send("Ro'n i eisiau marw o chwerthin")
    assert not any(HELPLINES_EN in message.text for message in dai.messages[before[0] :])
    assert not any(HELPLINES_CY in message.text for message in eli.messages[before[1] :])


async def test_a_form_still_gets_the_text(bot: AmserApplication, emulator: BotApiEmulator) -> None:
    fay = await joined(emulator, 706, "Fay")
    await fay.send("/request")
    await fay.press("Gardening")
    await fay.send("Help in the garden, I want to end my life")
    helplines_reply(fay)
    # The title was taken and the form asks its next question, as it would have.
    assert "details" in fay.last.text.lower() or "more" in fay.last.text.lower()
    member = await member_of(bot, fay)
    form = await bot.services.forms.of_member(member.id)
    assert form is not None and "end my life" in str(form.answers)


async def test_a_relayed_message_still_arrives(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    kim = await joined(emulator, 707, "Kim")
    lew = await joined(emulator, 708, "Lew", language="cy")
    await introduced(bot, kim, lew)
    from tests.helpers import tap

    await tap(bot, kim, "in", "msg")
    await kim.send("Honestly I feel suicidal some days")
    helplines_reply(kim)
    assert "Honestly I feel suicidal some days" in lew.last.text
    assert not any(HELPLINES_CY in message.text for message in lew.messages)


async def test_a_caption_and_someone_not_yet_joined(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    gwen = await joined(emulator, 709, "Gwen")
    await gwen.send_photo("self harm")
    helplines_reply(gwen)
    stranger = emulator.member(710, "Huw", language_code="cy")
    await stranger.send("dw i eisiau marw")
    reply = helplines_reply(stranger, HELPLINES_CY)
    assert not reply.buttons  # nobody to put in the queue yet: the numbers only


async def test_the_reply_is_never_held_by_quiet_hours(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    ivy = await joined(emulator, 711, "Ivy")
    clock.advance(timedelta(hours=13))  # 23:00, quiet hours
    await ivy.send("no reason to live")
    helplines_reply(ivy)
