"""Forms in progress: which multi-step form each member is in, its step, and its answers.

Answers are a form's own dataclass, kept as JSON; dates are kept as ISO text. One row per
member: starting a form replaces the one before. A finished form keeps its row until the next
one starts, so a repeated "Send" can be told what happened instead of doing it twice.
"""

from __future__ import annotations

import json
import sqlite3
import types
import typing
from dataclasses import asdict, dataclass, fields, is_dataclass, replace
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar

from storage.database import Database, fetch_one_in
from storage.timestamps import to_db

A = TypeVar("A")


@dataclass(frozen=True)
class FormRow:
    """A member's form: `answers` is the JSON object, decoded with `answers_as`."""

    id: int
    member_id: int
    name: str
    step: str
    answers: dict[str, Any]
    seen: frozenset[str]  # steps answered at least once
    outcome: int | None
    finished: bool

    def answers_as(self, kind: type[A]) -> A:
        """The answers as the form's dataclass; fields it does not hold keep their defaults."""
        return decode_answers(kind, self.answers)


class FormRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def start(
        self,
        member_id: int,
        name: str,
        step: str,
        answers: object,
        now: datetime,
        seen: frozenset[str] = frozenset(),
    ) -> FormRow:
        """A new form (with a new id) for the member, replacing any earlier one."""
        encoded = encode_answers(answers)
        row = await self._db.write(
            lambda tx: _start_in(tx, member_id, name, step, encoded, now, seen)
        )
        return _required(row, member_id)

    async def of_member(self, member_id: int) -> FormRow | None:
        row = await self._db.fetch_one("SELECT * FROM forms WHERE member_id = ?", (member_id,))
        return _form(row) if row else None

    async def get(self, form_id: int) -> FormRow | None:
        row = await self._db.fetch_one("SELECT * FROM forms WHERE id = ?", (form_id,))
        return _form(row) if row else None

    async def move(
        self,
        form_id: int,
        now: datetime,
        *,
        step: str | None = None,
        answers: object = None,
        seen: frozenset[str] | None = None,
    ) -> FormRow | None:
        """Change an unfinished form's step, answers or seen steps; None if gone or finished."""
        changes: dict[str, object] = {}
        if step is not None:
            changes["step"] = step
        if answers is not None:
            changes["answers"] = encode_answers(answers)
        if seen is not None:
            changes["seen"] = json.dumps(sorted(seen))
        assignments = "".join(f"{column} = ?, " for column in changes)
        sql = f"UPDATE forms SET {assignments}updated_at = ? WHERE id = ? AND finished_at IS NULL"

        def move(tx: sqlite3.Connection) -> sqlite3.Row | None:
            tx.execute(sql, (*changes.values(), to_db(now), form_id))
            return fetch_one_in(tx, "SELECT * FROM forms WHERE id = ?", (form_id,))

        row = await self._db.write(move)
        form = _form(row) if row else None
        return form if form is not None and not form.finished else None

    async def finish(self, form_id: int, now: datetime, outcome: int | None = None) -> bool:
        """Mark a form finished, once: True for the call that finished it."""
        return await self._db.write(lambda tx: finish_in(tx, form_id, now, outcome))

    async def discard(self, form_id: int) -> None:
        await self._db.write(lambda tx: tx.execute("DELETE FROM forms WHERE id = ?", (form_id,)))


def made_by_in(tx: sqlite3.Connection, form_id: int) -> int | None:
    """What the form made already (its outcome): a repeated last press finds it and makes
    nothing. A form that is gone is an error: its answers are what would be made."""
    row = fetch_one_in(tx, "SELECT outcome FROM forms WHERE id = ?", (form_id,))
    if row is None:
        raise LookupError(f"form {form_id} does not exist")
    return None if row["outcome"] is None else int(row["outcome"])


def record_made_in(tx: sqlite3.Connection, form_id: int, made: int) -> None:
    """Record what the form made, in the write that made it."""
    tx.execute("UPDATE forms SET outcome = ? WHERE id = ?", (made, form_id))


def finish_in(
    tx: sqlite3.Connection, form_id: int, now: datetime, outcome: int | None = None
) -> bool:
    """Mark a form finished, once, inside the caller's write: True for the call that did."""
    cursor = tx.execute(
        "UPDATE forms SET finished_at = ?, outcome = ?, updated_at = ?"
        " WHERE id = ? AND finished_at IS NULL",
        (to_db(now), outcome, to_db(now), form_id),
    )
    return cursor.rowcount == 1


def _start_in(
    tx: sqlite3.Connection,
    member_id: int,
    name: str,
    step: str,
    answers: str,
    now: datetime,
    seen: frozenset[str],
) -> sqlite3.Row | None:
    stamp = to_db(now)
    tx.execute("DELETE FROM forms WHERE member_id = ?", (member_id,))
    cursor = tx.execute(
        "INSERT INTO forms (member_id, name, step, answers, seen, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (member_id, name, step, answers, json.dumps(sorted(seen)), stamp, stamp),
    )
    return fetch_one_in(tx, "SELECT * FROM forms WHERE id = ?", (cursor.lastrowid,))


def _required(row: sqlite3.Row | None, member_id: int) -> FormRow:
    if row is None:
        raise LookupError(f"member {member_id} has no form")
    return _form(row)


def _form(row: sqlite3.Row) -> FormRow:
    return FormRow(
        id=row["id"],
        member_id=row["member_id"],
        name=row["name"],
        step=row["step"],
        answers=json.loads(row["answers"] or "{}"),
        seen=frozenset(json.loads(row["seen"] or "[]")),
        outcome=row["outcome"],
        finished=row["finished_at"] is not None,
    )


# --- answers as JSON -------------------------------------------------------------------------


def encode_answers(answers: object) -> str:
    """A dataclass (or a plain dict) of answers as JSON; dates and enums as their text."""
    if is_dataclass(answers) and not isinstance(answers, type):
        values = asdict(answers)
    elif isinstance(answers, dict):
        values = dict(answers)
    else:
        raise TypeError(f"answers must be a dataclass or a dict, not {type(answers).__name__}")
    return json.dumps({key: _plain(value) for key, value in values.items()}, sort_keys=True)


def decode_answers(kind: type[A], values: dict[str, Any]) -> A:
    """Answers read back into their dataclass, each field converted to its declared type."""
    hints = typing.get_type_hints(kind)
    known = {f.name for f in fields(kind)}  # type: ignore[arg-type]
    converted = {
        name: _typed(hints[name], value) for name, value in values.items() if name in known
    }
    return replace(kind(), **converted)  # type: ignore[call-arg]


def _plain(value: object) -> object:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return to_db(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list | frozenset | set):
        return [_plain(item) for item in value]
    return value


def _typed(hint: Any, value: Any) -> Any:
    """A JSON value as the declared type: `int | None`, `date`, an enum, a tuple of them."""
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _typed(options[0], value) if len(options) == 1 else value
    if origin in (tuple, frozenset, list):
        args = typing.get_args(hint)
        item = args[0] if args else Any
        return origin(_typed(item, v) for v in value)
    if isinstance(hint, type):
        if issubclass(hint, bool):
            return bool(value)
        if issubclass(hint, datetime):
            return datetime.fromisoformat(value)
        if issubclass(hint, date):
            return date.fromisoformat(value)
        if issubclass(hint, Enum):
            return hint(value)
    return value
