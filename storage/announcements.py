"""Event announcements: each (event, audience) once, with one bulk outbox message per member who
has not heard of the event yet (or per group chat), queued in the same transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain.announcements import EVENTS, Target, audience_for
from bot.domain.events import EventStatus
from storage.broadcasts import audience_sql
from storage.database import Database
from storage.events import Event, event_in
from storage.outbox import Notice, Priority, queue_in
from storage.timestamps import to_db

ANNOUNCEMENT = "event.announcement"  # the outbox purpose of an announcement to a member
GROUP_POST = "event.group_post"  # and of its post in a community group chat


@dataclass(frozen=True)
class Announced:
    """What announcing did: `queued` messages (0 when nobody new was in that audience), or
    `first` False when that audience had been announced to already (nothing sent again)."""

    target: Target
    first: bool
    queued: int


class AnnouncementRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def done(self, event_id: int) -> frozenset[Target]:
        """The audiences this event has been announced to."""
        rows = await self._db.fetch_all(
            "SELECT audience FROM event_announcements WHERE event_id = ?", (event_id,)
        )
        return frozenset(Target(row["audience"]) for row in rows)

    async def announce(
        self,
        event_id: int,
        target: Target,
        group_chats: Sequence[int],
        now: datetime,
        *,
        bot_username: str,
    ) -> Announced | None:
        """Announce a published event to one audience, once; None if the event is not
        published (cancelled meanwhile) or has started. A group post carries the bot's name,
        for the link its button opens."""

        def announce(tx: sqlite3.Connection) -> Announced | None:
            event = event_in(tx, event_id)
            if event is None or event.status is not EventStatus.PUBLISHED or event.starts_at <= now:
                return None
            notices = _notices_in(tx, event, target, group_chats, bot_username)
            added = tx.execute(
                "INSERT INTO event_announcements (event_id, audience, recipients, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (event_id, target.value, len(notices), to_db(now)),
            ).rowcount
            if not added:
                return Announced(target, False, 0)
            tx.executemany(
                "INSERT INTO event_heard (event_id, member_id) VALUES (?, ?)",
                [(event_id, n.member_id) for n in notices if n.member_id is not None],
            )
            queue_in(tx, notices, now)
            return Announced(target, True, len(notices))

        return await self._db.write(announce)


def _notices_in(
    tx: sqlite3.Connection,
    event: Event,
    target: Target,
    group_chats: Sequence[int],
    bot_username: str,
) -> list[Notice]:
    """The messages announcing the event to one audience; not to its organiser, nor to a member
    who heard of it already."""
    event_id = event.id
    if target is Target.GROUP:
        return [
            Notice(
                GROUP_POST,
                chat_id=chat,
                about=event_id,
                data={"bot": bot_username},
                priority=Priority.BULK,
                key=f"{GROUP_POST}:{event_id}:{chat}",
            )
            for chat in group_chats
        ]
    audience = audience_for(target, event.details.area, event.details.kind)
    if audience is None:
        return []
    sql, params = audience_sql(audience, EVENTS)
    rows = tx.execute(
        f"SELECT id FROM ({sql}) WHERE id IS NOT ? AND id NOT IN"
        " (SELECT member_id FROM event_heard WHERE event_id = ?)",
        [*params, event.created_by, event_id],
    )
    return [
        Notice(
            ANNOUNCEMENT,
            member_id=row[0],
            about=event_id,
            priority=Priority.BULK,
            key=f"{ANNOUNCEMENT}:{event_id}:{row[0]}",
        )
        for row in rows
    ]
