"""The ledger's shared SQL text and row helpers; those taking `tx` work inside the caller's
transaction."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from storage.database import fetch_one_in
from storage.ledger.models import (
    Account,
    AccountKind,
    HistoryItem,
    State,
    Transfer,
    TransferKind,
)
from storage.timestamps import from_db, required_from_db

SELECT_TRANSFER = (
    "SELECT t.*, f.member_id AS from_member_id, d.member_id AS to_member_id,"
    " f.kind AS from_kind, d.kind AS to_kind, f.balance AS from_balance"
    " FROM transfers t JOIN accounts f ON f.id = t.from_account_id"
    " JOIN accounts d ON d.id = t.to_account_id"
)


# Confirms a pending exchange when the member is its other party and, with a floor, the payer
# stays within it (the rule of bot.domain.ledger.floor_decision); otherwise changes nothing. The
# entries are posted by a trigger (migration 0007).
CONFIRM_IF_ALLOWED = """
UPDATE transfers SET state = 'confirmed', confirmed_by = :by, confirmed_at = :stamp,
    updated_at = :stamp
WHERE id = :id AND kind = 'exchange' AND state = 'pending' AND needs_approval = 0
    AND created_by IS NOT NULL AND created_by != :by
    AND :by IN (SELECT member_id FROM accounts WHERE id IN (from_account_id, to_account_id))
    AND created_by IN (SELECT member_id FROM accounts WHERE id IN (from_account_id, to_account_id))
    AND (:floor IS NULL OR (SELECT a.kind != 'member' OR a.balance - transfers.amount >= :floor
                            FROM accounts AS a WHERE a.id = transfers.from_account_id))
"""

# Each SELECT yields one line per problem found.
INVARIANTS = """
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


def check_minutes(minutes: int) -> None:
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
        raise ValueError(f"an amount is a positive whole number of minutes, not {minutes!r}")


def confirmer(transfer: Transfer) -> int | None:
    """Who may confirm, decline or counter: the exchange's other member, and only them."""
    if transfer.kind is not TransferKind.EXCHANGE or transfer.created_by is None:
        return None
    if not transfer.involves(transfer.created_by):
        return None
    return transfer.other(transfer.created_by)


def load_row(tx: sqlite3.Connection, transfer_id: int) -> sqlite3.Row:
    row = fetch_one_in(tx, f"{SELECT_TRANSFER} WHERE t.id = ?", (transfer_id,))
    if row is None:
        raise LookupError(f"transfer {transfer_id} does not exist")
    return row


def load_transfer(tx: sqlite3.Connection, transfer_id: int) -> Transfer:
    return transfer_from_row(load_row(tx, transfer_id))


def transfer_by_key(tx: sqlite3.Connection, key: str) -> Transfer | None:
    row = fetch_one_in(tx, f"{SELECT_TRANSFER} WHERE t.idempotency_key = ?", (key,))
    return transfer_from_row(row) if row else None


@dataclass(frozen=True)
class Side:
    """One side of a recorded transfer, named by exactly one of: a member (their account is
    opened if need be), the pot or issuance account, or an organisation by name."""

    member_id: int | None = None
    single: AccountKind | None = None
    organisation: str | None = None


POT = Side(single=AccountKind.POT)
ISSUANCE = Side(single=AccountKind.ISSUANCE)


def resolve(tx: sqlite3.Connection, side: Side, stamp: str) -> int:
    """The account id for a side, inside the caller's transaction."""
    if side.member_id is not None:
        return member_account(tx, side.member_id, stamp)
    if side.organisation is not None:
        tx.execute(
            "INSERT INTO accounts (kind, name, created_at) VALUES ('organisation', ?, ?)"
            " ON CONFLICT DO NOTHING",
            (side.organisation, stamp),
        )
        row = fetch_one_in(
            tx,
            "SELECT id FROM accounts WHERE kind = 'organisation' AND name = ?",
            (side.organisation,),
        )
    else:
        row = fetch_one_in(tx, "SELECT id FROM accounts WHERE kind = ?", (side.single,))
    if row is None:
        raise RuntimeError(f"no account for {side}")
    return int(row["id"])


def member_account(tx: sqlite3.Connection, member_id: int, stamp: str) -> int:
    tx.execute(
        "INSERT INTO accounts (kind, member_id, created_at) VALUES ('member', ?, ?)"
        " ON CONFLICT (member_id) DO NOTHING",
        (member_id, stamp),
    )
    row = fetch_one_in(tx, "SELECT id FROM accounts WHERE member_id = ?", (member_id,))
    if row is None:
        raise RuntimeError(f"member {member_id} has no account")
    return int(row["id"])


def insert_transfer(
    tx: sqlite3.Connection,
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
) -> Transfer:
    """Insert a transfer; the new transfer, as stored."""
    cursor = tx.execute(
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
    return load_transfer(tx, cursor.lastrowid)


def compare_and_set(
    tx: sqlite3.Connection,
    transfer_id: int,
    expected: State,
    assignments: str,
    params: tuple[object, ...],
) -> bool:
    """Compare-and-set: change the transfer only if it is still in the `expected` state."""
    cursor = tx.execute(
        f"UPDATE transfers SET {assignments} WHERE id = ? AND state = ?",
        (*params, transfer_id, expected),
    )
    return cursor.rowcount == 1


def account_from_row(row: sqlite3.Row) -> Account:
    created_at = required_from_db(row["created_at"], "accounts.created_at")
    return Account(
        id=row["id"],
        kind=AccountKind(row["kind"]),
        member_id=row["member_id"],
        name=row["name"],
        balance=row["balance"],
        created_at=created_at,
    )


def transfer_from_row(row: sqlite3.Row) -> Transfer:
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


def history_item(row: sqlite3.Row) -> HistoryItem:
    transfer = transfer_from_row(row)
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
