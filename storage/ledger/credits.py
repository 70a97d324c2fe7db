"""Transfers that need no second party (donations, grants, organisation and starter credits,
exchanges a coordinator records) and reversals."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from storage.database import fetch_one_in
from storage.effects import Then, follow_in
from storage.ledger.base import LedgerBase
from storage.ledger.models import (
    RECORDED_BETWEEN,
    AccountKind,
    Created,
    NotEnough,
    Outcome,
    Result,
    State,
    TransferKind,
)
from storage.ledger.rows import (
    ISSUANCE,
    POT,
    Side,
    check_minutes,
    compare_and_set,
    insert_transfer,
    load_transfer,
    resolve,
    transfer_by_key,
)
from storage.timestamps import to_db


@dataclass(frozen=True)
class Recording:
    """A transfer that needs no second party, as asked for (see record_in)."""

    key: str
    kind: TransferKind
    source: Side
    destination: Side
    minutes: int
    happened_on: date
    by_member_id: int | None = None  # who recorded it; None for the system (starter credits)
    note: str | None = None
    reason: str | None = None
    source_floor: int | None = None


class CreditsMixin(LedgerBase):
    # --- transfers that need no second party --------------------------------------------------

    async def donate(
        self,
        key: str,
        member_id: int,
        minutes: int,
        now: datetime,
        note: str | None = None,
        happened_on: date | None = None,
        *,
        balance_floor: int | None = None,
    ) -> Created:
        """A member gives credits to the community pot.

        With `balance_floor` (the member's own /donate passes 0), raises NotEnough rather than
        take their balance below it.
        """
        return await self._record(
            Recording(
                key=key,
                kind=TransferKind.DONATION,
                source=Side(member_id=member_id),
                destination=POT,
                minutes=minutes,
                happened_on=happened_on or now.date(),
                by_member_id=member_id,
                note=note,
                source_floor=balance_floor,
            ),
            now,
        )

    async def grant(
        self,
        key: str,
        by_coordinator_id: int,
        member_id: int,
        minutes: int,
        reason: str,
        now: datetime,
        happened_on: date | None = None,
        *,
        pot_floor: int | None = None,
        then: Then[Created] | None = None,
    ) -> Created:
        """A coordinator grants credits from the community pot to a member, with a reason.

        With `pot_floor` (the coordinators' tools pass 0), raises NotEnough rather than take the
        pot below it.
        """
        return await self._record(
            Recording(
                key=key,
                kind=TransferKind.GRANT,
                source=POT,
                destination=Side(member_id=member_id),
                minutes=minutes,
                happened_on=happened_on or now.date(),
                by_member_id=by_coordinator_id,
                reason=reason,
                source_floor=pot_floor,
            ),
            now,
            then,
        )

    async def from_organisation(
        self,
        key: str,
        by_coordinator_id: int,
        organisation: str,
        member_id: int,
        minutes: int,
        reason: str,
        now: datetime,
        happened_on: date | None = None,
        *,
        then: Then[Created] | None = None,
    ) -> Created:
        """A coordinator gives a member credits from an organisation (Spice-style), with a
        reason. Its balance goes below zero as it gives, like the issuance account's."""
        return await self._record(
            Recording(
                key=key,
                kind=TransferKind.ORGANISATION,
                source=Side(organisation=organisation),
                destination=Side(member_id=member_id),
                minutes=minutes,
                happened_on=happened_on or now.date(),
                by_member_id=by_coordinator_id,
                reason=reason,
            ),
            now,
            then,
        )

    async def give_starter_credits(
        self, member_id: int, minutes: int, now: datetime, happened_on: date | None = None
    ) -> Created:
        """Starter credits from the issuance account, once per member whatever happens."""
        return await self._record(
            Recording(
                key=f"starter:{member_id}",
                kind=TransferKind.STARTER,
                source=ISSUANCE,
                destination=Side(member_id=member_id),
                minutes=minutes,
                happened_on=happened_on or now.date(),
            ),
            now,
        )

    async def record_exchange(
        self,
        *,
        key: str,
        by_coordinator_id: int,
        helped_id: int,
        helper_id: int,
        minutes: int,
        happened_on: date,
        now: datetime,
        note: str | None = None,
        then: Then[Created] | None = None,
    ) -> Created:
        """A coordinator records an exchange for members who are not on Telegram."""
        if helped_id == helper_id:
            raise ValueError("an exchange needs two different members")
        return await self._record(
            Recording(
                key=key,
                kind=TransferKind.RECORDED,
                source=Side(member_id=helped_id),
                destination=Side(member_id=helper_id),
                minutes=minutes,
                happened_on=happened_on,
                by_member_id=by_coordinator_id,
                note=note,
            ),
            now,
            then,
        )

    async def _record(
        self, recording: Recording, now: datetime, then: Then[Created] | None = None
    ) -> Created:
        return await self._db.write(
            lambda tx: follow_in(tx, then, record_in(tx, recording, now), now)
        )

    async def reverse(
        self,
        transfer_id: int,
        by_member_id: int,
        reason: str,
        now: datetime,
        happened_on: date | None = None,
        *,
        pot_floor: int | None = None,
        then: Then[Result] | None = None,
    ) -> Result:
        """Undo a confirmed transfer with a new, confirmed one the other way, once.

        The original is marked reversed; neither it nor its entries change otherwise. With
        `pot_floor` (the coordinators' tools pass 0), undoing a gift to the community pot raises
        NotEnough rather than take the pot below it; members' balances are never held back.
        """
        return await self._db.write(
            lambda tx: follow_in(
                tx,
                then,
                reverse_in(
                    tx, transfer_id, by_member_id, reason, now, happened_on, pot_floor=pot_floor
                ),
                now,
            )
        )


# Each function below runs inside the caller's write transaction (see Database.write).


def record_in(tx: sqlite3.Connection, recording: Recording, now: datetime) -> Created:
    """A donation, grant, starter credits, a coordinator-recorded exchange or organisation
    credits: confirmed and posted at once, once per key, with each side's account found (or
    opened) in the same transaction.

    With `source_floor`, raises NotEnough rather than take the paying account below it;
    checked in the same transaction as the posting, so two at once cannot both pass. A key
    used already returns its transfer, whatever the balance is now.
    """
    kind, minutes = recording.kind, recording.minutes
    if kind not in RECORDED_BETWEEN:
        raise ValueError(f"a {kind} transfer cannot be recorded directly")
    check_minutes(minutes)
    stamp = to_db(now)
    existing = transfer_by_key(tx, recording.key)
    if existing is not None:
        return Created(existing, False)
    from_account_id = resolve(tx, recording.source, stamp)
    to_account_id = resolve(tx, recording.destination, stamp)
    accounts = tx.execute(
        "SELECT id, kind, balance FROM accounts WHERE id IN (?, ?)",
        (from_account_id, to_account_id),
    ).fetchall()
    by_id = {row["id"]: row for row in accounts}
    kinds = tuple(
        by_id[i]["kind"] if i in by_id else None for i in (from_account_id, to_account_id)
    )
    if kinds != RECORDED_BETWEEN[kind]:
        raise ValueError(f"a {kind} transfer cannot go between those accounts")
    paying = by_id[from_account_id]["balance"]
    if recording.source_floor is not None and paying - minutes < recording.source_floor:
        raise NotEnough(paying)
    transfer = insert_transfer(
        tx,
        key=recording.key,
        kind=kind,
        from_account=from_account_id,
        to_account=to_account_id,
        minutes=minutes,
        state=State.CONFIRMED,
        happened_on=recording.happened_on,
        stamp=stamp,
        created_by=recording.by_member_id,
        confirmed_by=recording.by_member_id,
        note=recording.note,
        reason=recording.reason,
    )
    return Created(transfer, True)


def reverse_in(
    tx: sqlite3.Connection,
    transfer_id: int,
    by_member_id: int,
    reason: str,
    now: datetime,
    happened_on: date | None = None,
    *,
    pot_floor: int | None = None,
) -> Result:
    """Undo a confirmed transfer with one the other way, once (see CreditsMixin.reverse)."""
    if not reason.strip():
        raise ValueError("a reversal needs a reason")
    stamp = to_db(now)
    row = fetch_one_in(
        tx, "SELECT id FROM transfers WHERE reverses_transfer_id = ?", (transfer_id,)
    )
    if row is not None:
        return Result(load_transfer(tx, row["id"]), Outcome.ALREADY)
    original = load_transfer(tx, transfer_id)
    if original.kind is TransferKind.REVERSAL:
        return Result(original, Outcome.NOT_ALLOWED)
    if original.state is not State.CONFIRMED:
        return Result(original, Outcome.TOO_LATE)
    if pot_floor is not None:
        paying = fetch_one_in(
            tx, "SELECT kind, balance FROM accounts WHERE id = ?", (original.to_account_id,)
        )
        if paying is None:
            raise RuntimeError(f"account {original.to_account_id} is missing")
        if paying["kind"] == AccountKind.POT and paying["balance"] - original.amount < pot_floor:
            raise NotEnough(paying["balance"])
    compare_and_set(
        tx, transfer_id, State.CONFIRMED, "state = 'reversed', updated_at = ?", (stamp,)
    )
    reversal = insert_transfer(
        tx,
        key=f"reverse:{transfer_id}",
        kind=TransferKind.REVERSAL,
        from_account=original.to_account_id,
        to_account=original.from_account_id,
        minutes=original.amount,
        state=State.CONFIRMED,
        happened_on=happened_on or now.date(),
        stamp=stamp,
        created_by=by_member_id,
        confirmed_by=by_member_id,
        reason=reason,
        listing_id=original.listing_id,
        introduction_id=original.introduction_id,
        reverses_transfer_id=transfer_id,
    )
    return Result(reversal, Outcome.DONE)
