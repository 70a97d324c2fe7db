"""A real long-polling PTB Application talking to simulated members."""

from __future__ import annotations

import asyncio

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.emulator import BotApiEmulator
from tests.emulator.helpers import StartApp

Context = ContextTypes.DEFAULT_TYPE
LANGUAGES = InlineKeyboardMarkup(
    [[InlineKeyboardButton("Cymraeg", callback_data="lang:cy"),
      InlineKeyboardButton("English", callback_data="lang:en")],
     [InlineKeyboardButton("Help", url="https://amser.cymru/help")]]
)  # fmt: skip


async def echo(update: Update, context: Context) -> None:
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


async def start(update: Update, context: Context) -> None:
    assert update.effective_chat is not None
    text = "Croeso! Welcome to <b>Amser</b>.\nChoose a language:"
    await context.bot.send_message(
        update.effective_chat.id, text, parse_mode="HTML", reply_markup=LANGUAGES
    )


async def choose_language(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    language = query.data.removeprefix("lang:")
    await query.edit_message_text("Iawn!" if language == "cy" else "OK!")
    if context.user_data is not None:
        context.user_data["language"] = language


async def export(update: Update, context: Context) -> None:
    assert update.effective_chat is not None
    await context.bot.send_document(
        update.effective_chat.id, b'{"hours": 3}', filename="amser-data.json"
    )


async def test_echo_round_trip(emu: BotApiEmulator, start_app: StartApp) -> None:
    await start_app(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    eleri = emu.member(1, "Eleri")
    await eleri.send("Shwmae!")
    assert eleri.last.text == "Shwmae!"
    await eleri.send("Sut wyt ti? 😀")
    assert [m.text for m in eleri.messages] == ["Shwmae!", "Sut wyt ti? 😀"]


async def test_commands_reach_command_handlers_with_args(
    emu: BotApiEmulator, start_app: StartApp
) -> None:
    seen: list[list[str]] = []

    async def offer(update: Update, context: Context) -> None:
        seen.append(list(context.args or []))

    await start_app(CommandHandler("offer", offer))
    eleri = emu.member(1, "Eleri")
    await eleri.send("/offer 2 hours")
    await eleri.send("/offer@amser_test_bot gardening")
    await eleri.send("/offer@some_other_bot nope")
    assert seen == [["2", "hours"], ["gardening"]]


async def test_button_press_reaches_callback_handler_and_is_answered(
    emu: BotApiEmulator, start_app: StartApp
) -> None:
    app = await start_app(
        CommandHandler("start", start), CallbackQueryHandler(choose_language, pattern="^lang:")
    )
    eleri = emu.member(1, "Eleri", language_code="cy")
    await eleri.send("/start")
    welcome = eleri.last
    assert welcome.button_texts == ["Cymraeg", "English", "Help"]
    assert welcome.html is not None and welcome.text.startswith("Croeso! Welcome to Amser.")

    await eleri.press("Cymraeg")
    assert eleri.unanswered_callbacks == []
    assert (welcome.text, welcome.edited, welcome.buttons) == ("Iawn!", True, [])
    assert app.user_data[1]["language"] == "cy"
    answer = emu.calls_to("answerCallbackQuery")[0]
    assert answer.status == 200


async def test_unanswered_presses_are_tracked(emu: BotApiEmulator, start_app: StartApp) -> None:
    pressed: list[str] = []

    async def ignore(update: Update, context: Context) -> None:
        assert update.callback_query is not None
        pressed.append(update.callback_query.data or "")

    await start_app(CommandHandler("start", start), CallbackQueryHandler(ignore))
    eleri = emu.member(1, "Eleri")
    await eleri.send("/start")
    await eleri.press("Eng")  # unique substring
    await eleri.press_data("forged:payload")
    await eleri.press_data("ghost", message_id=4040)
    assert pressed == ["lang:en", "forged:payload", "ghost"]
    assert len(eleri.unanswered_callbacks) == 3


async def test_document_is_captured(emu: BotApiEmulator, start_app: StartApp) -> None:
    await start_app(CommandHandler("export", export))
    eleri = emu.member(1, "Eleri")
    await eleri.send("/export")
    document = eleri.last.document
    assert document is not None
    assert (document.filename, document.content) == ("amser-data.json", b'{"hours": 3}')
    assert "Bot → Eleri: 📎 amser-data.json (12 bytes)" in emu.transcript()


async def test_stickers_photos_and_files_deserialise(
    emu: BotApiEmulator, start_app: StartApp
) -> None:
    kinds: list[str] = []

    async def describe(update: Update, context: Context) -> None:
        message = update.message
        assert message is not None
        if message.sticker:
            kinds.append(f"sticker {message.sticker.emoji}")
        elif message.photo:
            kinds.append(f"photo {len(message.photo)} {message.caption}")
        elif message.document:
            file = await message.document.get_file()
            kinds.append(f"document {bytes(await file.download_as_bytearray())!r}")

    await start_app(MessageHandler(filters.ALL, describe))
    eleri = emu.member(1, "Eleri")
    await eleri.send_sticker()
    await eleri.send_photo(caption="my garden")
    await eleri.send_document("import.json", b"[]")
    assert kinds == ["sticker 👍", "photo 3 my garden", "document b'[]'"]


async def test_settle_hook_is_awaited_with_the_update_id(emu: BotApiEmulator) -> None:
    entered = asyncio.Event()
    release = asyncio.Event()
    settled: list[int] = []

    async def settle(update_id: int) -> None:
        entered.set()
        await release.wait()
        settled.append(update_id)

    emu.settle = settle
    eleri = emu.member(1, "Eleri")
    async with asyncio.timeout(5):
        sending = asyncio.create_task(eleri.send("hi"))
        await entered.wait()
        assert not sending.done()  # send() is still waiting for the hook
        release.set()
        update_id = await sending
    assert settled == [update_id]
    await eleri.press_data("x")
    assert len(settled) == 2 and settled[1] == update_id + 1


async def test_transcript_reads_like_a_conversation(
    emu: BotApiEmulator, start_app: StartApp
) -> None:
    await start_app(
        CommandHandler("start", start), CallbackQueryHandler(choose_language, pattern="^lang:")
    )
    eleri = emu.member(1, "Eleri")
    await eleri.send("/start")
    await eleri.press("Cymraeg")
    eleri.block_bot()
    assert emu.transcript() == (
        "Eleri: /start\n"
        "Bot → Eleri: Croeso! Welcome to Amser.\n"
        "   Choose a language:\n"
        "   [Cymraeg] [English]\n"
        "   [Help ↗]\n"
        "Eleri presses [Cymraeg]\n"
        "Bot edits message → Eleri: Iawn!\n"
        "Eleri blocks the bot\n"
    )
