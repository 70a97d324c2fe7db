"""What every part of the ledger repository shares: the database."""

from __future__ import annotations

from storage.database import Database
from storage.ledger.models import Transfer
from storage.ledger.rows import SELECT_TRANSFER, transfer_from_row


class LedgerBase:
    """The database, and `get`, which both the exchanges and the reading use."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, transfer_id: int) -> Transfer | None:
        row = await self._db.fetch_one(f"{SELECT_TRANSFER} WHERE t.id = ?", (transfer_id,))
        return transfer_from_row(row) if row else None
