"""The broadcast baseline: a bare python-telegram-bot bot with PTB's own `AIORateLimiter`,
answering members as the echo bot does, while a plain loop sends one message to each recipient.
A 429 (the limiter passes them on by default) loses that message and the loop goes on.
    TELEGRAM_BOT_TOKEN=... python bench/_aio_broadcast_bot.py BASE_URL FIRST_CHAT COUNT
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    MessageHandler,
)
from telegram.ext import filters as f

from bench._echo_bot import echo
from bot.runtime.http import AiohttpRequest

TEXT = "Community news: the repair café opens on Saturday at 10."


def main() -> None:
    base_url, first, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    tasks: set[asyncio.Task[None]] = set()

    async def broadcast(app: Application) -> None:
        await asyncio.sleep(2)  # the members are acting by then
        for chat_id in range(first, first + count):
            # A plain loop: a refused message is lost, and the loop goes on.
            with contextlib.suppress(TelegramError):
                await app.bot.send_message(chat_id, TEXT)

    async def start_broadcast(app: Application) -> None:
        task = asyncio.create_task(broadcast(app))
        tasks.add(task)  # kept, so it is not collected half-way

    app = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(base_url)
        .request(AiohttpRequest())
        .get_updates_request(AiohttpRequest(pool_size=1))
        .rate_limiter(AIORateLimiter())
        .concurrent_updates(256)
        .post_init(start_broadcast)
        .build()
    )
    app.add_handler(MessageHandler(f.TEXT, echo))
    app.add_handler(CallbackQueryHandler(echo))
    app.run_polling(allowed_updates=Update.ALL_TYPES, timeout=10, poll_interval=0.0)


if __name__ == "__main__":
    main()
