"""Time-credit forms in progress (/log, /grant, /record, /reverse), kept until sent or cancelled."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from enum import StrEnum

from storage.database import Database, fetch_one_in
from storage.timestamps import to_db


class Purpose(StrEnum):
    LOG = "log"  # a member logs an exchange with another member
    GRANT = "grant"  # a coordinator grants credits from the community pot or an organisation
    RECORD = "record"  # a coordinator records an exchange for members not on Telegram
    REVERSE = "reverse"  # a coordinator reverses a confirmed transfer


_FIELDS = frozenset(
    {
        "other_id",
        "second_id",
        "gave",
        "minutes",
        "happened_on",
        "note",
        "introduction_id",
        "listing_id",
        "transfer_id",
        "organisation",
    }
)


@dataclass(frozen=True)
class LedgerDraft:
    id: int
    member_id: int
    purpose: Purpose
    other_id: int | None
    second_id: int | None
    gave: bool | None
    minutes: int | None
    happened_on: date | None
    note: str | None
    introduction_id: int | None
    listing_id: int | None
    transfer_id: int | None
    sent_transfer_id: int | None
    organisation: str | None  # grant: the organisation giving the credits; None: the pot

    @property
    def key(self) -> str:
        """The idempotency key of the transfer this draft makes: one per draft, ever."""
        return f"draft:{self.id}"


class LedgerDraftRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def start(
        self, member_id: int, purpose: Purpose, now: datetime, **values: object
    ) -> LedgerDraft:
        """A fresh draft (with a new id), replacing any earlier one for the same purpose."""
        unknown = set(values) - _FIELDS
        if unknown:
            raise ValueError(f"not a draft field: {sorted(unknown)}")
        columns = ["member_id", "purpose", *values, "updated_at"]
        params = [member_id, purpose, *(_db_value(v) for v in values.values()), to_db(now)]
        async with self._db.transaction() as tx:
            await tx.execute(
                "DELETE FROM ledger_drafts WHERE member_id = ? AND purpose = ?",
                (member_id, purpose),
            )
            cursor = await tx.execute(
                f"INSERT INTO ledger_drafts ({', '.join(columns)})"
                f" VALUES ({', '.join('?' for _ in columns)})",
                params,
            )
            row = await fetch_one_in(
                tx, "SELECT * FROM ledger_drafts WHERE id = ?", (cursor.lastrowid,)
            )
        if row is None:
            raise RuntimeError("the draft just written is missing")
        return _draft(row)

    async def get(self, member_id: int, purpose: Purpose) -> LedgerDraft | None:
        row = await self._db.fetch_one(
            "SELECT * FROM ledger_drafts WHERE member_id = ? AND purpose = ?", (member_id, purpose)
        )
        return _draft(row) if row else None

    async def by_id(self, draft_id: int) -> LedgerDraft | None:
        row = await self._db.fetch_one("SELECT * FROM ledger_drafts WHERE id = ?", (draft_id,))
        return _draft(row) if row else None

    async def set(self, draft_id: int, now: datetime, **values: object) -> LedgerDraft:
        """Change some fields of a draft not yet sent (a sent one stays as it was)."""
        unknown = set(values) - _FIELDS
        if unknown:
            raise ValueError(f"not a draft field: {sorted(unknown)}")
        assignments = "".join(f"{column} = ?, " for column in values)
        async with self._db.transaction() as tx:
            await tx.execute(
                f"UPDATE ledger_drafts SET {assignments}updated_at = ?"
                " WHERE id = ? AND sent_transfer_id IS NULL",
                (*(_db_value(v) for v in values.values()), to_db(now), draft_id),
            )
            row = await fetch_one_in(tx, "SELECT * FROM ledger_drafts WHERE id = ?", (draft_id,))
        if row is None:
            raise LookupError(f"no ledger draft {draft_id}")
        return _draft(row)

    async def mark_sent(self, draft_id: int, transfer_id: int, now: datetime) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE ledger_drafts SET sent_transfer_id = ?, updated_at = ?"
                " WHERE id = ? AND sent_transfer_id IS NULL",
                (transfer_id, to_db(now), draft_id),
            )

    async def discard(self, member_id: int, purpose: Purpose) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "DELETE FROM ledger_drafts WHERE member_id = ? AND purpose = ?",
                (member_id, purpose),
            )


def _db_value(value: object) -> object:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, date | datetime):
        return to_db(value) if isinstance(value, datetime) else value.isoformat()
    return value


def _draft(row: object) -> LedgerDraft:
    values = {f.name: row[f.name] for f in fields(LedgerDraft)}  # type: ignore[index]
    values["purpose"] = Purpose(values["purpose"])
    if values["gave"] is not None:
        values["gave"] = bool(values["gave"])
    if values["happened_on"] is not None:
        values["happened_on"] = date.fromisoformat(values["happened_on"])
    return LedgerDraft(**values)
