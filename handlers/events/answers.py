"""/events for members: upcoming events (their area first), a page at a time; each card with
Going / Maybe / Can't go, volunteering, "Add to my calendar"; and, for an event's organiser or
an admin, Edit and Cancel event. Every press is checked again when it arrives."""

from __future__ import annotations

from html import escape

from babel.dates import format_date
from telegram import Update

from bot.domain.events import CalendarEvent, EventStatus, calendar_file
from bot.runtime.context import AmserContext
from handlers.buttons import Buttons
from handlers.common import Screen, hand_over, keyboard, say, show, tr_for
from handlers.credit_common import babel_locale
from handlers.details import active_member
from handlers.events import notices
from handlers.events.buttons import (
    AddToCalendar,
    AskCancelEvent,
    CancelEvent,
    EditEvent,
    ListEvents,
    OpenEvent,
    Reply,
    Volunteer,
)
from handlers.events.card import area_words, event_card, link, may_manage
from handlers.events.form import start_editing
from handlers.menu import back_to_menu, main_menu
from storage.events import Event
from storage.members import Member

PAGE_SIZE = 5


async def _list(context: AmserContext, member: Member, page: int) -> Screen:
    """A page of the events coming up, the member's area first."""
    services = context.services
    tr = tr_for(services, member)
    _ = tr.gettext
    page = max(page, 0)
    found = await services.events.upcoming(
        services.clock.now(), member.area, page * PAGE_SIZE, PAGE_SIZE
    )
    b = Buttons(services, member.telegram_id or 0)
    moves = [b(_("« Sooner"), ListEvents(page - 1))] if page > 0 else []
    if not found.events:
        text = (
            _("There are no more events coming up.")
            if page
            else _("There are no events coming up just now. Have a look again soon!")
        )
        return Screen(text, keyboard(moves, back_to_menu(services, member)))
    lines = [_("<b>📅 Coming up</b>")]
    rows = []
    for number, event in enumerate(found.events, start=page * PAGE_SIZE + 1):
        start = event.start
        day = format_date(start.date(), "EEE d MMM", locale=babel_locale(tr))
        where = area_words(services, tr, event.details.area)
        lines.append(
            f"{number}. <b>{escape(event.details.title)}</b>: {day}, {start:%H:%M} ({where})"
        )
        rows.append([b(f"{number}. {event.details.title}", OpenEvent(event.id, page))])
    if found.has_more:
        moves.append(b(_("Later »"), ListEvents(page + 1)))
    lines.append("")
    lines.append(_("Tap an event to see it and answer."))
    return Screen("\n".join(lines), keyboard(*rows, moves, back_to_menu(services, member)))


async def events_command(update: Update, context: AmserContext) -> None:
    member = await active_member(update, context)
    if member is not None:
        await say(update, context, await _list(context, member, 0))


async def on_list(update: Update, context: AmserContext, press: ListEvents) -> None:
    member = await active_member(update, context)
    if member is not None:
        await show(update, context, await _list(context, member, press.page))


async def card_for(
    context: AmserContext,
    member: Member,
    event: Event,
    page: int | None,
    note: str | None = None,
) -> Screen:
    mine = await context.services.events.mine(event.id, member.id)
    return event_card(
        context.services,
        member,
        event,
        mine,
        page=page,
        bot_username=context.bot.username,
        note=note,
    )


async def _event_or_gone(
    update: Update, context: AmserContext, member: Member, event_id: int
) -> Event | None:
    event = await context.services.events.get(event_id)
    if event is None:
        _ = tr_for(context.services, member).gettext
        note = _("Sorry, that event is no longer here.")
        await show(update, context, main_menu(context.services, member).after(note))
    return event


async def on_open(update: Update, context: AmserContext, press: OpenEvent) -> None:
    member = await active_member(update, context)
    if member is None:
        return
    event = await _event_or_gone(update, context, member, press.event)
    if event is not None:
        await show(update, context, await card_for(context, member, event, press.page))


async def on_reply(update: Update, context: AmserContext, press: Reply) -> None:
    member = await active_member(update, context)
    if member is None:
        return
    services = context.services
    now = services.clock.now()
    done = await services.events.answer(
        press.event, member.id, press.answer, now, then=notices.answered(now)
    )
    event = await _event_or_gone(update, context, member, press.event)
    if event is None:
        return
    note = None
    if done is None:
        _ = tr_for(services, member).gettext
        note = (
            _("Sorry, this event has been cancelled.")
            if event.status is EventStatus.CANCELLED
            else _("This event has already started, so answers are closed.")
        )
    await show(update, context, await card_for(context, member, event, press.page, note))


