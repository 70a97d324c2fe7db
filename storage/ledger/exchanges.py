"""Exchanges between two members: proposed by one, answered by the other, and the
coordinators' decisions on those that need one."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from bot.domain.ledger import FloorDecision, floor_decision
from storage.database import fetch_one_in
from storage.effects import Then, follow_in
from storage.ledger.base import LedgerBase
from storage.ledger.models import (
    AccountKind,
    Created,
    Outcome,
    Result,
    Settlement,
    State,
    TransferKind,
)
from storage.ledger.rows import (
    CONFIRM_IF_ALLOWED,
    check_minutes,
    compare_and_set,
    confirmer,
    insert_transfer,
    load_row,
    load_transfer,
    member_account,
    transfer_by_key,
    transfer_from_row,
)
from storage.timestamps import to_db


class ExchangesMixin(LedgerBase):
    """Each change takes `then`: what follows from its result (notices, due work), written in
    the same transaction (see storage/effects.py)."""

    # --- exchanges between two members ------------------------------------------------------

    async def propose(
        self,
        *,
        key: str,
        created_by: int,
        helped_id: int,
        helper_id: int,
        minutes: int,
        happened_on: date,
        now: datetime,
        note: str | None = None,
        listing_id: int | None = None,
        introduction_id: int | None = None,
        then: Then[Created] | None = None,
    ) -> Created:
        """Log an exchange for the other member to confirm: `helped_id` pays `helper_id`.

        The same key again (a re-delivered update, a double tap) returns the same transfer.
        """

        def write(tx: sqlite3.Connection) -> Created:
            created = propose_in(
                tx,
                key=key,
                created_by=created_by,
                helped_id=helped_id,
                helper_id=helper_id,
                minutes=minutes,
                happened_on=happened_on,
                now=now,
                note=note,
                listing_id=listing_id,
                introduction_id=introduction_id,
            )
            return follow_in(tx, then, created, now)

        return await self._db.write(write)

    async def confirm(
        self,
        transfer_id: int,
        by_member_id: int,
        now: datetime,
        floor: int | None = None,
        *,
        then: Then[Result] | None = None,
    ) -> Result:
        """The other member says yes: post the entries, once.

        With a `floor` (minutes), a payer who would end below it is not charged yet: the
        transfer waits for a coordinator (Outcome.NEEDS_APPROVAL; settle it to decide).
        """
        return await self._db.write(
            lambda tx: follow_in(
                tx, then, confirm_in(tx, transfer_id, by_member_id, now, floor), now
            )
        )

    async def decline(self, transfer_id: int, by_member_id: int, now: datetime) -> Result:
        """The other member says no; nothing is posted."""
        return await self._db.write(lambda tx: decline_in(tx, transfer_id, by_member_id, now))

    async def dispute(
        self,
        transfer_id: int,
        by_member_id: int,
        now: datetime,
        reason: str | None = None,
        *,
        then: Then[Result] | None = None,
    ) -> Result:
        """Either member says something is wrong: it goes to the coordinators to settle."""
        return await self._db.write(
            lambda tx: follow_in(
                tx, then, dispute_in(tx, transfer_id, by_member_id, now, reason), now
            )
        )

    async def expire(
        self, transfer_id: int, now: datetime, *, then: Then[Result] | None = None
    ) -> Result:
        """Unconfirmed for a week (or the member asked can't be reached): hand it over to the
        coordinators (never silently accepted)."""
        return await self._db.write(
            lambda tx: follow_in(tx, then, expire_in(tx, transfer_id, now), now)
        )

    async def counter(
        self,
        transfer_id: int,
        by_member_id: int,
        new_minutes: int,
        now: datetime,
        *,
        then: Then[Result] | None = None,
    ) -> Result:
        """The other member proposes a different time ("Change the time").

        The original is declined and a new pending transfer, created by the counter-proposer,
        waits for the original creator. Asked again, it returns that same new transfer.
        """
        return await self._db.write(
            lambda tx: follow_in(
                tx, then, counter_in(tx, transfer_id, by_member_id, new_minutes, now), now
            )
        )

    # --- coordinators' decisions --------------------------------------------------------------

    async def settle(
        self,
        transfer_id: int,
        by_coordinator_member_id: int,
        outcome: Settlement,
        now: datetime,
        reason: str | None = None,
        *,
        then: Then[Result] | None = None,
    ) -> Result:
        """Decide a disputed or expired exchange, or one waiting for approval below the floor.

        A coordinator cannot settle an exchange they are part of.
        """
        return await self._db.write(
            lambda tx: follow_in(
                tx,
                then,
                settle_in(tx, transfer_id, by_coordinator_member_id, outcome, now, reason),
                now,
            )
        )


# Each function below runs inside the caller's write transaction (see Database.write).


def propose_in(
    tx: sqlite3.Connection,
    *,
    key: str,
    created_by: int,
    helped_id: int,
    helper_id: int,
    minutes: int,
    happened_on: date,
    now: datetime,
    note: str | None = None,
    listing_id: int | None = None,
    introduction_id: int | None = None,
) -> Created:
    """Log an exchange for the other member to confirm (see ExchangesMixin.propose)."""
    if created_by not in (helped_id, helper_id):
        raise ValueError("an exchange is logged by one of its two members")
    if helped_id == helper_id:
        raise ValueError("an exchange needs two different members")
    check_minutes(minutes)
    stamp = to_db(now)
    existing = transfer_by_key(tx, key)
    if existing is not None:
        return Created(existing, False)
    from_account = member_account(tx, helped_id, stamp)
    to_account = member_account(tx, helper_id, stamp)
    transfer = insert_transfer(
        tx,
        key=key,
        kind=TransferKind.EXCHANGE,
        from_account=from_account,
        to_account=to_account,
        minutes=minutes,
        state=State.PENDING,
        happened_on=happened_on,
        stamp=stamp,
        created_by=created_by,
        note=note,
        listing_id=listing_id,
        introduction_id=introduction_id,
    )
    return Created(transfer, True)


def confirm_in(
    tx: sqlite3.Connection,
    transfer_id: int,
    by_member_id: int,
    now: datetime,
    floor: int | None = None,
) -> Result:
    """The other member says yes (see ExchangesMixin.confirm)."""
    stamp = to_db(now)
    # The usual case in one statement; anything else is worked out below, from the row.
    quick = tx.execute(
        CONFIRM_IF_ALLOWED, {"id": transfer_id, "by": by_member_id, "stamp": stamp, "floor": floor}
    )
    if quick.rowcount == 1:
        return Result(load_transfer(tx, transfer_id), Outcome.DONE)
    return _confirm_otherwise(tx, transfer_id, by_member_id, stamp, floor)


def _confirm_otherwise(
    tx: sqlite3.Connection,
    transfer_id: int,
    by_member_id: int,
    stamp: str,
    floor: int | None,
) -> Result:
    """Why a confirmation did not simply happen: not theirs, done already, too late, or
    beyond the floor (then it waits for a coordinator)."""
    row = load_row(tx, transfer_id)
    transfer = transfer_from_row(row)
    if by_member_id != confirmer(transfer):
        return Result(transfer, Outcome.NOT_ALLOWED)
    if transfer.state is State.CONFIRMED or transfer.needs_approval:
        return Result(transfer, Outcome.ALREADY)
    if transfer.state is not State.PENDING:
        return Result(transfer, Outcome.TOO_LATE)
    if (
        floor is not None
        and row["from_kind"] == AccountKind.MEMBER
        and floor_decision(row["from_balance"], transfer.amount, floor)
        is FloorDecision.NEEDS_APPROVAL
    ):
        compare_and_set(
            tx,
            transfer_id,
            State.PENDING,
            "needs_approval = 1, confirmed_by = ?, updated_at = ?",
            (by_member_id, stamp),
        )
        return Result(load_transfer(tx, transfer_id), Outcome.NEEDS_APPROVAL)
    # Allowed and within the floor, yet the quick update did not apply: impossible under the
    # write lock, so say so loudly rather than guess.
    raise RuntimeError(f"transfer {transfer_id} could not be confirmed")  # pragma: no cover


def decline_in(
    tx: sqlite3.Connection, transfer_id: int, by_member_id: int, now: datetime
) -> Result:
    """The other member says no; nothing is posted."""
    transfer = load_transfer(tx, transfer_id)
    if by_member_id != confirmer(transfer):
        return Result(transfer, Outcome.NOT_ALLOWED)
    if transfer.state is State.DECLINED:
        return Result(transfer, Outcome.ALREADY)
    if transfer.state is not State.PENDING or transfer.needs_approval:
        return Result(transfer, Outcome.TOO_LATE)
    compare_and_set(
        tx, transfer_id, State.PENDING, "state = ?, updated_at = ?", (State.DECLINED, to_db(now))
    )
    return Result(load_transfer(tx, transfer_id), Outcome.DONE)


def dispute_in(
    tx: sqlite3.Connection,
    transfer_id: int,
    by_member_id: int,
    now: datetime,
    reason: str | None = None,
) -> Result:
    """Either member says something is wrong: it goes to the coordinators to settle."""
    transfer = load_transfer(tx, transfer_id)
    if transfer.kind is not TransferKind.EXCHANGE or not transfer.involves(by_member_id):
        return Result(transfer, Outcome.NOT_ALLOWED)
    if transfer.state is State.DISPUTED:
        return Result(transfer, Outcome.ALREADY)
    if transfer.state is not State.PENDING or transfer.needs_approval:
        return Result(transfer, Outcome.TOO_LATE)
    compare_and_set(
        tx,
        transfer_id,
        State.PENDING,
        "state = 'disputed', disputed_by = ?, reason = coalesce(?, reason), updated_at = ?",
        (by_member_id, reason, to_db(now)),
    )
    return Result(load_transfer(tx, transfer_id), Outcome.DONE)


def expire_in(tx: sqlite3.Connection, transfer_id: int, now: datetime) -> Result:
    """Seven days unconfirmed: hand it over to the coordinators."""
    transfer = load_transfer(tx, transfer_id)
    if transfer.state is State.EXPIRED:
        return Result(transfer, Outcome.ALREADY)
    if transfer.state is not State.PENDING or transfer.needs_approval:
        return Result(transfer, Outcome.TOO_LATE)
    compare_and_set(
        tx, transfer_id, State.PENDING, "state = 'expired', updated_at = ?", (to_db(now),)
    )
    return Result(load_transfer(tx, transfer_id), Outcome.DONE)


def counter_in(
    tx: sqlite3.Connection, transfer_id: int, by_member_id: int, new_minutes: int, now: datetime
) -> Result:
    """The other member proposes a different time (see ExchangesMixin.counter)."""
    check_minutes(new_minutes)
    stamp = to_db(now)
    original = load_transfer(tx, transfer_id)
    if by_member_id != confirmer(original):
        return Result(original, Outcome.NOT_ALLOWED)
    row = fetch_one_in(
        tx, "SELECT id FROM transfers WHERE counters_transfer_id = ?", (transfer_id,)
    )
    if row is not None:
        return Result(load_transfer(tx, row["id"]), Outcome.ALREADY)
    if original.state is not State.PENDING or original.needs_approval:
        return Result(original, Outcome.TOO_LATE)
    if new_minutes == original.amount:
        raise ValueError("a counter-proposal changes the time; to agree, confirm")
    compare_and_set(tx, transfer_id, State.PENDING, "state = 'declined', updated_at = ?", (stamp,))
    new = insert_transfer(
        tx,
        key=f"counter:{transfer_id}",
        kind=TransferKind.EXCHANGE,
        from_account=original.from_account_id,
        to_account=original.to_account_id,
        minutes=new_minutes,
        state=State.PENDING,
        happened_on=original.happened_on,
        stamp=stamp,
        created_by=by_member_id,
        note=original.note,
        listing_id=original.listing_id,
        introduction_id=original.introduction_id,
        counters_transfer_id=transfer_id,
    )
    return Result(new, Outcome.DONE)


def settle_in(
    tx: sqlite3.Connection,
    transfer_id: int,
    by_coordinator_member_id: int,
    outcome: Settlement,
    now: datetime,
    reason: str | None = None,
) -> Result:
    """A coordinator decides an exchange (see ExchangesMixin.settle)."""
    stamp = to_db(now)
    target = State.CONFIRMED if outcome is Settlement.CONFIRM else State.DECLINED
    transfer = load_transfer(tx, transfer_id)
    if transfer.involves(by_coordinator_member_id):
        return Result(transfer, Outcome.NOT_ALLOWED)
    open_states = (State.DISPUTED, State.EXPIRED)
    if transfer.state not in open_states and not (
        transfer.state is State.PENDING and transfer.needs_approval
    ):
        same = transfer.state is target and transfer.settled_by == by_coordinator_member_id
        return Result(transfer, Outcome.ALREADY if same else Outcome.TOO_LATE)
    confirmed_at = stamp if target is State.CONFIRMED else None
    compare_and_set(
        tx,
        transfer_id,
        transfer.state,
        "state = ?, needs_approval = 0, settled_by = ?, reason = coalesce(?, reason),"
        " confirmed_at = ?, updated_at = ?",
        (target, by_coordinator_member_id, reason, confirmed_at, stamp),
    )
    return Result(load_transfer(tx, transfer_id), Outcome.DONE)
