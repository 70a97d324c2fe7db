"""Values the application keeps for itself between restarts."""

from __future__ import annotations

import secrets

from storage.database import Database


class SettingsRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def secret(self, key: str) -> str:
        """A random secret stored under key, made on first use."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                (key, secrets.token_hex(32)),
            )
        row = await self._db.fetch_one("SELECT value FROM settings WHERE key = ?", (key,))
        if row is None:
            raise RuntimeError(f"setting {key} is missing")
        return str(row["value"])
