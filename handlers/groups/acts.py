"""What each group moderation act asks of Telegram: the one place /ban, /unban, /kick, /mute and
/unmute, flood control and a time-bank ban reaching a group make their calls."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram import Bot, ChatPermissions

KICK_BAN = timedelta(minutes=1)  # a kick is a ban this short (Telegram's least is 30 s)


@dataclass(frozen=True)
class Asked:
    """One act: in which chat, of whom, and (a mute) until when; None: until lifted."""

    bot: Bot
    chat_id: int
    telegram_id: int
    now: datetime
    supergroup: bool = True
    until: datetime | None = None


Act = Callable[[Asked], Awaitable[None]]


async def ban(asked: Asked) -> None:
    await asked.bot.ban_chat_member(asked.chat_id, asked.telegram_id)


async def unban(asked: Asked) -> None:
    await asked.bot.unban_chat_member(asked.chat_id, asked.telegram_id, only_if_banned=True)


async def kick(asked: Asked) -> None:
    if asked.supergroup:  # out, and free to come back at once
        await ban(asked)
        await unban(asked)
        return
    # A basic group cannot unban: a ban that ends by itself in a minute.
    later = asked.now + KICK_BAN
    await asked.bot.ban_chat_member(asked.chat_id, asked.telegram_id, until_date=later)


async def mute(asked: Asked) -> None:
    # Telegram lifts it at `until` by itself (no end: until an admin unmutes them).
    await asked.bot.restrict_chat_member(
        asked.chat_id, asked.telegram_id, ChatPermissions.no_permissions(), until_date=asked.until
    )


async def unmute(asked: Asked) -> None:
    await asked.bot.restrict_chat_member(
        asked.chat_id, asked.telegram_id, ChatPermissions.all_permissions()
    )
