"""Simulated members: finding buttons, forged presses, and the transcript of raw API use."""

from __future__ import annotations

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
)

from bot.emulator import BotApiEmulator


def markup(*labels: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=f"d:{label}") for label in labels]]
    )


async def test_member_is_idempotent_and_starts_silent(emu: BotApiEmulator) -> None:
    eleri = emu.member(1, "Eleri", language_code="cy")
    assert emu.member(1, "Someone else") is eleri
    assert (eleri.user_id, eleri.first_name, eleri.language_code) == (1, "Eleri", "cy")
    assert eleri.messages == []
    with pytest.raises(AssertionError, match="no messages"):
        _ = eleri.last


async def test_button_lookup(emu: BotApiEmulator, bot: Bot) -> None:
    eleri = emu.member(1, "Eleri")
    await eleri.send("hi")
    await bot.send_message(1, "pick", reply_markup=markup("Offer time", "Request time", "Help"))
    message = eleri.last
    assert message.button("Help").callback_data == "d:Help"
    assert message.button("Offer").callback_data == "d:Offer time"
    with pytest.raises(LookupError, match=r"ambiguous.*\[Offer time\], \[Request time\]"):
        message.button("time")
    with pytest.raises(LookupError, match="not found"):
        message.button("Nope")


async def test_press_targets_latest_keyboard_or_given_message(
    emu: BotApiEmulator, bot: Bot
) -> None:
    eleri = emu.member(1, "Eleri")
    await eleri.send("hi")
    first = await bot.send_message(1, "first", reply_markup=markup("A"))
    await bot.send_message(1, "second", reply_markup=markup("B"))
    await bot.send_message(1, "no keyboard")
    with pytest.raises(LookupError):
        await eleri.press("A")  # the latest keyboard only has B
    await eleri.press("B")
    await eleri.press("A", message=eleri.messages[0])
    updates = await bot.get_updates()
    queries = [u.callback_query for u in updates if u.callback_query]
    assert [q.data for q in queries] == ["d:B", "d:A"]
    assert isinstance(queries[1].message, Message)
    assert queries[1].message.message_id == first.message_id
    assert queries[1].from_user is not None and queries[1].from_user.id == 1


async def test_link_buttons_and_missing_keyboards(emu: BotApiEmulator, bot: Bot) -> None:
    eleri = emu.member(1, "Eleri")
    await eleri.send("hi")
    with pytest.raises(LookupError, match="no bot message"):
        await eleri.press("Anything")
    link = InlineKeyboardButton("Website", url="https://amser.cymru")
    await bot.send_message(1, "see", reply_markup=InlineKeyboardMarkup([[link]]))
    with pytest.raises(ValueError, match="link button"):
        await eleri.press("Website")


async def test_forged_press_on_unknown_message_is_inaccessible(
    emu: BotApiEmulator, bot: Bot
) -> None:
    eleri = emu.member(1, "Eleri")
    await eleri.send("hi")
    await eleri.press_data("admin:delete_all", message_id=777)
    (query,) = [u.callback_query for u in await bot.get_updates() if u.callback_query]
    assert query.data == "admin:delete_all"
    assert query.message is not None and not query.message.is_accessible  # date 0
    assert query.message.message_id == 777


async def test_transcript_of_raw_api_use(emu: BotApiEmulator, bot: Bot) -> None:
    eleri = emu.member(1, "Eleri")
    await eleri.send("/export")
    await bot.send_document(1, b"1234", filename="amser-data.json", caption="Your data")
    await bot.send_message(1, "Menu", reply_markup=ReplyKeyboardMarkup([["Offer", "Ask"]]))
    sent = await bot.send_message(1, "Line one\nLine two", reply_markup=markup("Yes", "No"))
    await eleri.press("Yes")
    query_id = eleri.unanswered_callbacks[0]
    await bot.answer_callback_query(query_id, text="Saved")
    await bot.edit_message_reply_markup(1, sent.message_id, reply_markup=None)
    await bot.delete_message(1, sent.message_id)
    eleri.block_bot()
    with pytest.raises(Exception, match="blocked"):
        await bot.send_message(1, "Are you there?")
    assert emu.transcript() == (
        "Eleri: /export\n"
        "Bot → Eleri: 📎 amser-data.json (4 bytes)\n"
        "   Your data\n"
        "Bot → Eleri: Menu\n"
        "   ⌨ [Offer] [Ask]\n"
        "Bot → Eleri: Line one\n"
        "   Line two\n"
        "   [Yes] [No]\n"
        "Eleri presses [Yes]\n"
        "Bot → Eleri (pop-up): Saved\n"
        "Bot changes the buttons → Eleri\n"
        "   (buttons removed)\n"
        "Bot deletes a message → Eleri: Line one\n"
        "   Line two\n"
        "Eleri blocks the bot\n"
        "   ✗ not delivered to Eleri: Forbidden: bot was blocked by the user\n"
    )


async def test_waiting_helpers_time_out_without_a_polling_bot(emu: BotApiEmulator) -> None:
    update_id = await emu.member(1, "Eleri").send("hi")
    with pytest.raises(TimeoutError, match="did not fetch"):
        await emu.wait_until_fetched(update_id, timeout=0.01)
    with pytest.raises(TimeoutError, match="long poll"):
        await emu.wait_for_long_poll(timeout=0.01)


async def test_narration_sets_scenes_in_the_transcript(emu: BotApiEmulator) -> None:
    emu.narrate("Eleri joins")
    await emu.member(1, "Eleri").send("hi")
    emu.narrate("A day passes")
    assert emu.transcript() == "— Eleri joins —\n\nEleri: hi\n\n— A day passes —\n"


async def test_a_reply_carries_the_message_replied_to(emu: BotApiEmulator, bot: Bot) -> None:
    eleri = emu.member(1, "Eleri")
    said = await eleri.send("hi")
    sent = await bot.send_message(
        1, "<b>Message</b> from Ann", parse_mode="HTML", reply_markup=markup("Report")
    )
    await eleri.send("/report", reply_to=eleri.last)
    said_id = eleri.sent_messages[0]["message_id"]
    await eleri.send("again", reply_to=said_id)
    updates = [u for u in await bot.get_updates() if u.update_id > said]
    to_bot, to_own = (u.message for u in updates)
    assert to_bot is not None and to_own is not None
    replied = to_bot.reply_to_message
    assert replied is not None and replied.message_id == sent.message_id
    assert replied.text == "Message from Ann" and replied.from_user is not None
    assert replied.from_user.id == (await bot.get_me()).id
    assert replied.reply_markup is not None
    assert replied.reply_markup.inline_keyboard[0][0].callback_data == "d:Report"
    assert to_bot.text == "/report" and to_bot.entities[0].type == "bot_command"
    own = to_own.reply_to_message
    assert own is not None and own.message_id == said_id and own.text == "hi"
    assert own.from_user is not None and own.from_user.id == 1
    assert "(in reply to “Message from Ann”) /report" in emu.transcript()
    with pytest.raises(LookupError, match="no message 999"):
        await eleri.send("x", reply_to=999)
    await bot.delete_message(1, sent.message_id)
    with pytest.raises(LookupError):
        await eleri.send("x", reply_to=sent.message_id)