async def on_volunteer(update: Update, context: AmserContext, press: Volunteer) -> None:
    member = await active_member(update, context)
    if member is None:
        return
    services = context.services
    event = await services.events.get(press.event)
    if event is not None and event.details.volunteers_wanted:
        await services.events.volunteer(press.event, member.id, press.on, services.clock.now())
    event = await _event_or_gone(update, context, member, press.event)
    if event is not None:
        await show(update, context, await card_for(context, member, event, press.page))


async def on_calendar(update: Update, context: AmserContext, press: AddToCalendar) -> None:
    """The direct answer to the press: the event as an .ics file for the phone's calendar."""
    member = await active_member(update, context)
    if member is None:
        return
    services = context.services
    event = await services.events.get(press.event)
    _ = tr_for(services, member).gettext
    if event is None or event.status is not EventStatus.PUBLISHED:
        await say(update, context, Screen(_("Sorry, that event is no longer on.")))
        return
    entry = CalendarEvent(
        uid=f"event-{event.id}@{context.bot.username}",
        title=event.details.title,
        start=event.start,
        place=event.details.place,
        description=event.details.description,
        url=link(context.bot.username, event),
    )
    content = calendar_file(entry, services.clock.now())
    await hand_over(
        update,
        context,
        content,
        f"event-{event.id}.ics",
        _("Open this file to add the event to your calendar."),
    )


async def manager_of(
    update: Update, context: AmserContext, event_id: int, *, published_only: bool = True
) -> tuple[Member, Event] | None:
    """The member pressing, if they may still change this event (checked on every press); a
    cancelled one is shown as it is unless `published_only` is False."""
    member = await active_member(update, context)
    if member is None:
        return None
    event = await _event_or_gone(update, context, member, event_id)
    if event is None:
        return None
    _ = tr_for(context.services, member).gettext
    if not may_manage(context.services, member, event):
        await say(
            update,
            context,
            Screen(_("Sorry, only its organiser or a coordinator can change that event.")),
        )
        return None
    if published_only and event.status is not EventStatus.PUBLISHED:
        await show(update, context, await card_for(context, member, event, None))
        return None
    return member, event


async def on_edit(update: Update, context: AmserContext, press: EditEvent) -> None:
    found = await manager_of(update, context, press.event)
    if found is not None:
        await start_editing(update, context, *found)


async def on_ask_cancel(update: Update, context: AmserContext, press: AskCancelEvent) -> None:
    found = await manager_of(update, context, press.event)
    if found is None:
        return
    member, event = found
    b = Buttons(context.services, member.telegram_id or 0)
    _ = tr_for(context.services, member).gettext
    text = _("Cancel <b>{title}</b>? Everyone who answered will be told.").format(
        title=escape(event.details.title)
    )
    await show(
        update,
        context,
        Screen(
            text,
            keyboard(
                [b(_("Yes, cancel the event"), CancelEvent(event.id))],
                [b(_("« No, keep it"), OpenEvent(event.id, None))],
            ),
        ),
    )


async def on_cancel(update: Update, context: AmserContext, press: CancelEvent) -> None:
    # A second Cancel finds it cancelled already, and says so.
    found = await manager_of(update, context, press.event, published_only=False)
    if found is None:
        return
    member, event = found
    services = context.services
    _ = tr_for(services, member).gettext
    changed = await services.events.cancel(
        event.id, services.clock.now(), then=notices.cancelled(services.config, member.id)
    )
    if changed is None:
        note = _("That event was already cancelled.")
    else:
        told = len([m for m in changed.answered if m != member.id])
        note = (
            tr_for(services, member)
            .ngettext(
                "Cancelled. The {n} person who answered will be told.",
                "Cancelled. The {n} people who answered will be told.",
                told,
            )
            .format(n=told)
        )
        event = changed.event
    await show(update, context, await card_for(context, member, event, None, note))


async def land_on_event(update: Update, context: AmserContext, member: Member, rest: str) -> None:
    """A link `event-<id>`: the event's card, as a new message."""
    services = context.services
    event = await services.events.get(int(rest)) if rest.isdecimal() else None
    if event is None or event.status is not EventStatus.PUBLISHED:
        _ = tr_for(services, member).gettext
        note = _("Sorry, that event is no longer on. Here's what else is coming up:")
        await say(update, context, (await _list(context, member, 0)).after(note))
        return
    await say(update, context, await card_for(context, member, event, None))
