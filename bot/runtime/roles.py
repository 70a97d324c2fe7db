"""One Telegram user's role, from the config's lists of admins and ambassadors (every list of
the staff is read from the database's copy instead: `services.staff`, storage/staff.py)."""

from __future__ import annotations

from bot.config import Config
from bot.domain.roles import Role


def role_of(config: Config, telegram_id: int) -> Role:
    if telegram_id in config.admins:
        return Role.ADMIN
    if telegram_id in config.ambassadors:
        return Role.AMBASSADOR
    return Role.MEMBER
