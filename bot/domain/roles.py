"""Who may do what: members, ambassadors and admins."""

from __future__ import annotations

from enum import IntEnum


class Role(IntEnum):
    """Ordered so that a higher role can do everything a lower one can."""

    MEMBER = 1
    AMBASSADOR = 2
    ADMIN = 3
