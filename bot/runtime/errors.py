"""The global error handler: log it, tell the member kindly, remember it for the tests."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.runtime.answering import answer_press
from bot.runtime.context import AmserContext
from bot.runtime.i18n import LANGUAGE_KEY

logger = logging.getLogger(__name__)


async def on_error(update: object, context: AmserContext) -> None:
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    logger.error("update %s failed", update_id, exc_info=error)
    services = context.services
    if error is not None:
        services.errors.append(error)
    if not isinstance(update, Update) or update.effective_user is None:
        return
    member = await services.members.by_telegram_id(update.effective_user.id)
    language = member.language if member else context.user_data.get(LANGUAGE_KEY, "en")
    _ = services.catalogs[language].gettext
    if update.callback_query is not None:  # it may have been answered already
        await answer_press(update.callback_query)
    try:
        if update.effective_chat is not None:
            await context.bot.send_message(
                update.effective_chat.id,
                _(
                    "Sorry, something went wrong on our side. Nothing you've told us is lost. "
                    "Please try again in a moment, or send /start."
                ),
            )
    except TelegramError:
        logger.warning("could not tell the member about the failure of update %s", update_id)
