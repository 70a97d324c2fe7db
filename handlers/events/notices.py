"""What events tell members through the outbox, and when: a place from the waitlist, a change,
a cancellation. Each is queued in the write that causes it and worded when sent, in the
member's language, from the event as it is then."""

from __future__ import annotations

from datetime import datetime
from html import escape

from bot.config import Config
from bot.domain.events import Answer, EventStatus, may_remind_in_quiet_hours, reminder_at
from bot.domain.matching import send_after
from bot.runtime.context import AmserApplication, Services
from handlers.common import Screen
from handlers.events.card import event_card, when_words
from handlers.notices import Recipient, register_notice
from storage.due_work import DueItem
from storage.effects import Cancel, Effect, Schedule, Then
from storage.events import PROMOTED, Answered, Changed, Event, promotion_notices
from storage.outbox import Notice, OutboxItem
from storage.timestamps import to_db

REMINDER_KIND = "event_reminder"  # due work: remind those going
REMINDER = "event.reminder"
CHANGED = "event.changed"
CANCELLED = "event.cancelled"


def _promotions(event_id: int, promoted: tuple[int, ...], now: datetime) -> list[Effect]:
    return list(promotion_notices(event_id, promoted, now))


def _reminder_key(event_id: int, hours: float) -> str:
    return f"event-reminder:{event_id}:{hours:g}"


def reminders(config: Config, event: Event, now: datetime) -> list[Effect]:
    """The event's reminders as due work, each at its time (moved when the event is edited);
    one whose time has passed is not made (or is dropped)."""
    effects: list[Effect] = []
    for hours in config.event_reminder_hours:
        due = reminder_at(event.start, hours)
        key = _reminder_key(event.id, hours)
        if due <= now:
            effects.append(Cancel(key))
        else:
            payload = {"event": event.id, "hours": hours}
            effects.append(Schedule(key, REMINDER_KIND, due, payload=payload))
    return effects


def published(config: Config, now: datetime) -> Then[Event]:
    """What publishing writes with the event: its reminders."""
    return lambda event: reminders(config, event, now)


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
        promoted = _promotions(event_id, changed.promoted, now)
        return told + promoted + reminders(config, changed.event, now)

    return then


def cancelled(config: Config, canceller_id: int) -> Then[Changed]:
    """Everyone who answered (but whoever cancelled it) is told, once; no more reminders."""

    def then(changed: Changed) -> list[Effect]:
        event_id = changed.event.id
        told: list[Effect] = [
            Notice(
                CANCELLED,
                member_id=member,
                about=event_id,
                key=f"{CANCELLED}:{event_id}:{member}",
            )
            for member in changed.answered
            if member != canceller_id
        ]
        return told + [Cancel(_reminder_key(event_id, h)) for h in config.event_reminder_hours]

    return then


async def remind(app: AmserApplication, item: DueItem) -> list[Effect]:
    """Due work: a reminder to each member going, held out of quiet hours unless it is the
    last one before the event."""
    services = app.services
    config = services.config
    event = await services.events.get(int(item.payload.get("event", 0)))
    if event is None or event.status is not EventStatus.PUBLISHED:
        return []
    now = services.clock.now()
    if event.starts_at <= now:
        return []
    hours = float(item.payload.get("hours", 0))
    when = now
    if not may_remind_in_quiet_hours(hours, config.event_reminder_hours or (hours,)):
        when = send_after(
            now, config.timezone, config.quiet_hours_start, config.quiet_hours_end, 0, 1
        )
    return [
        Notice(
            REMINDER,
            member_id=member,
            about=event.id,
            data={"hours": hours},
            key=f"{REMINDER}:{event.id}:{hours:g}:{to_db(event.starts_at)}:{member}",
            not_before=when,
        )
        for member in await services.events.going(event.id)
    ]


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


async def _render_reminder(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    member = recipient.member
    event = await services.events.get(item.about or 0)
    now = services.clock.now()
    if member is None or event is None or event.status is not EventStatus.PUBLISHED:
        return None
    if event.starts_at <= now:
        return None  # held too long: it has started
    mine = await services.events.mine(event.id, member.id)
    if mine is None or mine.answer is not Answer.GOING or mine.position is not None:
        return None  # no longer going
    note = recipient.tr.gettext("⏰ A reminder: you're going to this, {when}.").format(
        when=when_words(recipient.tr, event)
    )
    return event_card(services, member, event, mine, note=note)


def register(app: AmserApplication) -> None:
    register_notice(app, REMINDER, _render_reminder)
    app.due_work_runner.register(REMINDER_KIND, remind)
    register_notice(app, PROMOTED, _render_promoted)
    register_notice(app, CHANGED, _render_changed)
    register_notice(app, CANCELLED, _render_cancelled)
