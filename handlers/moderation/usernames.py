"""Members' @usernames, kept from the updates they send, so that coordinators can name them by
it (handlers/moderation/target.py). Written only when it changed since this process last saw
it, so most updates cost nothing."""

from __future__ import annotations

from telegram import Update
from telegram.ext import TypeHandler

from bot.runtime.context import AmserApplication, AmserContext

USERNAME_GROUP = -900  # after the sender check, before every feature; stops nothing


def register(app: AmserApplication) -> None:
    seen: dict[int, str | None] = {}  # Telegram id -> the @username last kept, this process

    async def keep(update: Update, context: AmserContext) -> None:
        user = update.effective_user
        if user is None or user.is_bot or (user.id in seen and seen[user.id] == user.username):
            return
        if await context.services.members.keep_username(user.id, user.username):
            seen[user.id] = user.username  # not before they are a member: kept once they join

    app.add_handler(TypeHandler(Update, keep), group=USERNAME_GROUP)
