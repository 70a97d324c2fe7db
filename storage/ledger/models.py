"""The ledger's vocabulary: kinds of account and transfer, states, outcomes, and what the
repository returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


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
RECORDED_BETWEEN = {
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
