"""/event: an ambassador's or admin's guided form for a new event (title, kind, day, time,
place, area or online, description, places, volunteers), a preview, then Publish; the same
form edits a published event (it opens on the preview, every answer filled in)."""

from __future__ import annotations

from datetime import date, time

from telegram import Update

from bot.domain.events import (
    EventStatus,
    utc_start,
)
from bot.runtime.context import AmserContext
from handlers import forms
from handlers.common import Screen, keyboard, pairs, say
from handlers.events import notices
from handlers.events.audiences import published_screen
from handlers.events.card import card_text, event_card, may_manage
from handlers.events.questions import (
    QUESTIONS,
    EventAnswers,
    Field,
    Planning,
    organiser,
)
from handlers.forms import Form, FormButton, Step, never
from handlers.menu import main_menu
from storage.events import Event, EventDetails
from storage.members import Member


class Publish(FormButton, prefix="ev:publish"):
    pass


class ChangeSomething(FormButton, prefix="ev:change"):
    pass


class ChangeField(FormButton, prefix="ev:field"):
    field: Field


class ShowPreview(FormButton, prefix="ev:show"):
    pass


# --- the preview -------------------------------------------------------------------------------


def details_of(answers: EventAnswers) -> EventDetails | None:
    """The event the answers describe; None while a question is unanswered."""
    needed = (answers.title, answers.kind, answers.day, answers.time, answers.place, answers.area)
    if any(value is None for value in needed) or answers.description is None:
        return None
    return EventDetails(
        title=answers.title or "",
        local_day=date.fromisoformat(answers.day or ""),
        local_time=time.fromisoformat(answers.time or ""),
        place=answers.place or "",
        area=answers.area or "",
        kind=answers.kind or "",
        description=answers.description,
        capacity=answers.capacity,
        volunteers_wanted=answers.volunteers,
        credit_minutes=(answers.credit or 60) if answers.volunteers else None,
        organisation=answers.organisation if answers.volunteers else None,
    )


def _preview_event(turn: Planning, details: EventDetails) -> Event:
    now = turn.services.clock.now()
    zone = turn.services.config.timezone
    return Event(
        id=turn.answers.event_id or 0,
        details=details,
        zone=zone.key,
        starts_at=utc_start(details.local_day, details.local_time, zone),
        created_by=turn.member.id,
        status=EventStatus.PUBLISHED,
        created_at=now,
        updated_at=now,
        with_a_place=0,
        waiting=0,
        maybe=0,
        volunteering=0,
    )


async def _ask_preview(turn: Planning) -> Screen:
    _ = turn.gettext
    details = details_of(turn.answers)
    if details is None:  # not reached: the preview comes after every question
        return Screen(_("Some answers are missing."))
    text = "\n\n".join(
        [
            _("<b>Here's how it will look:</b>"),
            card_text(turn.services, turn.tr, _preview_event(turn, details)),
        ]
    )
    publish = _("✅ Save changes") if turn.answers.event_id else _("✅ Publish")
    return Screen(
        text,
        keyboard(
            [turn.b(publish, Publish(turn.form.id))],
            [turn.b(_("✏️ Change something"), ChangeSomething(turn.form.id))],
        ),
    )


async def _change_something(turn: Planning, press: ChangeSomething) -> None:
    _ = turn.gettext
    labels = {
        Field.TITLE: _("Title"),
        Field.KIND: _("Kind of event"),
        Field.DAY: _("Day"),
        Field.TIME: _("Time"),
        Field.PLACE: _("Place"),
        Field.AREA: _("Area"),
        Field.DESCRIPTION: _("Description"),
        Field.CAPACITY: _("Places"),
        Field.VOLUNTEERS: _("Volunteers"),
    }
    options = [turn.b(label, ChangeField(turn.form.id, field)) for field, label in labels.items()]
    back = [turn.b(_("« Back"), ShowPreview(turn.form.id))]
    await turn.show(Screen(_("What would you like to change?"), keyboard(*pairs(options), back)))


async def _change_field(turn: Planning, press: ChangeField) -> None:
    await turn.go(press.field.value)


async def _show_preview(turn: Planning, press: ShowPreview) -> None:
    await turn.ask()


