"""Answering a button press, which stops the button spinning, when Telegram still lets us."""

from __future__ import annotations

import logging

from telegram import CallbackQuery
from telegram.error import TelegramError

logger = logging.getLogger(__name__)


async def answer_press(query: CallbackQuery, text: str | None = None) -> None:
    """Answer the press; if Telegram refuses (a press too old to answer, a failed call), go on:
    the action the press asked for matters more than the spinner."""
    try:
        await query.answer(text)
    except TelegramError as error:
        logger.info("could not answer a button press (%s)", type(error).__name__)
