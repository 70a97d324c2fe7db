"""The baseline: a bare python-telegram-bot echo bot, with Amser's aiohttp client, in its own
process. Texts are answered with sendMessage, presses with answerCallbackQuery then
editMessageText, each with one "Again" button.
    TELEGRAM_BOT_TOKEN=... python bench/_echo_bot.py http://127.0.0.1:PORT/bot
"""

from __future__ import annotations

import os
import sys

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, ContextTypes, MessageHandler
from telegram.ext import filters as f

from bot.runtime.http import AiohttpRequest

KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Again", callback_data="again")]])


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.callback_query:
        await update.callback_query.answer()
        await update.callback_query.edit_message_text("again", reply_markup=KEYBOARD)
    elif update.message and update.message.text:
        await update.message.reply_text(update.message.text, reply_markup=KEYBOARD)


def main() -> None:
    app = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(sys.argv[1])
        .request(AiohttpRequest())
        .get_updates_request(AiohttpRequest(pool_size=1))
        .concurrent_updates(256)
        .build()
    )
    app.add_handler(MessageHandler(f.TEXT, echo))
    app.add_handler(CallbackQueryHandler(echo))
    app.run_polling(allowed_updates=Update.ALL_TYPES, timeout=10, poll_interval=0.0)


if __name__ == "__main__":
    main()
