"""What events tell members through the outbox, and when: a place from the waitlist, a change,
a cancellation. Each is queued in the write that causes it and worded when sent, in the
member's language, from the event as it is then."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from html import escape

from bot.config import Config
from bot.domain.events import Answer, EventStatus
from bot.runtime.context import AmserApplication, Services
from handlers.common import Screen
from handlers.events.card import event_card, when_words
from handlers.notices import Recipient, register_notice
from storage.effects import Effect, Then
from storage.events import Answered, Changed, Event
from storage.outbox import Notice, OutboxItem
from storage.timestamps import to_db

PROMOTED = "event.promoted"
CHANGED = "event.changed"
CANCELLED = "event.cancelled"


def _promotions(event_id: int, promoted: Iterable[int], now: datetime) -> list[Effect]:
    return [
        Notice(
            PROMOTED,
            member_id=member,
            about=event_id,
            key=f"{PROMOTED}:{event_id}:{member}:{to_db(now)}",
        )
        for member in promoted
    ]


def published(config: Config, now: datetime) -> Then[Event]:
    """What publishing writes with the event (nothing yet: announcing is another part)."""

    def then(event: Event) -> list[Effect]:
        return []

    return then


def answered(now: datetime) -> Then[Answered]:
    """Whoever got a place from the waitlist because of an answer is told."""
    return lambda done: _promotions(done.event.id, done.promoted, now)


def edited(config: Config, editor_id: int, now: datetime) -> Then[Changed]:
    """Everyone who answered (but the editor) is told of the change; places it freed are given."""

    def then(changed: Changed) -> list[Effect]:
        event_id = changed.event.id
        told: list[Effect] = [
            Notice(
                CHANGED,
                member_id=member,
                about=event_id,
                key=f"{CHANGED}:{event_id}:{member}:{to_db(now)}",
            )
            for member in changed.answered
            if member != editor_id and member not in changed.promoted
        ]
        return told + _promotions(event_id, changed.promoted, now)

    return then


def cancelled(canceller_id: int) -> Then[Changed]:
    """Everyone who answered (but whoever cancelled it) is told, once."""

    def then(changed: Changed) -> list[Effect]:
        event_id = changed.event.id
        return [
            Notice(
                CANCELLED, member_id=member, about=event_id, key=f"{CANCELLED}:{event_id}:{member}"
            )
            for member in changed.answered
            if member != canceller_id
        ]

    return then


# --- the words ---------------------------------------------------------------------------------


async def _render_promoted(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    member = recipient.member
    event = await services.events.get(item.about or 0)
    if member is None or event is None or event.status is not EventStatus.PUBLISHED:
        return None
    mine = await services.events.mine(event.id, member.id)
    if mine is None or mine.answer is not Answer.GOING or mine.position is not None:
        return None  # they changed their mind meanwhile
    note = recipient.tr.gettext(
        "🎉 Good news: a place has come up and it's yours. If you can't go after all, tap "
        "“Can't go” so someone else can have it."
    )
    return event_card(services, member, event, mine, note=note)


async def _render_changed(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    member = recipient.member
    event = await services.events.get(item.about or 0)
    if member is None or event is None or event.status is not EventStatus.PUBLISHED:
        return None  # cancelled meanwhile: that notice says so
    mine = await services.events.mine(event.id, member.id)
    note = recipient.tr.gettext("✏️ An event you answered has changed. Here it is now:")
    return event_card(services, member, event, mine, note=note)


async def _render_cancelled(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    event = await services.events.get(item.about or 0)
    if event is None:
        return None
    tr = recipient.tr
    text = tr.gettext("Sorry: <b>{title}</b> on {when} has been cancelled.").format(
        title=escape(event.details.title), when=when_words(tr, event)
    )
    return Screen(text)


def register(app: AmserApplication) -> None:
    register_notice(app, PROMOTED, _render_promoted)
    register_notice(app, CHANGED, _render_changed)
    register_notice(app, CANCELLED, _render_cancelled)
