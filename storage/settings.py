"""Values the application keeps for itself between restarts."""

from __future__ import annotations

import secrets

from storage.database import Database


class SettingsRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def secret(self, key: str) -> str:
        """A random secret stored under key, made on first use."""
        value = secrets.token_hex(32)
        await self._db.write(
            lambda tx: tx.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                (key, value),
            )
        )
        row = await self._db.fetch_one("SELECT value FROM settings WHERE key = ?", (key,))
        if row is None:
            raise RuntimeError(f"setting {key} is missing")
        return str(row["value"])
