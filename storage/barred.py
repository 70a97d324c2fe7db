"""Bans that outlive erasure: a banned member who erases themselves leaves only a keyed one-way
digest of their Telegram id, so that the same account cannot join again as someone new. No
name and no id are kept; a coordinator who is given the id can lift it (/unsuspend <id>)."""

from __future__ import annotations

import hashlib
import hmac
import sqlite3
from datetime import datetime

from storage.audit import AuditAction, AuditEntry, audit_in
from storage.database import Database, fetch_one_in
from storage.group_bans import unban_from_groups_in
from storage.settings import secret_in
from storage.timestamps import to_db

BARRED_SECRET = "barred_secret"  # the settings key of the digests' HMAC key


class BarredFromJoining(Exception):
    """This Telegram account was banned, then erased: it cannot join again as someone new."""


def _digest(secret: str, telegram_id: int) -> str:
    return hmac.new(bytes.fromhex(secret), str(telegram_id).encode(), hashlib.sha256).hexdigest()


def digest_in(tx: sqlite3.Connection, telegram_id: int) -> str:
    """The Telegram id's digest, inside the caller's write (the key is made on first use)."""
    return _digest(secret_in(tx, BARRED_SECRET), telegram_id)


def bar_if_banned_in(
    tx: sqlite3.Connection, member_id: int, telegram_id: int | None, now: datetime
) -> bool:
    """Before a member's rows go: if a ban is in force, keep their id's digest; whether kept."""
    ban = fetch_one_in(
        tx,
        "SELECT id FROM sanctions WHERE member_id = ? AND kind = 'ban' AND ended_at IS NULL",
        (member_id,),
    )
    if ban is None or telegram_id is None:
        return False
    tx.execute(
        "INSERT INTO barred (digest, sanction_id, at) VALUES (?, ?, ?)"
        " ON CONFLICT (digest) DO UPDATE SET sanction_id = excluded.sanction_id, at = excluded.at",
        (digest_in(tx, telegram_id), int(ban["id"]), to_db(now)),
    )
    return True


def barred_in(tx: sqlite3.Connection, telegram_id: int) -> bool:
    return (
        fetch_one_in(tx, "SELECT 1 FROM barred WHERE digest = ?", (digest_in(tx, telegram_id),))
        is not None
    )


def lift_in(
    tx: sqlite3.Connection, telegram_id: int, actor_id: int, now: datetime, log_chat: int | None
) -> bool:
    """The account may join again, and the group chats let it back, with an audit row against
    the ban (its target the former member's anonymous row); False if it was not barred."""
    digest = digest_in(tx, telegram_id)
    row = fetch_one_in(tx, "SELECT sanction_id FROM barred WHERE digest = ?", (digest,))
    if row is None:
        return False
    tx.execute("DELETE FROM barred WHERE digest = ?", (digest,))
    sanction_id = int(row["sanction_id"])
    banned = fetch_one_in(
        tx,
        "SELECT target_id FROM audit WHERE action = ? AND subject = ? ORDER BY id DESC LIMIT 1",
        (AuditAction.BAN.value, sanction_id),
    )
    target = banned["target_id"] if banned is not None else None
    entry = AuditEntry(
        AuditAction.UNBAN, actor_id, target, subject=sanction_id, details={"after_erasure": True}
    )
    audit_in(tx, entry, now, log_chat)
    if target is not None:  # and back into the group chats they were banned from
        unban_from_groups_in(tx, target, sanction_id, actor_id, now, telegram_id)
    return True


class BarredRepository:
    """`services.barred`: the accounts that may not join again."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def barred(self, telegram_id: int) -> bool:
        row = await self._db.fetch_one("SELECT value FROM settings WHERE key = ?", (BARRED_SECRET,))
        if row is None:  # no key yet: nobody has been barred
            return False
        digest = _digest(str(row["value"]), telegram_id)
        return (
            await self._db.fetch_one("SELECT 1 FROM barred WHERE digest = ?", (digest,)) is not None
        )

    async def lift(
        self, telegram_id: int, actor_id: int, now: datetime, log_chat: int | None
    ) -> bool:
        return await self._db.write(lambda tx: lift_in(tx, telegram_id, actor_id, now, log_chat))
