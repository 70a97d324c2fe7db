"""Support: the pseudonym that keeps wellbeing answers apart from identity, and the queue of
"please get in touch" requests (and reports) that ambassadors and coordinators work through."""

from __future__ import annotations

import secrets
import sqlite3
from datetime import datetime
from enum import StrEnum

from storage.database import Database
from storage.timestamps import to_db

# Tables of answers kept under a pseudonym (a `pseudonym` column), not a member id: erasure and
# withdrawn consent delete from each, and /mydata shows each. A feature storing answers adds
# its table here.
WELLBEING_TABLES: tuple[str, ...] = ("checkin_answers",)


class ContactReason(StrEnum):
    CHECKIN = "checkin"  # "Would you like someone to get in touch?" after a check-in
    CRISIS = "crisis"  # after crisis words, from the helplines reply
    WELLBEING = "wellbeing"  # after very low wellbeing answers


def pseudonym_in(tx: sqlite3.Connection, member_id: int) -> str:
    """The member's pseudonym for wellbeing answers, made on first use."""
    row = tx.execute(
        "SELECT pseudonym FROM wellbeing_keys WHERE member_id = ?", (member_id,)
    ).fetchone()
    if row is not None:
        return str(row[0])
    pseudonym = secrets.token_hex(16)
    tx.execute(
        "INSERT INTO wellbeing_keys (member_id, pseudonym) VALUES (?, ?)", (member_id, pseudonym)
    )
    return pseudonym


def forget_answers_in(tx: sqlite3.Connection, member_id: int, tables: tuple[str, ...]) -> None:
    """Delete the member's answers in these tables (all of them: erasure; some: consent
    withdrawn). The pseudonym goes only with all of them."""
    for table in tables:
        tx.execute(
            f"DELETE FROM {table} WHERE pseudonym IN"
            " (SELECT pseudonym FROM wellbeing_keys WHERE member_id = ?)",
            (member_id,),
        )
    if set(WELLBEING_TABLES) <= set(tables):
        tx.execute("DELETE FROM wellbeing_keys WHERE member_id = ?", (member_id,))


def forget_member_in(tx: sqlite3.Connection, member_id: int) -> None:
    """Erasure: their wellbeing answers and pseudonym, and their place in the support queue."""
    forget_answers_in(tx, member_id, WELLBEING_TABLES)
    tx.execute("DELETE FROM support_requests WHERE member_id = ?", (member_id,))
    tx.execute("UPDATE support_requests SET claimed_by = NULL WHERE claimed_by = ?", (member_id,))


def ask_for_contact_in(
    tx: sqlite3.Connection, member_id: int, reason: ContactReason, now: datetime
) -> bool:
    """A member asks for someone to get in touch; False if a request of theirs is open
    already (a double tap, or asking again, changes nothing)."""
    cursor = tx.execute(
        "INSERT OR IGNORE INTO support_requests"
        " (kind, member_id, reason, created_at, updated_at) VALUES ('contact', ?, ?, ?, ?)",
        (member_id, reason, to_db(now), to_db(now)),
    )
    return cursor.rowcount == 1


class SupportRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def ask_for_contact(self, member_id: int, reason: ContactReason, now: datetime) -> bool:
        return await self._db.write(lambda tx: ask_for_contact_in(tx, member_id, reason, now))
