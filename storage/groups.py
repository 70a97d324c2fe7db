"""The group chats the bot is in: its standing and rights there as Telegram last said, the
language it speaks there, and what follows when a group becomes a supergroup or the bot is
removed (the messages waiting for it follow or are given up, in the same transaction)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from storage.database import Database, fetch_all_in, fetch_one_in
from storage.outbox import fail_chat_in, move_chat_in
from storage.timestamps import required_from_db, to_db

REMOVED = "the bot is no longer in this group"  # why waiting messages there were given up


class GroupLanguage(StrEnum):
    EN = "en"
    CY = "cy"
    BOTH = "both"  # Welsh first, then English


class BotStanding(StrEnum):
    """The bot's own standing in a group (Telegram's ChatMember statuses)."""

    MEMBER = "member"
    ADMINISTRATOR = "administrator"
    RESTRICTED = "restricted"
    LEFT = "left"  # removed, or left
    KICKED = "kicked"  # banned

    @property
    def present(self) -> bool:
        return self not in (BotStanding.LEFT, BotStanding.KICKED)


@dataclass(frozen=True)
class Group:
    chat_id: int
    title: str
    language: GroupLanguage
    bot_status: BotStanding
    rights: Mapping[str, bool] = field(default_factory=dict)
    linked_at: datetime | None = None
    changed_at: datetime | None = None
    migrated_from: int | None = None

    @property
    def present(self) -> bool:
        return self.bot_status.present

    def bot_may(self, right: str) -> bool:
        """Whether the bot held this administrator right when Telegram last said."""
        return self.bot_status is BotStanding.ADMINISTRATOR and bool(self.rights.get(right))


@dataclass(frozen=True)
class Standing:
    """What Telegram says of the bot in a group now."""

    chat_id: int
    title: str
    status: BotStanding
    rights: Mapping[str, bool] = field(default_factory=dict)


_PRESENT = "SELECT * FROM groups WHERE bot_status NOT IN ('left', 'kicked') ORDER BY chat_id"


def present_in(tx: sqlite3.Connection) -> list[Group]:
    """The groups the bot is in now, inside the caller's write."""
    return [_group(row) for row in fetch_all_in(tx, _PRESENT, ())]


def group_in(tx: sqlite3.Connection, chat_id: int) -> Group | None:
    row = fetch_one_in(tx, "SELECT * FROM groups WHERE chat_id = ?", (chat_id,))
    return _group(row) if row is not None else None


def standing_in(
    tx: sqlite3.Connection, standing: Standing, now: datetime, language: GroupLanguage
) -> Group:
    """Keep the bot's standing in a group (a new group gets `language`); once it is out of
    the group, what was waiting to be sent there is given up."""
    tx.execute(
        "INSERT INTO groups (chat_id, title, language, bot_status, rights, linked_at,"
        " changed_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (chat_id) DO UPDATE SET"
        " title = excluded.title, bot_status = excluded.bot_status, rights = excluded.rights,"
        " changed_at = excluded.changed_at",
        (
            standing.chat_id,
            standing.title,
            language.value,
            standing.status.value,
            json.dumps(dict(standing.rights), sort_keys=True),
            to_db(now),
            to_db(now),
        ),
    )
    if not standing.status.present:
        fail_chat_in(tx, standing.chat_id, REMOVED)
    return _required(tx, standing.chat_id)


def migrated_in(
    tx: sqlite3.Connection,
    old_chat_id: int,
    new_chat_id: int,
    now: datetime,
    language: GroupLanguage,
) -> Group:
    """The group became a supergroup: its row, and every message still waiting for it, move
    to the new id (again: nothing changes twice)."""
    old = group_in(tx, old_chat_id)
    new = group_in(tx, new_chat_id)
    if old is not None and new is not None:  # the supergroup was heard of first
        tx.execute(
            "UPDATE groups SET language = ?, linked_at = min(linked_at, ?) WHERE chat_id = ?",
            (old.language.value, to_db(old.linked_at or now), new_chat_id),
        )
        tx.execute("DELETE FROM groups WHERE chat_id = ?", (old_chat_id,))
    elif old is not None:
        tx.execute(
            "UPDATE groups SET chat_id = ?, changed_at = ? WHERE chat_id = ?",
            (new_chat_id, to_db(now), old_chat_id),
        )
    elif new is None:
        tx.execute(
            "INSERT INTO groups (chat_id, language, bot_status, linked_at, changed_at)"
            " VALUES (?, ?, 'member', ?, ?)",
            (new_chat_id, language.value, to_db(now), to_db(now)),
        )
    tx.execute("UPDATE groups SET migrated_from = ? WHERE chat_id = ?", (old_chat_id, new_chat_id))
    move_chat_in(tx, old_chat_id, new_chat_id)
    return _required(tx, new_chat_id)


def _required(tx: sqlite3.Connection, chat_id: int) -> Group:
    found = group_in(tx, chat_id)
    if found is None:
        raise LookupError(f"group {chat_id} was not kept")
    return found


def _group(row: sqlite3.Row) -> Group:
    return Group(
        chat_id=row["chat_id"],
        title=row["title"],
        language=GroupLanguage(row["language"]),
        bot_status=BotStanding(row["bot_status"]),
        rights=json.loads(row["rights"]),
        linked_at=required_from_db(row["linked_at"], "linked_at"),
        changed_at=required_from_db(row["changed_at"], "changed_at"),
        migrated_from=row["migrated_from"],
    )


class GroupRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, chat_id: int) -> Group | None:
        row = await self._db.fetch_one("SELECT * FROM groups WHERE chat_id = ?", (chat_id,))
        return _group(row) if row is not None else None

    async def present(self) -> list[Group]:
        """The groups the bot is in now (e.g. to act in every linked group)."""
        rows = await self._db.fetch_all(_PRESENT)
        return [_group(row) for row in rows]

    async def seen(self, standing: Standing, now: datetime, language: GroupLanguage) -> Group:
        return await self._db.write(lambda tx: standing_in(tx, standing, now, language))

    async def migrated(
        self, old_chat_id: int, new_chat_id: int, now: datetime, language: GroupLanguage
    ) -> Group:
        return await self._db.write(
            lambda tx: migrated_in(tx, old_chat_id, new_chat_id, now, language)
        )

    async def set_language(
        self, chat_id: int, title: str, language: GroupLanguage, now: datetime
    ) -> None:
        """Speak `language` in the group from now (a group not heard of yet is kept with the
        bot as a member there)."""
        await self._db.write(
            lambda tx: tx.execute(
                "INSERT INTO groups (chat_id, title, language, bot_status, linked_at, changed_at)"
                " VALUES (?, ?, ?, 'member', ?, ?)"
                " ON CONFLICT (chat_id) DO UPDATE SET language = excluded.language",
                (chat_id, title, language.value, to_db(now), to_db(now)),
            )
        )
