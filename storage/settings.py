"""Values the application keeps for itself between restarts."""

from __future__ import annotations

import secrets
import sqlite3

from storage.database import Database, fetch_one_in


class SettingsRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def secret(self, key: str) -> str:
        """A random secret stored under key, made on first use."""
        return await self._db.write(lambda tx: secret_in(tx, key))


def secret_in(tx: sqlite3.Connection, key: str) -> str:
    """A random secret (hex) stored under key, made on first use, inside the caller's write."""
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
        (key, secrets.token_hex(32)),
    )
    row = fetch_one_in(tx, "SELECT value FROM settings WHERE key = ?", (key,))
    if row is None:
        raise RuntimeError(f"setting {key} is missing")
    return str(row["value"])
