"""A ban from the time bank reaches the community's group chats: written in the ban's own
transaction as due work, one item per group the bot is in, so a restart before it runs still
does it; lifting the ban lets them back the same way."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.database import fetch_one_in
from storage.due_work import schedule_in
from storage.groups import present_in

BAN_KIND = "moderation.group_ban"  # due work: ban a member banned from the bank from a group
UNBAN_KIND = "moderation.group_unban"  # due work: let them back into it, the ban lifted


@dataclass(frozen=True)
class GroupBan:
    """One group's part of a time-bank ban (or of lifting one), as its due work carries it."""

    chat_id: int
    title: str
    telegram_id: int
    member_id: int
    actor_id: int | None  # the coordinator who banned, or lifted the ban (None: the bot)
    sanction_id: int

    @classmethod
    def of(cls, payload: dict[str, Any]) -> GroupBan:
        return cls(
            chat_id=int(payload["chat_id"]),
            title=str(payload.get("title", "")),
            telegram_id=int(payload["telegram_id"]),
            member_id=int(payload["member_id"]),
            actor_id=payload.get("actor_id"),
            sanction_id=int(payload["sanction_id"]),
        )


def _key(member_id: int, chat_id: int) -> str:
    # One key for the member in a group: lifting a ban whose removal has not run yet replaces it.
    return f"moderation.group:{member_id}:{chat_id}"


def _in_groups_in(
    tx: sqlite3.Connection,
    kind: str,
    member_id: int,
    sanction_id: int,
    actor_id: int | None,
    now: datetime,
    telegram_id: int | None = None,
) -> int:
    if telegram_id is None:  # given only for a former member, whose row no longer has it
        row = fetch_one_in(tx, "SELECT telegram_id FROM members WHERE id = ?", (member_id,))
        telegram_id = row["telegram_id"] if row is not None else None
    if telegram_id is None:
        return 0
    groups = present_in(tx)
    for group in groups:
        # No member_id on the item: erasing the member (/forget) must not undo their removal.
        payload = {
            "chat_id": group.chat_id,
            "title": group.title,
            "telegram_id": telegram_id,
            "member_id": member_id,
            "actor_id": actor_id,
            "sanction_id": sanction_id,
        }
        schedule_in(tx, _key(member_id, group.chat_id), kind, now, payload=payload)
    return len(groups)


def ban_from_groups_in(
    tx: sqlite3.Connection, member_id: int, sanction_id: int, actor_id: int | None, now: datetime
) -> int:
    """Due now: the banned member out of every group the bot is in; how many groups."""
    return _in_groups_in(tx, BAN_KIND, member_id, sanction_id, actor_id, now)


def unban_from_groups_in(
    tx: sqlite3.Connection,
    member_id: int,
    sanction_id: int,
    actor_id: int | None,
    now: datetime,
    telegram_id: int | None = None,
) -> int:
    """The ban lifted: removals still waiting are dropped, and every group the bot is in lets
    them back (if they were banned there); how many groups. `telegram_id`: a former member's,
    typed by the coordinator lifting it (their row no longer holds it)."""
    tx.execute(
        "DELETE FROM due_work WHERE kind = ? AND json_extract(payload, '$.member_id') = ?",
        (BAN_KIND, member_id),
    )
    return _in_groups_in(tx, UNBAN_KIND, member_id, sanction_id, actor_id, now, telegram_id)