async def _publish(turn: Planning, press: Publish) -> None:
    details = details_of(turn.answers)
    if details is None:
        await turn.next()
        return
    services, member = turn.services, turn.member
    now, zone = services.clock.now(), services.config.timezone
    _ = turn.gettext
    if utc_start(details.local_day, details.local_time, zone) <= now:
        # The preview waited while its time came and went.
        note = _("That time has already passed. Please choose a later one.")
        await turn.go(Field.TIME.value, note=note)
        return
    if turn.answers.event_id is not None:
        await _save(turn, turn.answers.event_id, details)
        return
    event = await services.events.publish(
        member.id,
        details,
        zone,
        now,
        form_id=turn.form.id,
        then=notices.published(services.config, now),
    )
    if await turn.finish(published_screen(services, member, event), outcome=event.id):
        note = _("Published! Here is your event. Share its link so people can find it.")
        card = event_card(
            services, member, event, None, bot_username=turn.context.bot.username, note=note
        )
        await say(turn.update, turn.context, card)


async def _save(turn: Planning, event_id: int, details: EventDetails) -> None:
    services, member = turn.services, turn.member
    now = services.clock.now()
    event = await services.events.get(event_id)
    if event is None or not may_manage(services, member, event):
        await turn.close(
            main_menu(services, member).after(turn.gettext("Sorry, you can't change that event."))
        )
        return
    changed = await services.events.edit(
        event_id,
        details,
        services.config.timezone,
        now,
        form_id=turn.form.id,
        then=notices.edited(services.config, member.id, now),
    )
    event = await services.events.get(event_id)
    if event is None:
        return
    if changed is None:
        note = turn.gettext("That event can't be changed now. Here it is:")
    else:
        note = turn.tr.ngettext(
            "Saved. The {n} person who answered will be told.",
            "Saved. The {n} people who answered will be told.",
            len([m for m in changed.answered if m != member.id]),
        ).format(n=len([m for m in changed.answered if m != member.id]))
    mine = await services.events.mine(event_id, member.id)
    screen = event_card(
        services, member, event, mine, bot_username=turn.context.bot.username, note=note
    )
    await turn.finish(screen, outcome=event_id)


async def _done_already(turn: Planning) -> None:
    """Publish (or Save) pressed again: shown the event as it is now."""
    services = turn.services
    event = await services.events.get(turn.form.outcome or 0)
    if event is None:
        await turn.show(main_menu(services, turn.member))
        return
    mine = await services.events.mine(event.id, turn.member.id)
    note = turn.gettext("That's done already. Here's how it looks now:")
    screen = event_card(
        services, turn.member, event, mine, bot_username=turn.context.bot.username, note=note
    )
    await turn.show(screen)


async def _cancelled(turn: Planning) -> None:
    note = (
        turn.gettext("Cancelled: nothing was changed.")
        if turn.answers.event_id
        else turn.gettext("Cancelled: nothing was published.")
    )
    await turn.close(main_menu(turn.services, turn.member).after(note))


EVENT: Form[EventAnswers] = Form(
    name="event",
    command="event",
    answers=EventAnswers,
    who=organiser,
    steps=(
        *QUESTIONS,
        Step(
            "preview",
            ask=_ask_preview,
            buttons={
                Publish: _publish,
                ChangeSomething: _change_something,
                ChangeField: _change_field,
                ShowPreview: _show_preview,
            },
            done=never,
        ),
    ),
    cancel=_cancelled,
    finished=_done_already,
)


async def start_planning(update: Update, context: AmserContext) -> None:
    member = await organiser(update, context)
    if member is not None:
        await forms.start(update, context, member, EVENT)


async def start_editing(
    update: Update, context: AmserContext, member: Member, event: Event
) -> None:
    """Edit a published event: the form opens on its preview, every answer filled in."""
    d = event.details
    answers = EventAnswers(
        event_id=event.id,
        title=d.title,
        kind=d.kind,
        day=d.local_day.isoformat(),
        time=d.local_time.strftime("%H:%M"),
        place=d.place,
        area=d.area,
        description=d.description,
        capacity=d.capacity,
        volunteers=d.volunteers_wanted,
        credit=d.credit_minutes,
        organisation=d.organisation,
    )
    seen = frozenset(field.value for field in Field)
    await forms.start(update, context, member, EVENT, answers, seen=seen)
