"""Who may do what: members, ambassadors and admins."""

from __future__ import annotations

from enum import IntEnum

from bot.config import Config


class Role(IntEnum):
    """Ordered so that a higher role can do everything a lower one can."""

    MEMBER = 1
    AMBASSADOR = 2
    ADMIN = 3


def role_of(config: Config, telegram_id: int) -> Role:
    if telegram_id in config.admins:
        return Role.ADMIN
    if telegram_id in config.ambassadors:
        return Role.AMBASSADOR
    return Role.MEMBER
