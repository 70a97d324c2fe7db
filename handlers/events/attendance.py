"""After an event, its organiser (or an admin) marks who came and who volunteered: a page of
everyone who answered, each with two buttons that say what a tap makes true, so a repeated tap
changes nothing. The list is edited in place; every press is checked again."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, Update

from bot.domain.events import Answer, has_started
from bot.runtime.context import AmserContext
from handlers.buttons import Buttons
from handlers.common import Screen, keyboard, show, tr_for
from handlers.credit_common import button_name, name_of
from handlers.events.answers import card_for, manager_of
from handlers.events.buttons import MarkCame, MarkVolunteered, OpenEvent, WhoCame
from storage.events import Event
from storage.members import Member

PAGE_SIZE = 8


async def attendance_screen(
    context: AmserContext, member: Member, event: Event, page: int
) -> Screen:
    """A page of the list: who answered, whether they came and whether they volunteered."""
    services = context.services
    tr = tr_for(services, member)
    _ = tr.gettext
    b = Buttons(services, member.telegram_id or 0)
    page = max(page, 0)
    found = await services.attendance.page(event.id, page * PAGE_SIZE, PAGE_SIZE)
    back = [b(_("« Back to the event"), OpenEvent(event.id, None))]
    moves: list[InlineKeyboardButton] = []
    if page > 0:
        moves.append(b(_("« Previous"), WhoCame(event.id, page - 1)))
    if found.has_more:
        moves.append(b(_("Next »"), WhoCame(event.id, page + 1)))
    heading = _("<b>Who came: {title}</b>").format(title=escape(event.details.title))
    if not found.attendees:
        text = _("Nobody answered Going or Maybe, or offered to volunteer.")
        return Screen(f"{heading}\n\n{text}", keyboard(moves, back))
    lines = [
        heading,
        _(
            "Tap a name to mark that they came (✅) or not (➖), and the 🙋 button beside it "
            "to mark that they volunteered."
        ),
        "",
    ]
    answers = {Answer.GOING: _("going"), Answer.MAYBE: _("maybe"), Answer.NO: _("can't go")}
    rows = []
    for attendee in found.attendees:
        other = await services.members.get(attendee.member_id)
        notes = [answers[attendee.answer]]
        if attendee.wants_to_volunteer:
            notes.append(_("offered to volunteer"))
        if attendee.credited:
            notes.append(_("credited"))
        came = "✅" if attendee.attended else "➖"
        helped = "✅" if attendee.volunteered else "➖"
        lines.append(f"{came} {name_of(other, tr)} ({', '.join(notes)})")
        name = button_name(other, tr)
        rows.append(
            [
                b(
                    f"{came} {name}",
                    MarkCame(event.id, attendee.member_id, not attendee.attended, page),
                ),
                b(
                    f"{helped} 🙋 {name}",
                    MarkVolunteered(event.id, attendee.member_id, not attendee.volunteered, page),
                ),
            ]
        )
    return Screen("\n".join(lines), keyboard(*rows, moves, back))


async def _started(
    update: Update, context: AmserContext, event_id: int
) -> tuple[Member, Event] | None:
    """The organiser pressing, once the event has started (before: the card, with a note)."""
    found = await manager_of(update, context, event_id)
    if found is None:
        return None
    member, event = found
    if not has_started(event.starts_at, context.services.clock.now()):
        _ = tr_for(context.services, member).gettext
        note = _("You can mark who came once the event has started.")
        await show(update, context, await card_for(context, member, event, None, note))
        return None
    return found


async def on_who_came(update: Update, context: AmserContext, press: WhoCame) -> None:
    found = await _started(update, context, press.event)
    if found is not None:
        await show(update, context, await attendance_screen(context, *found, press.page))


async def on_mark_came(update: Update, context: AmserContext, press: MarkCame) -> None:
    found = await _started(update, context, press.event)
    if found is None:
        return
    member, event = found
    services = context.services
    await services.attendance.mark(
        event.id, press.member, services.clock.now(), attended=press.came
    )
    await show(update, context, await attendance_screen(context, member, event, press.page))


async def on_mark_volunteered(
    update: Update, context: AmserContext, press: MarkVolunteered
) -> None:
    found = await _started(update, context, press.event)
    if found is None:
        return
    member, event = found
    services = context.services
    await services.attendance.mark(
        event.id, press.member, services.clock.now(), volunteered=press.volunteered
    )
    await show(update, context, await attendance_screen(context, member, event, press.page))
