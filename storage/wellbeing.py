"""Wellbeing questions: a member's consent to them, and their answers under their pseudonym."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.domain.wellbeing import Round
from storage import support
from storage.database import Database, fetch_one_in
from storage.effects import Cancel, Effect, apply_in
from storage.timestamps import from_db, to_db

ANSWERS = "wellbeing_answers"


def round_keys(member_id: int) -> tuple[str, str]:
    """The due-work keys of the member's next rounds of questions (ONS, "since you joined")."""
    return f"wellbeing:ons:{member_id}", f"wellbeing:since:{member_id}"


@dataclass(frozen=True)
class Answered:
    """What storing one answer did: whether it was new (a repeat press changes nothing)."""

    new: bool


def consented_in(tx: sqlite3.Connection, member_id: int) -> bool:
    return (
        fetch_one_in(tx, "SELECT 1 FROM wellbeing_consent WHERE member_id = ?", (member_id,))
        is not None
    )


def consent_in(
    tx: sqlite3.Connection, member_id: int, now: datetime, effects: Iterable[Effect]
) -> bool:
    """Record consent and schedule the rounds (`effects`) in one write; False if given already
    (then nothing is scheduled again)."""
    cursor = tx.execute(
        "INSERT OR IGNORE INTO wellbeing_consent (member_id, given_at) VALUES (?, ?)",
        (member_id, to_db(now)),
    )
    if cursor.rowcount == 0:
        return False
    apply_in(tx, effects, now)
    return True


def withdraw_in(tx: sqlite3.Connection, member_id: int, now: datetime) -> bool:
    """Consent withdrawn: it, every wellbeing answer (check-ins' too) and the rounds still to
    come go, in one write. False if there was none."""
    cursor = tx.execute("DELETE FROM wellbeing_consent WHERE member_id = ?", (member_id,))
    support.forget_answers_in(tx, member_id, support.WELLBEING_TABLES)
    apply_in(tx, [Cancel(key) for key in round_keys(member_id)], now)
    return cursor.rowcount == 1


def answer_in(
    tx: sqlite3.Connection,
    member_id: int,
    round_: Round,
    question: int,
    answer: int | None,
    now: datetime,
) -> Answered:
    """Keep one answer (None: skipped) once per question per round, under the pseudonym; not
    if consent was withdrawn meanwhile (checked in this write, so nothing outlives it)."""
    if not consented_in(tx, member_id):
        return Answered(new=False)
    pseudonym = support.pseudonym_in(tx, member_id)
    cursor = tx.execute(
        f"INSERT OR IGNORE INTO {ANSWERS} (pseudonym, kind, round, question, answer, answered_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (pseudonym, round_.kind, round_.day.isoformat(), question, answer, to_db(now)),
    )
    return Answered(new=cursor.rowcount == 1)


class WellbeingRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def consented(self, member_id: int) -> bool:
        row = await self._db.fetch_one(
            "SELECT 1 FROM wellbeing_consent WHERE member_id = ?", (member_id,)
        )
        return row is not None

    async def consented_at(self, member_id: int) -> datetime | None:
        row = await self._db.fetch_one(
            "SELECT given_at FROM wellbeing_consent WHERE member_id = ?", (member_id,)
        )
        return from_db(row["given_at"]) if row is not None else None

    async def consent(self, member_id: int, now: datetime, effects: Iterable[Effect]) -> bool:
        planned = list(effects)
        return await self._db.write(lambda tx: consent_in(tx, member_id, now, planned))

    async def withdraw(self, member_id: int, now: datetime) -> bool:
        return await self._db.write(lambda tx: withdraw_in(tx, member_id, now))

    async def answer(
        self, member_id: int, round_: Round, question: int, answer: int | None, now: datetime
    ) -> Answered:
        return await self._db.write(
            lambda tx: answer_in(tx, member_id, round_, question, answer, now)
        )

    async def answered(self, member_id: int, round_: Round) -> dict[int, int | None]:
        """The round's answers so far, question by question (None: skipped)."""
        rows = await self._db.fetch_all(
            f"SELECT a.question, a.answer FROM {ANSWERS} a"
            " JOIN wellbeing_keys k ON k.pseudonym = a.pseudonym"
            " WHERE k.member_id = ? AND a.kind = ? AND a.round = ?",
            (member_id, round_.kind, round_.day.isoformat()),
        )
        return {int(row["question"]): row["answer"] for row in rows}

    async def answer_count(self, member_id: int) -> int:
        row = await self._db.fetch_one(
            f"SELECT count(*) FROM {ANSWERS} a JOIN wellbeing_keys k ON k.pseudonym = a.pseudonym"
            " WHERE k.member_id = ?",
            (member_id,),
        )
        return int(row[0]) if row is not None else 0
