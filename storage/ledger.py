"""The time-credit ledger: accounts, transfers and their entries (double entry, in minutes).

Every change is one serialised BEGIN IMMEDIATE transaction that checks the transfer's state and
moves it with a compare-and-set, so double taps, re-delivered updates and two members pressing
at once change each transfer exactly once. Only confirmation posts entries: -amount on the
source, +amount on the destination. Triggers in the schema (migrations 0005 and 0007) write them
the moment a transfer becomes confirmed and move both cached balances in the same statement,
so entries and balances cannot drift from the transfers.
Nothing is deleted or edited; a mistake is undone by a reversing transfer with a reason.

Who may do what is decided here as far as the ledger can tell (only the other party confirms,
declines or changes the time); whether someone is a coordinator is the caller's to check.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

import aiosqlite

from bot.domain.ledger import FloorDecision, floor_decision
from storage.database import Database, fetch_one_in
from storage.timestamps import from_db, required_from_db, to_db


class AccountKind(StrEnum):
    MEMBER = "member"
    POT = "pot"  # the community pot: donations in, grants out
    ORGANISATION = "organisation"  # Spice-style credits for volunteering
    ISSUANCE = "issuance"  # where starter credits come from; its balance is minus all issued


class TransferKind(StrEnum):
    EXCHANGE = "exchange"  # member to member, confirmed by the other party
    DONATION = "donation"  # member to the pot
    GRANT = "grant"  # the pot to a member
    STARTER = "starter"  # issuance to a new member
    RECORDED = "recorded"  # member to member, recorded by a coordinator
    ORGANISATION = "organisation"  # an organisation to a member
    REVERSAL = "reversal"  # undoes a confirmed transfer


class State(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    DISPUTED = "disputed"
    EXPIRED = "expired"
    REVERSED = "reversed"


class Outcome(StrEnum):
    DONE = "done"  # this call made the change
    ALREADY = "already"  # it was already done (a double tap or a re-delivered update)
    NOT_ALLOWED = "not_allowed"  # this member may not do that (a forged or stale button)
    TOO_LATE = "too_late"  # the transfer had already gone another way
    NEEDS_APPROVAL = "needs_approval"  # agreed, but beyond the floor: a coordinator decides


class Settlement(StrEnum):
    CONFIRM = "confirm"
    DECLINE = "decline"


# Which accounts each kind of transfer recorded without a second party may move between.
_RECORDED_BETWEEN = {
    TransferKind.DONATION: (AccountKind.MEMBER, AccountKind.POT),
    TransferKind.GRANT: (AccountKind.POT, AccountKind.MEMBER),
    TransferKind.STARTER: (AccountKind.ISSUANCE, AccountKind.MEMBER),
    TransferKind.RECORDED: (AccountKind.MEMBER, AccountKind.MEMBER),
    TransferKind.ORGANISATION: (AccountKind.ORGANISATION, AccountKind.MEMBER),
}


class NotEnough(Exception):
    """The paying account holds too little (the pot for a grant, a member for a donation);
    nothing was changed."""

    def __init__(self, balance: int) -> None:
        super().__init__(f"the paying account holds {balance} minutes")
        self.balance = balance  # minutes, as it was when the transfer was refused


@dataclass(frozen=True)
class Account:
    id: int
    kind: AccountKind
    member_id: int | None
    name: str | None
    balance: int  # minutes
    created_at: datetime


@dataclass(frozen=True)
class Transfer:
    id: int
    key: str
    kind: TransferKind
    from_account_id: int  # pays: the member who was helped, the pot, ...
    to_account_id: int  # earns: the member who helped, the pot, ...
    from_member_id: int | None  # None when that side is not a member's account
    to_member_id: int | None
    amount: int  # minutes, always positive
    state: State
    needs_approval: bool  # both agreed, but the payer would go below the floor
    happened_on: date
    note: str | None
    reason: str | None
    created_by: int | None
    confirmed_by: int | None
    disputed_by: int | None
    settled_by: int | None
    listing_id: int | None
    introduction_id: int | None
    reverses_transfer_id: int | None
    counters_transfer_id: int | None
    created_at: datetime
    updated_at: datetime
    confirmed_at: datetime | None

    def involves(self, member_id: int) -> bool:
        return member_id in (self.from_member_id, self.to_member_id)

    def other(self, member_id: int) -> int | None:
        """The other member of the transfer (None for the pot, an organisation, ...)."""
        return self.to_member_id if member_id == self.from_member_id else self.from_member_id

    @property
    def awaiting(self) -> int | None:
        """The member who should confirm, decline or change the time, if anyone."""
        if self.kind is not TransferKind.EXCHANGE or self.state is not State.PENDING:
            return None
        if self.needs_approval or self.created_by is None:
            return None
        return self.other(self.created_by)


@dataclass(frozen=True)
class Created:
    transfer: Transfer
    created: bool  # False: that idempotency key was used already, nothing changed


@dataclass(frozen=True)
class Result:
    transfer: Transfer  # as it is now (for counter and reverse: the new transfer when there is one)
    outcome: Outcome

    @property
    def changed(self) -> bool:
        return self.outcome in (Outcome.DONE, Outcome.NEEDS_APPROVAL)


@dataclass(frozen=True)
class Totals:
    balance: int  # minutes, as everywhere
    given: int  # help given: exchanges, recorded exchanges, organisation credits
    received: int  # help received: exchanges and recorded exchanges
    donated: int  # to the community pot
    granted: int  # grants from the pot and starter credits


@dataclass(frozen=True)
class HistoryItem:
    transfer: Transfer
    minutes: int  # signed, as it changed this member's balance
    other_member_id: int | None
    other_account_kind: AccountKind
    other_name: str | None  # display name, or the account's name; None for a former member
    other_erased: bool


@dataclass(frozen=True)
class HistoryPage:
    items: list[HistoryItem]
    has_more: bool


_SELECT_TRANSFER = (
    "SELECT t.*, f.member_id AS from_member_id, d.member_id AS to_member_id,"
    " f.kind AS from_kind, d.kind AS to_kind, f.balance AS from_balance"
    " FROM transfers t JOIN accounts f ON f.id = t.from_account_id"
    " JOIN accounts d ON d.id = t.to_account_id"
)


class LedgerRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- accounts ----------------------------------------------------------------------------

    async def pot(self) -> Account:
        return await self._single(AccountKind.POT)

    async def organisation(self, name: str, now: datetime) -> Account:
        """An organisation's account by name, opened the first time it is needed."""
        async with self._db.transaction() as tx:
            account_id = await _resolve(tx, _Side(organisation=name), to_db(now))
            row = await fetch_one_in(tx, "SELECT * FROM accounts WHERE id = ?", (account_id,))
        if row is None:
            raise RuntimeError(f"account {account_id} is missing")
        return _account(row)

    async def get_account(self, account_id: int) -> Account | None:
        row = await self._db.fetch_one("SELECT * FROM accounts WHERE id = ?", (account_id,))
        return _account(row) if row else None

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
    ) -> Created:
        """Log an exchange for the other member to confirm: `helped_id` pays `helper_id`.

        The same key again (a re-delivered update, a double tap) returns the same transfer.
        """
        if created_by not in (helped_id, helper_id):
            raise ValueError("an exchange is logged by one of its two members")
        if helped_id == helper_id:
            raise ValueError("an exchange needs two different members")
        _check_minutes(minutes)
        stamp = to_db(now)
        async with self._db.transaction() as tx:
            existing = await _by_key(tx, key)
            if existing is not None:
                return Created(existing, False)
            from_account = await _member_account(tx, helped_id, stamp)
            to_account = await _member_account(tx, helper_id, stamp)
            transfer_id = await _insert(
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
            transfer = await _load(tx, transfer_id)
        return Created(transfer, True)

    async def confirm(
        self, transfer_id: int, by_member_id: int, now: datetime, floor: int | None = None
    ) -> Result:
        """The other member says yes: post the entries, once.

        With a `floor` (minutes), a payer who would end below it is not charged yet: the
        transfer waits for a coordinator (Outcome.NEEDS_APPROVAL; settle it to decide).
        """
        stamp = to_db(now)
        async with self._db.transaction() as tx:
            # The usual case in one statement: the fewer trips under the write lock, the less
            # everyone else waits. Anything else is worked out below, from the row.
            quick = await tx.execute(
                _CONFIRM_IF_ALLOWED,
                {"id": transfer_id, "by": by_member_id, "stamp": stamp, "floor": floor},
            )
            if quick.rowcount == 1:
                transfer = None
            else:
                transfer = await self._confirm_otherwise(
                    tx, transfer_id, by_member_id, stamp, floor
                )
        if transfer is not None:
            return transfer
        confirmed = await self.get(transfer_id)
        if confirmed is None:
            raise RuntimeError(f"transfer {transfer_id} is missing")
        return Result(confirmed, Outcome.DONE)

    async def _confirm_otherwise(
        self,
        tx: aiosqlite.Connection,
        transfer_id: int,
        by_member_id: int,
        stamp: str,
        floor: int | None,
    ) -> Result:
        """Why a confirmation did not simply happen: not theirs, done already, too late, or
        beyond the floor (then it waits for a coordinator)."""
        row = await _load_row(tx, transfer_id)
        transfer = _transfer(row)
        if by_member_id != _confirmer(transfer):
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
            await _set(
                tx,
                transfer_id,
                State.PENDING,
                "needs_approval = 1, confirmed_by = ?, updated_at = ?",
                (by_member_id, stamp),
            )
            return Result(await _load(tx, transfer_id), Outcome.NEEDS_APPROVAL)
        # Allowed and within the floor, yet the quick update did not apply: impossible
        # under the write lock, so say so loudly rather than guess.
        raise RuntimeError(f"transfer {transfer_id} could not be confirmed")  # pragma: no cover

    async def decline(self, transfer_id: int, by_member_id: int, now: datetime) -> Result:
        """The other member says no; nothing is posted."""
        return await self._answer(transfer_id, by_member_id, now, State.DECLINED)

    async def dispute(
        self, transfer_id: int, by_member_id: int, now: datetime, reason: str | None = None
    ) -> Result:
        """Either member says something is wrong: it goes to the coordinators to settle."""
        stamp = to_db(now)
        async with self._db.transaction() as tx:
            transfer = await _load(tx, transfer_id)
            if transfer.kind is not TransferKind.EXCHANGE or not transfer.involves(by_member_id):
                return Result(transfer, Outcome.NOT_ALLOWED)
            if transfer.state is State.DISPUTED:
                return Result(transfer, Outcome.ALREADY)
            if transfer.state is not State.PENDING or transfer.needs_approval:
                return Result(transfer, Outcome.TOO_LATE)
            await _set(
                tx,
                transfer_id,
                State.PENDING,
                "state = 'disputed', disputed_by = ?, reason = coalesce(?, reason), updated_at = ?",
                (by_member_id, reason, stamp),
            )
            return Result(await _load(tx, transfer_id), Outcome.DONE)

    async def expire(self, transfer_id: int, now: datetime) -> Result:
        """Seven days unconfirmed: hand it over to the coordinators (never silently accepted)."""
        stamp = to_db(now)
        async with self._db.transaction() as tx:
            transfer = await _load(tx, transfer_id)
            if transfer.state is State.EXPIRED:
                return Result(transfer, Outcome.ALREADY)
            if transfer.state is not State.PENDING or transfer.needs_approval:
                return Result(transfer, Outcome.TOO_LATE)
            await _set(
                tx, transfer_id, State.PENDING, "state = 'expired', updated_at = ?", (stamp,)
            )
            return Result(await _load(tx, transfer_id), Outcome.DONE)

    async def counter(
        self, transfer_id: int, by_member_id: int, new_minutes: int, now: datetime
    ) -> Result:
        """The other member proposes a different time ("Change the time").

        The original is declined and a new pending transfer, created by the counter-proposer,
        waits for the original creator. Asked again, it returns that same new transfer.
        """
        _check_minutes(new_minutes)
        stamp = to_db(now)
        async with self._db.transaction() as tx:
            original = await _load(tx, transfer_id)
            if by_member_id != _confirmer(original):
                return Result(original, Outcome.NOT_ALLOWED)
            row = await fetch_one_in(
                tx, "SELECT id FROM transfers WHERE counters_transfer_id = ?", (transfer_id,)
            )
            if row is not None:
                return Result(await _load(tx, row["id"]), Outcome.ALREADY)
            if original.state is not State.PENDING or original.needs_approval:
                return Result(original, Outcome.TOO_LATE)
            if new_minutes == original.amount:
                raise ValueError("a counter-proposal changes the time; to agree, confirm")
            await _set(
                tx, transfer_id, State.PENDING, "state = 'declined', updated_at = ?", (stamp,)
            )
            new_id = await _insert(
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
            return Result(await _load(tx, new_id), Outcome.DONE)

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
            key=key,
            kind=TransferKind.DONATION,
            source=_Side(member_id=member_id),
            destination=_POT,
            minutes=minutes,
            happened_on=happened_on or now.date(),
            now=now,
            by_member_id=member_id,
            note=note,
            source_floor=balance_floor,
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
    ) -> Created:
        """A coordinator grants credits from the community pot to a member, with a reason.

        With `pot_floor` (the coordinators' tools pass 0), raises NotEnough rather than take the
        pot below it.
        """
        return await self._record(
            key=key,
            kind=TransferKind.GRANT,
            source=_POT,
            destination=_Side(member_id=member_id),
            minutes=minutes,
            happened_on=happened_on or now.date(),
            now=now,
            by_member_id=by_coordinator_id,
            reason=reason,
            source_floor=pot_floor,
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
    ) -> Created:
        """A coordinator gives a member credits from an organisation (Spice-style), with a
        reason. Its balance goes below zero as it gives, like the issuance account's."""
        return await self._record(
            key=key,
            kind=TransferKind.ORGANISATION,
            source=_Side(organisation=organisation),
            destination=_Side(member_id=member_id),
            minutes=minutes,
            happened_on=happened_on or now.date(),
            now=now,
            by_member_id=by_coordinator_id,
            reason=reason,
        )

    async def give_starter_credits(
        self, member_id: int, minutes: int, now: datetime, happened_on: date | None = None
    ) -> Created:
        """Starter credits from the issuance account, once per member whatever happens."""
        return await self._record(
            key=f"starter:{member_id}",
            kind=TransferKind.STARTER,
            source=_ISSUANCE,
            destination=_Side(member_id=member_id),
            minutes=minutes,
            happened_on=happened_on or now.date(),
            now=now,
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
    ) -> Created:
        """A coordinator records an exchange for members who are not on Telegram."""
        if helped_id == helper_id:
            raise ValueError("an exchange needs two different members")
        return await self._record(
            key=key,
            kind=TransferKind.RECORDED,
            source=_Side(member_id=helped_id),
            destination=_Side(member_id=helper_id),
            minutes=minutes,
            happened_on=happened_on,
            now=now,
            by_member_id=by_coordinator_id,
            note=note,
        )

    async def _record(
        self,
        *,
        key: str,
        kind: TransferKind,
        source: _Side,
        destination: _Side,
        minutes: int,
        happened_on: date,
        now: datetime,
        by_member_id: int | None = None,
        note: str | None = None,
        reason: str | None = None,
        source_floor: int | None = None,
    ) -> Created:
        """A donation, grant, starter credits, a coordinator-recorded exchange or organisation
        credits: confirmed and posted at once, once per key, with each side's account found (or
        opened) in the same write transaction. `by_member_id` is who recorded it (None for the
        system, e.g. starter credits).

        With `source_floor`, raises NotEnough rather than take the paying account below it;
        checked in the same transaction as the posting, so two at once cannot both pass. A key
        used already returns its transfer, whatever the balance is now.
        """
        if kind not in _RECORDED_BETWEEN:
            raise ValueError(f"a {kind} transfer cannot be recorded directly")
        _check_minutes(minutes)
        stamp = to_db(now)
        async with self._db.transaction() as tx:
            existing = await _by_key(tx, key)
            if existing is not None:
                return Created(existing, False)
            from_account_id = await _resolve(tx, source, stamp)
            to_account_id = await _resolve(tx, destination, stamp)
            accounts = await tx.execute_fetchall(
                "SELECT id, kind, balance FROM accounts WHERE id IN (?, ?)",
                (from_account_id, to_account_id),
            )
            by_id = {row["id"]: row for row in accounts}
            kinds = tuple(
                by_id[i]["kind"] if i in by_id else None for i in (from_account_id, to_account_id)
            )
            if kinds != _RECORDED_BETWEEN[kind]:
                raise ValueError(f"a {kind} transfer cannot go between those accounts")
            paying = by_id[from_account_id]["balance"]
            if source_floor is not None and paying - minutes < source_floor:
                raise NotEnough(paying)
            transfer_id = await _insert(
                tx,
                key=key,
                kind=kind,
                from_account=from_account_id,
                to_account=to_account_id,
                minutes=minutes,
                state=State.CONFIRMED,
                happened_on=happened_on,
                stamp=stamp,
                created_by=by_member_id,
                confirmed_by=by_member_id,
                note=note,
                reason=reason,
            )
            transfer = await _load(tx, transfer_id)
        return Created(transfer, True)

    # --- coordinators' decisions --------------------------------------------------------------

    async def settle(
        self,
        transfer_id: int,
        by_coordinator_member_id: int,
        outcome: Settlement,
        now: datetime,
        reason: str | None = None,
    ) -> Result:
        """Decide a disputed or expired exchange, or one waiting for approval below the floor.

        A coordinator cannot settle an exchange they are part of.
        """
        stamp = to_db(now)
        target = State.CONFIRMED if outcome is Settlement.CONFIRM else State.DECLINED
        async with self._db.transaction() as tx:
            transfer = await _load(tx, transfer_id)
            if transfer.involves(by_coordinator_member_id):
                return Result(transfer, Outcome.NOT_ALLOWED)
            open_states = (State.DISPUTED, State.EXPIRED)
            if transfer.state not in open_states and not (
                transfer.state is State.PENDING and transfer.needs_approval
            ):
                same = transfer.state is target and transfer.settled_by == by_coordinator_member_id
                return Result(transfer, Outcome.ALREADY if same else Outcome.TOO_LATE)
            confirmed_at = stamp if target is State.CONFIRMED else None
            await _set(
                tx,
                transfer_id,
                transfer.state,
                "state = ?, needs_approval = 0, settled_by = ?, reason = coalesce(?, reason),"
                " confirmed_at = ?, updated_at = ?",
                (target, by_coordinator_member_id, reason, confirmed_at, stamp),
            )
            return Result(await _load(tx, transfer_id), Outcome.DONE)

    async def reverse(
        self,
        transfer_id: int,
        by_member_id: int,
        reason: str,
        now: datetime,
        happened_on: date | None = None,
        *,
        pot_floor: int | None = None,
    ) -> Result:
        """Undo a confirmed transfer with a new, confirmed one the other way, once.

        The original is marked reversed; neither it nor its entries change otherwise. With
        `pot_floor` (the coordinators' tools pass 0), undoing a gift to the community pot raises
        NotEnough rather than take the pot below it; members' balances are never held back.
        """
        if not reason.strip():
            raise ValueError("a reversal needs a reason")
        stamp = to_db(now)
        async with self._db.transaction() as tx:
            row = await fetch_one_in(
                tx, "SELECT id FROM transfers WHERE reverses_transfer_id = ?", (transfer_id,)
            )
            if row is not None:
                return Result(await _load(tx, row["id"]), Outcome.ALREADY)
            original = await _load(tx, transfer_id)
            if original.kind is TransferKind.REVERSAL:
                return Result(original, Outcome.NOT_ALLOWED)
            if original.state is not State.CONFIRMED:
                return Result(original, Outcome.TOO_LATE)
            if pot_floor is not None:
                paying = await fetch_one_in(
                    tx, "SELECT kind, balance FROM accounts WHERE id = ?", (original.to_account_id,)
                )
                if paying is None:
                    raise RuntimeError(f"account {original.to_account_id} is missing")
                if (
                    paying["kind"] == AccountKind.POT
                    and paying["balance"] - original.amount < pot_floor
                ):
                    raise NotEnough(paying["balance"])
            await _set(
                tx, transfer_id, State.CONFIRMED, "state = 'reversed', updated_at = ?", (stamp,)
            )
            reversal_id = await _insert(
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
            reversal = await _load(tx, reversal_id)
        return Result(reversal, Outcome.DONE)

    # --- reading ------------------------------------------------------------------------------

    async def get(self, transfer_id: int) -> Transfer | None:
        row = await self._db.fetch_one(f"{_SELECT_TRANSFER} WHERE t.id = ?", (transfer_id,))
        return _transfer(row) if row else None

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
        items = [_history_item(row) for row in rows[:limit]]
        return HistoryPage(items, has_more=len(rows) > limit)

    async def pending_for(self, member_id: int) -> list[Transfer]:
        """Pending exchanges the member is part of: theirs to answer and theirs awaiting."""
        rows = await self._db.fetch_all(
            f"{_SELECT_TRANSFER} WHERE t.state = 'pending'"
            " AND (f.member_id = ? OR d.member_id = ?) ORDER BY t.created_at, t.id",
            (member_id, member_id),
        )
        return [_transfer(row) for row in rows]

    async def for_coordinators(self, limit: int = 50) -> list[Transfer]:
        """What waits for a coordinator: disputed, expired, and agreed-but-below-the-floor."""
        rows = await self._db.fetch_all(
            f"{_SELECT_TRANSFER} WHERE t.state IN ('disputed', 'expired')"
            " OR (t.state = 'pending' AND t.needs_approval = 1)"
            " ORDER BY t.updated_at, t.id LIMIT ?",
            (limit,),
        )
        return [_transfer(row) for row in rows]

    async def check_invariants(self) -> list[str]:
        """Every way the ledger could be wrong, one line each; empty when it adds up.

        One statement, so one consistent snapshot even while others write.
        """
        rows = await self._db.fetch_all(_INVARIANTS)
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

    async def _answer(
        self, transfer_id: int, by_member_id: int, now: datetime, state: State
    ) -> Result:
        stamp = to_db(now)
        async with self._db.transaction() as tx:
            transfer = await _load(tx, transfer_id)
            if by_member_id != _confirmer(transfer):
                return Result(transfer, Outcome.NOT_ALLOWED)
            if transfer.state is state:
                return Result(transfer, Outcome.ALREADY)
            if transfer.state is not State.PENDING or transfer.needs_approval:
                return Result(transfer, Outcome.TOO_LATE)
            await _set(tx, transfer_id, State.PENDING, "state = ?, updated_at = ?", (state, stamp))
            return Result(await _load(tx, transfer_id), Outcome.DONE)

    async def _single(self, kind: AccountKind) -> Account:
        row = await self._db.fetch_one("SELECT * FROM accounts WHERE kind = ?", (kind,))
        if row is None:
            raise RuntimeError(f"the {kind} account is created by the migration")
        return _account(row)


# Each SELECT yields one line per problem found.
# Confirms a pending exchange when the member is its other party and, with a floor, the payer
# stays within it (the rule of bot.domain.ledger.floor_decision); otherwise changes nothing. The
# entries are posted by a trigger (migration 0007).
_CONFIRM_IF_ALLOWED = """
UPDATE transfers SET state = 'confirmed', confirmed_by = :by, confirmed_at = :stamp,
    updated_at = :stamp
WHERE id = :id AND kind = 'exchange' AND state = 'pending' AND needs_approval = 0
    AND created_by IS NOT NULL AND created_by != :by
    AND :by IN (SELECT member_id FROM accounts WHERE id IN (from_account_id, to_account_id))
    AND created_by IN (SELECT member_id FROM accounts WHERE id IN (from_account_id, to_account_id))
    AND (:floor IS NULL OR (SELECT a.kind != 'member' OR a.balance - transfers.amount >= :floor
                            FROM accounts AS a WHERE a.id = transfers.from_account_id))
"""

_INVARIANTS = """
SELECT 'the entries add up to ' || total || ' minutes, not 0'
    FROM (SELECT coalesce(sum(amount), 0) AS total FROM entries) WHERE total != 0
UNION ALL
SELECT 'account ' || a.id || ' has a cached balance of ' || a.balance
        || ' but its entries add up to ' || coalesce(e.total, 0)
    FROM accounts a LEFT JOIN (SELECT account_id, sum(amount) AS total FROM entries
                               GROUP BY account_id) e ON e.account_id = a.id
    WHERE a.balance != coalesce(e.total, 0)
UNION ALL
SELECT 'transfer ' || t.id || ' (' || t.state || ') has ' || count(e.id) || ' entries'
    FROM transfers t LEFT JOIN entries e ON e.transfer_id = t.id
    GROUP BY t.id
    HAVING count(e.id) != CASE WHEN t.state IN ('confirmed', 'reversed') THEN 2 ELSE 0 END
UNION ALL
SELECT 'transfer ' || t.id || ' is posted wrongly'
    FROM transfers t JOIN entries e ON e.transfer_id = t.id
    GROUP BY t.id
    HAVING sum(CASE WHEN e.account_id = t.from_account_id AND e.amount = -t.amount THEN 1
                    WHEN e.account_id = t.to_account_id AND e.amount = t.amount THEN 1
                    ELSE 0 END) != 2
UNION ALL
SELECT 'transfer ' || t.id || ' is reversed but has no reversal'
    FROM transfers t WHERE t.state = 'reversed'
    AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.reverses_transfer_id = t.id
                    AND r.kind = 'reversal' AND r.state = 'confirmed')
UNION ALL
SELECT 'reversal ' || r.id || ' reverses transfer ' || r.reverses_transfer_id
        || ', which is ' || t.state
    FROM transfers r JOIN transfers t ON t.id = r.reverses_transfer_id
    WHERE t.state != 'reversed' OR r.amount != t.amount
        OR r.from_account_id != t.to_account_id OR r.to_account_id != t.from_account_id
UNION ALL
SELECT 'transfer ' || id || ' is confirmed but has no confirmation time'
    FROM transfers WHERE state IN ('confirmed', 'reversed') AND confirmed_at IS NULL
"""


def _check_minutes(minutes: int) -> None:
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
        raise ValueError(f"an amount is a positive whole number of minutes, not {minutes!r}")


def _confirmer(transfer: Transfer) -> int | None:
    """Who may confirm, decline or counter: the exchange's other member, and only them."""
    if transfer.kind is not TransferKind.EXCHANGE or transfer.created_by is None:
        return None
    if not transfer.involves(transfer.created_by):
        return None
    return transfer.other(transfer.created_by)


async def _load_row(tx: aiosqlite.Connection, transfer_id: int) -> sqlite3.Row:
    row = await fetch_one_in(tx, f"{_SELECT_TRANSFER} WHERE t.id = ?", (transfer_id,))
    if row is None:
        raise LookupError(f"transfer {transfer_id} does not exist")
    return row


async def _load(tx: aiosqlite.Connection, transfer_id: int) -> Transfer:
    return _transfer(await _load_row(tx, transfer_id))


async def _by_key(tx: aiosqlite.Connection, key: str) -> Transfer | None:
    row = await fetch_one_in(tx, f"{_SELECT_TRANSFER} WHERE t.idempotency_key = ?", (key,))
    return _transfer(row) if row else None


@dataclass(frozen=True)
class _Side:
    """One side of a recorded transfer, named by exactly one of: a member (their account is
    opened if need be), the pot or issuance account, or an organisation by name."""

    member_id: int | None = None
    single: AccountKind | None = None
    organisation: str | None = None


_POT = _Side(single=AccountKind.POT)
_ISSUANCE = _Side(single=AccountKind.ISSUANCE)


async def _resolve(tx: aiosqlite.Connection, side: _Side, stamp: str) -> int:
    """The account id for a side, inside the caller's transaction."""
    if side.member_id is not None:
        return await _member_account(tx, side.member_id, stamp)
    if side.organisation is not None:
        await tx.execute(
            "INSERT INTO accounts (kind, name, created_at) VALUES ('organisation', ?, ?)"
            " ON CONFLICT DO NOTHING",
            (side.organisation, stamp),
        )
        row = await fetch_one_in(
            tx,
            "SELECT id FROM accounts WHERE kind = 'organisation' AND name = ?",
            (side.organisation,),
        )
    else:
        row = await fetch_one_in(tx, "SELECT id FROM accounts WHERE kind = ?", (side.single,))
    if row is None:
        raise RuntimeError(f"no account for {side}")
    return int(row["id"])


async def _member_account(tx: aiosqlite.Connection, member_id: int, stamp: str) -> int:
    await tx.execute(
        "INSERT INTO accounts (kind, member_id, created_at) VALUES ('member', ?, ?)"
        " ON CONFLICT (member_id) DO NOTHING",
        (member_id, stamp),
    )
    row = await fetch_one_in(tx, "SELECT id FROM accounts WHERE member_id = ?", (member_id,))
    if row is None:
        raise RuntimeError(f"member {member_id} has no account")
    return int(row["id"])


async def _insert(
    tx: aiosqlite.Connection,
    *,
    key: str,
    kind: TransferKind,
    from_account: int,
    to_account: int,
    minutes: int,
    state: State,
    happened_on: date,
    stamp: str,
    created_by: int | None,
    confirmed_by: int | None = None,
    note: str | None = None,
    reason: str | None = None,
    listing_id: int | None = None,
    introduction_id: int | None = None,
    reverses_transfer_id: int | None = None,
    counters_transfer_id: int | None = None,
) -> int:
    cursor = await tx.execute(
        "INSERT INTO transfers (idempotency_key, kind, from_account_id, to_account_id, amount,"
        " state, happened_on, note, reason, created_by, confirmed_by, listing_id,"
        " introduction_id, reverses_transfer_id, counters_transfer_id, created_at, updated_at,"
        " confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            key,
            kind,
            from_account,
            to_account,
            minutes,
            state,
            happened_on.isoformat(),
            note,
            reason,
            created_by,
            confirmed_by,
            listing_id,
            introduction_id,
            reverses_transfer_id,
            counters_transfer_id,
            stamp,
            stamp,
            stamp if state is State.CONFIRMED else None,
        ),
    )
    if cursor.lastrowid is None:
        raise RuntimeError("the new transfer has no id")
    return cursor.lastrowid


async def _set(
    tx: aiosqlite.Connection,
    transfer_id: int,
    expected: State,
    assignments: str,
    params: tuple[object, ...],
) -> bool:
    """Compare-and-set: change the transfer only if it is still in the `expected` state."""
    cursor = await tx.execute(
        f"UPDATE transfers SET {assignments} WHERE id = ? AND state = ?",
        (*params, transfer_id, expected),
    )
    return cursor.rowcount == 1


def _account(row: sqlite3.Row) -> Account:
    created_at = required_from_db(row["created_at"], "accounts.created_at")
    return Account(
        id=row["id"],
        kind=AccountKind(row["kind"]),
        member_id=row["member_id"],
        name=row["name"],
        balance=row["balance"],
        created_at=created_at,
    )


def _transfer(row: sqlite3.Row) -> Transfer:
    created_at = required_from_db(row["created_at"], "transfers.created_at")
    updated_at = required_from_db(row["updated_at"], "transfers.updated_at")
    return Transfer(
        id=row["id"],
        key=row["idempotency_key"],
        kind=TransferKind(row["kind"]),
        from_account_id=row["from_account_id"],
        to_account_id=row["to_account_id"],
        from_member_id=row["from_member_id"],
        to_member_id=row["to_member_id"],
        amount=row["amount"],
        state=State(row["state"]),
        needs_approval=bool(row["needs_approval"]),
        happened_on=date.fromisoformat(row["happened_on"]),
        note=row["note"],
        reason=row["reason"],
        created_by=row["created_by"],
        confirmed_by=row["confirmed_by"],
        disputed_by=row["disputed_by"],
        settled_by=row["settled_by"],
        listing_id=row["listing_id"],
        introduction_id=row["introduction_id"],
        reverses_transfer_id=row["reverses_transfer_id"],
        counters_transfer_id=row["counters_transfer_id"],
        created_at=created_at,
        updated_at=updated_at,
        confirmed_at=from_db(row["confirmed_at"]),
    )


def _history_item(row: sqlite3.Row) -> HistoryItem:
    transfer = _transfer(row)
    incoming = transfer.to_account_id == row["my_account"]
    erased = row["other_status"] == "erased"
    return HistoryItem(
        transfer=transfer,
        minutes=transfer.amount if incoming else -transfer.amount,
        other_member_id=row["other_member_id"],
        other_account_kind=AccountKind(row["other_kind"]),
        other_name=None if erased else (row["other_display_name"] or row["other_account_name"]),
        other_erased=erased,
    )
