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

from storage.ledger.credits import CreditsMixin
from storage.ledger.exchanges import ExchangesMixin
from storage.ledger.models import (
    Account,
    AccountKind,
    Created,
    HistoryItem,
    HistoryPage,
    NotEnough,
    Outcome,
    Result,
    Settlement,
    State,
    Totals,
    Transfer,
    TransferKind,
)
from storage.ledger.reading import ReadingMixin

__all__ = [
    "Account",
    "AccountKind",
    "Created",
    "HistoryItem",
    "HistoryPage",
    "LedgerRepository",
    "NotEnough",
    "Outcome",
    "Result",
    "Settlement",
    "State",
    "Totals",
    "Transfer",
    "TransferKind",
]


class LedgerRepository(ExchangesMixin, CreditsMixin, ReadingMixin):
    """The ledger's one repository; its methods live in the mixins, grouped by job."""
