"""What follows from a change, written in the same transaction as the change itself: messages
for the outbox, work to do later, and the audit row of an admin's or ambassador's action. A
repository method that changes something takes `then`, a function from its result to these
effects, so that a crash can never leave the change without them (or them without the
change)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from storage.audit import AuditEntry, audit_in
from storage.due_work import DueItem, cancel_in, complete_in, schedule_in
from storage.outbox import Notice, queue_in

R = TypeVar("R")


@dataclass(frozen=True)
class Schedule:
    """Due work to do at a time (scheduling a key again moves it)."""

    key: str
    kind: str
    due_at: datetime
    member_id: int | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Cancel:
    """Due work no longer needed."""

    key: str


@dataclass(frozen=True)
class Audit:
    """The action's audit row, and its line for the log chat when there is one."""

    entry: AuditEntry
    log_chat: int | None


Effect = Notice | Schedule | Cancel | Audit
Then = Callable[[R], Iterable[Effect]]


def apply_in(tx: sqlite3.Connection, effects: Iterable[Effect], now: datetime) -> None:
    """Write the effects inside the transaction making the change."""
    notices: list[Notice] = []
    for effect in effects:
        if isinstance(effect, Notice):
            notices.append(effect)
        elif isinstance(effect, Schedule):
            schedule_in(
                tx,
                effect.key,
                effect.kind,
                effect.due_at,
                member_id=effect.member_id,
                payload=dict(effect.payload),
            )
        elif isinstance(effect, Audit):
            audit_in(tx, effect.entry, now, effect.log_chat)
        else:
            cancel_in(tx, effect.key)
    if notices:
        queue_in(tx, notices, now)


def follow_in(tx: sqlite3.Connection, then: Then[R] | None, result: R, now: datetime) -> R:
    """Apply what `then` says follows from `result` (if anything), and return the result."""
    if then is not None:
        apply_in(tx, then(result), now)
    return result


def complete_due_in(
    tx: sqlite3.Connection, item: DueItem, effects: Iterable[Effect], now: datetime
) -> None:
    """Due work done: gone from the queue together with what it leads to."""
    complete_in(tx, item)
    apply_in(tx, effects, now)
