"""Reading the ledger: accounts, balances, totals, history, what waits, and its checks."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime

from storage.database import fetch_one_in
from storage.ledger.base import LedgerBase
from storage.ledger.models import (
    Account,
    AccountKind,
    HistoryPage,
    State,
    Totals,
    Transfer,
    TransferKind,
)
from storage.ledger.rows import (
    INVARIANTS,
    SELECT_TRANSFER,
    Side,
    account_from_row,
    history_item,
    resolve,
    transfer_from_row,
)
from storage.timestamps import to_db


class ReadingMixin(LedgerBase):
    # --- accounts ----------------------------------------------------------------------------

    async def pot(self) -> Account:
        return await self._single(AccountKind.POT)

    async def organisation(self, name: str, now: datetime) -> Account:
        """An organisation's account by name, opened the first time it is needed."""
        return await self._db.write(lambda tx: organisation_in(tx, name, now))

    async def get_account(self, account_id: int) -> Account | None:
        row = await self._db.fetch_one("SELECT * FROM accounts WHERE id = ?", (account_id,))
        return account_from_row(row) if row else None

    # --- reading ------------------------------------------------------------------------------

    async def balance(self, member_id: int) -> int:
        """The member's balance in minutes (0 before their first transfer)."""
        row = await self._db.fetch_one(
            "SELECT balance FROM accounts WHERE member_id = ?", (member_id,)
        )
        return int(row["balance"]) if row else 0

    async def totals(self, member_id: int) -> Totals:
        """Balance and hours given and received, from confirmed transfers (reversed ones and
        their reversals left out)."""
        row = await self._db.fetch_one(
            "SELECT a.balance,"
            " coalesce(sum(CASE WHEN t.to_account_id = a.id AND t.kind IN"
            "  ('exchange', 'recorded', 'organisation') THEN t.amount END), 0) AS given,"
            " coalesce(sum(CASE WHEN t.from_account_id = a.id AND t.kind IN"
            "  ('exchange', 'recorded') THEN t.amount END), 0) AS received,"
            " coalesce(sum(CASE WHEN t.kind = 'donation' THEN t.amount END), 0) AS donated,"
            " coalesce(sum(CASE WHEN t.kind IN ('grant', 'starter') THEN t.amount END), 0)"
            "  AS granted"
            " FROM accounts a LEFT JOIN transfers t ON t.state = 'confirmed'"
            "  AND a.id IN (t.from_account_id, t.to_account_id)"
            " WHERE a.member_id = ? GROUP BY a.id",
            (member_id,),
        )
        if row is None:
            return Totals(0, 0, 0, 0, 0)
        return Totals(row["balance"], row["given"], row["received"], row["donated"], row["granted"])

    async def history(
        self,
        member_id: int,
        offset: int = 0,
        limit: int = 10,
        states: Iterable[State] = (State.CONFIRMED, State.REVERSED),
        kinds: Iterable[TransferKind] = tuple(TransferKind),
    ) -> HistoryPage:
        """The member's transfers, the latest day first, with the other side of each."""
        rows = await self._history_rows(member_id, tuple(states), tuple(kinds), offset, limit)
        items = [history_item(row) for row in rows[:limit]]
        return HistoryPage(items, has_more=len(rows) > limit)

    async def pending_for(self, member_id: int) -> list[Transfer]:
        """Pending exchanges the member is part of: theirs to answer and theirs awaiting."""
        rows = await self._db.fetch_all(
            f"{SELECT_TRANSFER} WHERE t.state = 'pending'"
            " AND (f.member_id = ? OR d.member_id = ?) ORDER BY t.created_at, t.id",
            (member_id, member_id),
        )
        return [transfer_from_row(row) for row in rows]

    async def for_coordinators(self, limit: int = 50) -> list[Transfer]:
        """What waits for a coordinator: disputed, expired, and agreed-but-below-the-floor."""
        rows = await self._db.fetch_all(
            f"{SELECT_TRANSFER} WHERE t.state IN ('disputed', 'expired')"
            " OR (t.state = 'pending' AND t.needs_approval = 1)"
            " ORDER BY t.updated_at, t.id LIMIT ?",
            (limit,),
        )
        return [transfer_from_row(row) for row in rows]

    async def check_invariants(self) -> list[str]:
        """Every way the ledger could be wrong, one line each; empty when it adds up.

        One statement, so one consistent snapshot even while others write.
        """
        rows = await self._db.fetch_all(INVARIANTS)
        return [row[0] for row in rows]

    # --- internals ------------------------------------------------------------------------------

    async def _history_rows(
        self,
        member_id: int,
        states: tuple[State, ...],
        kinds: tuple[TransferKind, ...],
        offset: int,
        limit: int,
    ) -> list[sqlite3.Row]:
        marks = ", ".join("?" for _ in states)
        kind_marks = ", ".join("?" for _ in kinds)
        return await self._db.fetch_all(
            "SELECT t.*, f.member_id AS from_member_id, d.member_id AS to_member_id,"
            " f.kind AS from_kind, d.kind AS to_kind, f.balance AS from_balance,"
            " me.id AS my_account, o.kind AS other_kind, o.name AS other_account_name,"
            " o.member_id AS other_member_id, m.display_name AS other_display_name,"
            " m.status AS other_status"
            " FROM accounts me"
            " JOIN transfers t ON me.id IN (t.from_account_id, t.to_account_id)"
            " JOIN accounts f ON f.id = t.from_account_id"
            " JOIN accounts d ON d.id = t.to_account_id"
            " JOIN accounts o ON o.id = CASE WHEN t.from_account_id = me.id"
            "  THEN t.to_account_id ELSE t.from_account_id END"
            " LEFT JOIN members m ON m.id = o.member_id"
            f" WHERE me.member_id = ? AND t.state IN ({marks}) AND t.kind IN ({kind_marks})"
            " ORDER BY t.happened_on DESC, t.id DESC LIMIT ? OFFSET ?",
            (member_id, *states, *kinds, limit + 1, offset),
        )

    async def _single(self, kind: AccountKind) -> Account:
        row = await self._db.fetch_one("SELECT * FROM accounts WHERE kind = ?", (kind,))
        if row is None:
            raise RuntimeError(f"the {kind} account is created by the migration")
        return account_from_row(row)


def organisation_in(tx: sqlite3.Connection, name: str, now: datetime) -> Account:
    """An organisation's account by name, opened inside the caller's write if need be."""
    account_id = resolve(tx, Side(organisation=name), to_db(now))
    row = fetch_one_in(tx, "SELECT * FROM accounts WHERE id = ?", (account_id,))
    if row is None:
        raise RuntimeError(f"account {account_id} is missing")
    return account_from_row(row)
