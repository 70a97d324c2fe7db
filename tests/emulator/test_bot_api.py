"""The Bot API as a real telegram.Bot sees it: results, errors and recorded calls."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    ForceReply,
    InlineKeyboardButton,
    MessageEntity,
    ReplyKeyboardRemove,
    ReplyParameters,
)
from telegram import InlineKeyboardMarkup as Markup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken

from bot.emulator import ApiCall, BotApiEmulator, SimulatedMember


@pytest.fixture
async def eleri(emu: BotApiEmulator) -> SimulatedMember:
    member = emu.member(1, "Eleri", language_code="cy", username="eleri")
    await member.send("/start")
    return member


def keyboard(*data: str) -> Markup:
    return Markup([[InlineKeyboardButton(f"B{i}", callback_data=d) for i, d in enumerate(data)]])


async def test_get_me_describes_the_bot(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.first_name, me.is_bot) == (
        123456,
        "amser_test_bot",
        "Amser",
        True,
    )


async def test_wrong_token_is_unauthorized(emu: BotApiEmulator) -> None:
    intruder = Bot("123456:WRONG", base_url=emu.base_url)
    with pytest.raises(InvalidToken):
        await intruder.get_me()
    with pytest.raises(InvalidToken, match="rejected"):
        await intruder.initialize()  # PTB verifies the token with getMe here
    await intruder.shutdown()
    assert emu.calls[-1].status == 401
    assert emu.calls[-1].response == {"ok": False, "error_code": 401, "description": "Unauthorized"}


async def test_raw_http_forms_and_method_case(emu: BotApiEmulator, eleri: SimulatedMember) -> None:
    url = f"{emu.base_url}{emu.token}"
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{url}/GETME") as response:
            assert response.status == 200
            assert (await response.json())["result"]["username"] == "amser_test_bot"
        async with http.post(f"{url}/nosuchMethod") as response:
            assert response.status == 404
            assert await response.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found",
            }
        payload = {"chat_id": 1, "text": "json", "reply_markup": {"remove_keyboard": True}}
        async with http.post(f"{url}/sendmessage", json=payload) as response:
            assert response.status == 200
        async with http.get(f"{url}/sendMessage", params={"chat_id": "1", "text": "q"}) as response:
            assert response.status == 200
    assert [c.method for c in emu.calls] == ["getMe", "nosuchMethod", "sendMessage", "sendMessage"]
    assert emu.calls[2].params["reply_markup"] == {"remove_keyboard": True}
    assert emu.calls[3].params == {"chat_id": 1, "text": "q"}
    assert [m.text for m in eleri.messages] == ["json", "q"]


async def test_calls_record_decoded_params_including_failures(
    emu: BotApiEmulator, bot: Bot, eleri: SimulatedMember
) -> None:
    await bot.send_message(1, "hi", reply_markup=keyboard("a"))
    with pytest.raises(BadRequest):
        await bot.send_message(1, "")
    ok, failed = emu.calls_to("sendMessage")
    assert ok.params == {
        "chat_id": 1,
        "text": "hi",
        "reply_markup": {"inline_keyboard": [[{"text": "B0", "callback_data": "a"}]]},
    }
    assert ok.response["ok"] is True
    assert ok.response["result"]["reply_markup"] == ok.params["reply_markup"]
    assert (failed.status, failed.response["description"]) == (
        400,
        "Bad Request: message text is empty",
    )


async def test_unknown_chat_and_silent_member_are_not_found(emu: BotApiEmulator, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(424242, "hello?")
    emu.member(2, "Gwyn")  # exists but never wrote to the bot
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(2, "hello?")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.get_chat(2)
    assert emu.calls[-1].response["description"] == "Bad Request: chat not found"


async def test_blocked_member_gives_forbidden_until_unblocked(
    emu: BotApiEmulator, bot: Bot, eleri: SimulatedMember
) -> None:
    sent = await bot.send_message(1, "before")
    eleri.block_bot()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(1, "after")
    with pytest.raises(Forbidden):
        await bot.edit_message_text("edit", chat_id=1, message_id=sent.message_id)
    with pytest.raises(Forbidden):
        await bot.send_chat_action(1, "typing")
    assert emu.calls[-1].status == 403
    with pytest.raises(RuntimeError, match="blocked the bot"):
        await eleri.send("hello")
    eleri.unblock_bot()
    await bot.send_message(1, "again")
    assert [m.text for m in eleri.messages] == ["before", "again"]


async def test_html_is_parsed_into_text_and_entities(bot: Bot, eleri: SimulatedMember) -> None:
    source = "<b>Croeso</b> &amp; <i>welcome</i>, <a href='https://amser.cymru'>Amser</a>"
    sent = await bot.send_message(1, source, parse_mode=ParseMode.HTML)
    assert sent.text == "Croeso & welcome, Amser"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [
        ("bold", 0, 6),
        ("italic", 9, 7),
        ("text_link", 18, 5),
    ]
    assert sent.entities[2].url == "https://amser.cymru"
    assert (eleri.last.text, eleri.last.html) == (sent.text, source)
    plain = await bot.send_message(1, "<b>not markup</b>")
    assert plain.text == "<b>not markup</b>"
    assert eleri.last.html is None


@pytest.mark.parametrize(
    "bad",
    ["<p>x</p>", "<b>x", "<b>x</i>", "x</b>", "a < b", "&nbsp;", "<span>s</span>", "Q&A"],
)
async def test_bad_html_is_rejected(
    emu: BotApiEmulator, bot: Bot, eleri: SimulatedMember, bad: str
) -> None:
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_message(1, bad, parse_mode="HTML")
    assert emu.calls[-1].response["description"].startswith("Bad Request: can't parse entities: ")
    assert eleri.messages == []


async def test_explicit_entities_are_validated(bot: Bot, eleri: SimulatedMember) -> None:
    sent = await bot.send_message(1, "hello", entities=[MessageEntity("bold", 0, 5)])
    assert sent.entities == (MessageEntity("bold", 0, 5),)
    assert eleri.last.entities == [{"type": "bold", "offset": 0, "length": 5}]
    for entity in (
        MessageEntity("bold", 3, 5),
        MessageEntity("bold", -1, 1),
        MessageEntity("shiny", 0, 1),
    ):
        with pytest.raises(BadRequest, match="Can't parse entities"):
            await bot.send_message(1, "hello", entities=[entity])


async def test_text_length_counts_utf16_after_parsing(bot: Bot, eleri: SimulatedMember) -> None:
    await bot.send_message(1, "a" * 4096)
    await bot.send_message(1, "😀" * 2048)  # 4096 UTF-16 units
    await bot.send_message(1, "<b>" + "&amp;" * 4096 + "</b>", parse_mode="HTML")
    for too_long in ("a" * 4097, "😀" * 2048 + "a", "é" * 4097):
        with pytest.raises(BadRequest, match="Message is too long"):
            await bot.send_message(1, too_long)
    for empty in ("   \n ", "<b> </b>"):
        with pytest.raises(BadRequest, match="Message text is empty"):
            await bot.send_message(1, empty, parse_mode="HTML")
    assert len(eleri.messages) == 3


async def test_text_is_trimmed_like_telegram(bot: Bot, eleri: SimulatedMember) -> None:
    sent = await bot.send_message(1, "\n  <b>hi</b> \n", parse_mode="HTML")
    assert sent.text == "hi"
    assert [(e.offset, e.length) for e in sent.entities] == [(0, 2)]


@pytest.mark.parametrize(
    ("data", "valid"),
    [
        ("x" * 64, True),
        ("x" * 65, False),
        ("é" * 32, True),  # 64 bytes
        ("é" * 33, False),  # 66 bytes, only 33 characters
        ("😀" * 16, True),
        ("😀" * 16 + "x", False),
        ("", False),
    ],
)
async def test_callback_data_is_limited_to_64_bytes(
    bot: Bot, eleri: SimulatedMember, data: str, valid: bool
) -> None:
    button = InlineKeyboardButton("Go", callback_data=data)
    if valid:
        await bot.send_message(1, "pick", reply_markup=Markup([[button]]))
        assert eleri.last.button("Go").callback_data == data
    else:
        with pytest.raises(BadRequest, match="Button_data_invalid"):
            await bot.send_message(1, "pick", reply_markup=Markup([[button]]))


async def test_edits_update_the_members_view(
    emu: BotApiEmulator, bot: Bot, eleri: SimulatedMember
) -> None:
    sent = await bot.send_message(1, "Choose", reply_markup=keyboard("a", "b"))
    view = eleri.last
    await bot.edit_message_reply_markup(1, sent.message_id, reply_markup=keyboard("c"))
    assert view.button_texts == ["B0"]
    assert view.button("B0").callback_data == "c"
    assert not view.edited
    edited = await bot.edit_message_text(
        "<i>Chosen</i>", chat_id=1, message_id=sent.message_id, parse_mode="HTML"
    )
    assert edited.edit_date is not None
    assert (view.text, view.html, view.edited) == ("Chosen", "<i>Chosen</i>", True)
    assert view.buttons == []  # editMessageText without reply_markup drops the keyboard
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text(
            "<i>Chosen</i>", chat_id=1, message_id=sent.message_id, parse_mode="HTML"
        )
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", chat_id=1, message_id=999)
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("x", chat_id=1, message_id=1)  # Eleri's own /start
    assert await bot.delete_message(1, sent.message_id)
    assert eleri.messages == []
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(1, sent.message_id)


async def test_send_document_keeps_the_bytes(
    emu: BotApiEmulator, bot: Bot, eleri: SimulatedMember
) -> None:
    payload = b'{"members": []}' * 100
    sent = await bot.send_document(
        1, payload, filename="amser-data.json", caption="<b>Your data</b>", parse_mode="HTML"
    )
    assert sent.document is not None and sent.document.file_name == "amser-data.json"
    assert sent.caption == "Your data"
    document = eleri.last.document
    assert document is not None
    assert (document.filename, document.content, document.caption) == (
        "amser-data.json",
        payload,
        "Your data",
    )
    call = emu.calls_to("sendDocument")[0]
    assert call.params["document"]["content"] == payload
    file = await bot.get_file(sent.document.file_id)
    assert bytes(await file.download_as_bytearray()) == payload
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_document(1, b"x", filename="a.txt", caption="c" * 1025)


async def test_answer_callback_query_validation(bot: Bot, eleri: SimulatedMember) -> None:
    await bot.send_message(1, "pick", reply_markup=keyboard("a"))
    await eleri.press("B0")
    (query_id,) = eleri.unanswered_callbacks
    with pytest.raises(BadRequest, match="Message_too_long"):
        await bot.answer_callback_query(query_id, text="x" * 201)
    assert eleri.unanswered_callbacks == [query_id]
    assert await bot.answer_callback_query(query_id, text="x" * 200, show_alert=True)
    assert eleri.unanswered_callbacks == []
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query("12345")


async def test_commands_are_stored_per_scope_and_language(
    emu: BotApiEmulator, bot: Bot, eleri: SimulatedMember
) -> None:
    english = [BotCommand("start", "Start"), BotCommand("offer", "Offer time")]
    welsh = [BotCommand("start", "Dechrau")]
    await bot.set_my_commands(english)
    await bot.set_my_commands(welsh, language_code="cy")
    await bot.set_my_commands([BotCommand("admin", "Admin")], scope=BotCommandScopeChat(1))
    assert emu.commands() == [
        {"command": "start", "description": "Start"},
        {"command": "offer", "description": "Offer time"},
    ]
    assert emu.commands(language_code="cy") == [{"command": "start", "description": "Dechrau"}]
    assert emu.commands({"type": "chat", "chat_id": 1}) == [
        {"command": "admin", "description": "Admin"}
    ]
    assert emu.commands({"type": "all_private_chats"}) == []
    assert emu.commands(language_code="en") == []  # exact scope+language, no fallback
    assert await bot.get_my_commands(language_code="cy") == tuple(welsh)
    await bot.delete_my_commands(language_code="cy")
    assert emu.commands(language_code="cy") == []
    for bad in ([BotCommand("Start", "x")], [BotCommand("a" * 33, "x")], [BotCommand("ok", "")]):
        with pytest.raises(BadRequest):
            await bot.set_my_commands(bad)
    with pytest.raises(BadRequest):
        await bot.set_my_commands(english, language_code="cym")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.set_my_commands(english, scope=BotCommandScopeChat(999))
    assert len(emu.commands()) == 2


async def test_misc_methods(bot: Bot, eleri: SimulatedMember) -> None:
    chat = await bot.get_chat(1)
    assert (chat.id, chat.type, chat.first_name, chat.username) == (1, "private", "Eleri", "eleri")
    assert await bot.send_chat_action(1, "typing")
    with pytest.raises(BadRequest):
        await bot.send_chat_action(1, "dancing")
    assert await bot.set_chat_menu_button()
    assert await bot.delete_webhook()
    assert await bot.set_webhook("https://example.org/hook")
    assert await bot.log_out()
    assert await bot.close()


async def test_updates_are_confirmed_by_offset(
    emu: BotApiEmulator, bot: Bot, eleri: SimulatedMember
) -> None:
    await eleri.send("two")
    first = await bot.get_updates()
    assert [u.message.text for u in first if u.message] == ["/start", "two"]
    again = await bot.get_updates()
    assert [u.update_id for u in again] == [u.update_id for u in first]
    assert await bot.get_updates(offset=first[-1].update_id + 1) == ()
    assert emu.pending_updates == []
    await eleri.send("three")
    only_callbacks = await bot.get_updates(allowed_updates=["callback_query"])
    assert only_callbacks == ()


async def test_long_poll_wakes_when_an_update_arrives(emu: BotApiEmulator, bot: Bot) -> None:
    async with asyncio.timeout(5):
        poll = asyncio.create_task(bot.get_updates(timeout=60, read_timeout=90))
        await emu.wait_for_long_poll()
        update_id = await emu.member(1, "Eleri").send("wake up")
        (update,) = await poll
    assert update.update_id == update_id


async def test_stop_releases_a_pending_long_poll(emu: BotApiEmulator, bot: Bot) -> None:
    async with asyncio.timeout(5):
        poll = asyncio.create_task(bot.get_updates(timeout=60, read_timeout=90))
        await emu.wait_for_long_poll()
        await emu.stop()
        assert await poll == ()
    assert emu.calls[-1].method == "getUpdates" and emu.calls[-1].status == 200


async def test_wait_for_call_sees_past_and_future_calls(
    emu: BotApiEmulator, bot: Bot, eleri: SimulatedMember
) -> None:
    def is_text(text: str):
        return lambda call: call.method == "sendMessage" and call.params.get("text") == text

    await bot.send_message(1, "past")
    past = await emu.wait_for_call(is_text("past"), timeout=0)
    assert isinstance(past, ApiCall) and past.status == 200

    future = asyncio.create_task(emu.wait_for_call(is_text("future")))
    await bot.send_message(1, "other")
    assert not future.done()
    await bot.send_message(1, "future")
    assert (await future).params["text"] == "future"

    with pytest.raises(TimeoutError):
        await emu.wait_for_call(is_text("never"), timeout=0.05)


async def test_copy_and_forward_between_members(
    emu: BotApiEmulator, bot: Bot, eleri: SimulatedMember
) -> None:
    gwyn = emu.member(2, "Gwyn")
    await gwyn.send("hi")
    await eleri.send("I can offer 2 hours of gardening")
    eleri_message_id = eleri.sent_messages[-1]["message_id"]
    copied = await bot.copy_message(2, from_chat_id=1, message_id=eleri_message_id)
    assert gwyn.last.message_id == copied.message_id
    assert gwyn.last.text == "I can offer 2 hours of gardening"
    forwarded = await bot.forward_message(2, from_chat_id=1, message_id=eleri_message_id)
    assert forwarded.forward_origin is not None
    assert forwarded.forward_origin.sender_user.first_name == "Eleri"
    with pytest.raises(BadRequest, match="Message to copy not found"):
        await bot.copy_message(2, from_chat_id=1, message_id=999)
    assert "Bot → Gwyn: (forwarded Eleri's message) I can offer" in emu.transcript()


async def test_bot_profile_texts_per_language(bot: Bot) -> None:
    assert await bot.set_my_description("Banc amser", language_code="cy")
    assert await bot.set_my_short_description("Time bank")
    assert (await bot.get_my_description(language_code="cy")).description == "Banc amser"
    assert (await bot.get_my_description()).description == ""
    assert (await bot.get_my_short_description()).short_description == "Time bank"
    assert (await bot.get_my_name()).name == "Amser"
    with pytest.raises(BadRequest, match="too long"):
        await bot.set_my_short_description("x" * 121)


async def test_replies_and_other_markups(bot: Bot, eleri: SimulatedMember) -> None:
    start_id = eleri.sent_messages[0]["message_id"]
    reply = await bot.send_message(1, "Croeso", reply_parameters=ReplyParameters(start_id))
    assert reply.reply_to_message is not None and reply.reply_to_message.text == "/start"
    assert eleri.last.reply_to_message_id == start_id
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.send_message(1, "?", reply_parameters=ReplyParameters(999))
    await bot.send_message(
        1, "?", reply_parameters=ReplyParameters(999, allow_sending_without_reply=True)
    )
    await bot.send_message(1, "Name?", reply_markup=ForceReply())
    await bot.send_message(1, "Done", reply_markup=ReplyKeyboardRemove())
    assert eleri.last.buttons == []
    no_action = Markup([[InlineKeyboardButton("Just text")]])
    with pytest.raises(BadRequest, match="Text buttons are unallowed"):
        await bot.send_message(1, "x", reply_markup=no_action)
