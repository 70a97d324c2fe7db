"""Each Telegram user's role, read from the database's roles (storage/staff.py) into memory:
the bot is one process, so the book is loaded at start-up and again after every change, and
`services.role_of` stays a plain lookup."""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.roles import Role
from storage.staff import RoleRow, RoleSource, StaffRole

_ROLES = {StaffRole.AMBASSADOR: Role.AMBASSADOR, StaffRole.ADMIN: Role.ADMIN}


class RoleBook:
    """Who holds which role, and whether the config names them, as last loaded."""

    def __init__(self) -> None:
        self._rows: dict[int, RoleRow] = {}

    def load(self, rows: Iterable[RoleRow]) -> None:
        self._rows = {row.telegram_id: row for row in rows}

    def role_of(self, telegram_id: int) -> Role:
        row = self._rows.get(telegram_id)
        return _ROLES[row.role] if row is not None else Role.MEMBER

    def from_config(self, telegram_id: int) -> bool:
        """Whether the config file names them (chat cannot change their role)."""
        row = self._rows.get(telegram_id)
        return row is not None and row.source is RoleSource.CONFIG
