"""/event: an ambassador's or admin's guided form for a new event (title, kind, day, time,
place, area or online, description, places, volunteers), a preview, then Publish; the same
form edits a published event (it opens on the preview, every answer filled in)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from enum import StrEnum

from babel.dates import format_date
from telegram import Update

from bot.domain import N_
from bot.domain.days import parse_day
from bot.domain.events import (
    CAPACITY_MAX,
    DESCRIPTION_MAX,
    ONLINE,
    PLACE_MAX,
    TITLE_MAX,
    VOLUNTEERS_MAX,
    EventStatus,
    parse_time,
    utc_start,
)
from bot.domain.roles import Role
from bot.runtime.context import AmserContext
from handlers import forms
from handlers.choices import Keyed, areas, categories, choices, known_area, known_category, picked
from handlers.common import Screen, keyboard, pairs, say, translator, user_id
from handlers.credit_common import babel_locale, hours_words, today
from handlers.details import active_member
from handlers.events import notices
from handlers.events.card import card_text, event_card, may_manage
from handlers.forms import Form, FormButton, Step, Turn, never
from handlers.menu import main_menu
from storage.events import Event, EventDetails
from storage.members import Member

DAYS_OFFERED = 7
DAYS_AHEAD_MAX = 366
TIMES_OFFERED = (10 * 60, 11 * 60, 14 * 60, 18 * 60, 19 * 60, 19 * 60 + 30)
CAPACITIES = (10, 20, 30, 50)
VOLUNTEER_COUNTS = (1, 2, 3, 5)
CREDITS = (60, 90, 120)  # minutes of credit for each hour volunteered
NONE = 0  # "no limit" or "no volunteers"


class Field(StrEnum):
    TITLE = "title"
    KIND = "kind"
    DAY = "day"
    TIME = "time"
    PLACE = "place"
    AREA = "area"
    DESCRIPTION = "description"
    CAPACITY = "capacity"
    VOLUNTEERS = "volunteers"
    CREDIT = "credit"


@dataclass(frozen=True)
class EventAnswers:
    event_id: int | None = None  # set when editing a published event
    title: str | None = None
    kind: str | None = None
    day: str | None = None  # ISO date, in the community's zone
    time: str | None = None  # HH:MM
    place: str | None = None
    area: str | None = None  # an area key or ONLINE
    description: str | None = None
    capacity: int | None = None  # None: no limit
    volunteers: int | None = None  # None: none wanted
    credit: int | None = None  # minutes per volunteer hour


class PickKind(FormButton, prefix="ev:kind"):
    key: str


class PickDay(FormButton, prefix="ev:day"):
    key: date


class PickTime(FormButton, prefix="ev:time"):
    key: int  # minutes after midnight


class PickArea(FormButton, prefix="ev:area"):
    key: str


class PickCapacity(FormButton, prefix="ev:cap"):
    key: int  # NONE: no limit


class PickVolunteers(FormButton, prefix="ev:vols"):
    key: int  # NONE: none wanted


class PickCredit(FormButton, prefix="ev:credit"):
    key: int


class Publish(FormButton, prefix="ev:publish"):
    pass


class ChangeSomething(FormButton, prefix="ev:change"):
    pass


class ChangeField(FormButton, prefix="ev:field"):
    field: Field


class ShowPreview(FormButton, prefix="ev:show"):
    pass


Planning = Turn[EventAnswers]


# --- who may ---------------------------------------------------------------------------------


async def organiser(update: Update, context: AmserContext) -> Member | None:
    """An active member who is an ambassador or an admin (checked on every press)."""
    member = await active_member(update, context)
    if member is None:
        return None
    if context.services.role_of(user_id(update)) < Role.AMBASSADOR:
        _ = translator(update, context, member).gettext
        text = _("Only ambassadors and coordinators can create events. See what's on with /events.")
        await say(update, context, Screen(text))
        return None
    return member


# --- the questions -----------------------------------------------------------------------------


def _typed(field: Field, limit: int, ask_text: str, *, one_line: bool = True) -> Step[EventAnswers]:
    async def ask(turn: Planning) -> Screen:
        text = turn.gettext(ask_text)
        return Screen(text + "\n" + turn.gettext("(Up to {limit} characters.)").format(limit=limit))

    async def typed(turn: Planning, text: str) -> None:
        await turn.save(**{field.value: text})
        await turn.next()

    return Step(field.value, ask=ask, typed=typed, limit=limit, one_line=one_line)


async def _ask_kind(turn: Planning) -> Screen:
    return Screen(
        turn.gettext("What kind of event is it?"),
        keyboard(*pairs(choices(turn, PickKind, categories(turn)))),
    )


async def _ask_day(turn: Planning) -> Screen:
    _ = turn.gettext
    on = today(turn.services)
    days = [on + timedelta(days=ahead) for ahead in range(DAYS_OFFERED)]
    labels = [_("Today"), _("Tomorrow")] + [
        format_date(day, "EEEE d MMM", locale=babel_locale(turn.tr)) for day in days[2:]
    ]
    buttons = [
        turn.b(label, PickDay(turn.form.id, day)) for label, day in zip(labels, days, strict=True)
    ]
    text = _("Which day? Tap one, or type a date (like {example}).").format(
        example=(on + timedelta(days=14)).strftime("%d/%m/%Y")
    )
    return Screen(text, keyboard(*pairs(buttons)))


async def _keep_day(turn: Planning, day: date) -> None:
    _ = turn.gettext
    on = today(turn.services)
    if day < on:
        await turn.ask(note=_("That day has passed. Please choose a day to come."))
    elif day > on + timedelta(days=DAYS_AHEAD_MAX):
        await turn.ask(note=_("That's more than a year ahead. Please choose a nearer day."))
    else:
        await turn.save(day=day.isoformat())
        await turn.next()


async def _day_typed(turn: Planning, text: str) -> None:
    day = parse_day(text, today(turn.services), ahead=True)
    if day is None:
        note = turn.gettext("Sorry, I couldn't read that as a date. Please type it like {example}.")
        await turn.ask(note=note.format(example=today(turn.services).strftime("%d/%m/%Y")))
        return
    await _keep_day(turn, day)


async def _day_picked(turn: Planning, press: PickDay) -> None:
    await _keep_day(turn, press.key)


async def _ask_time(turn: Planning) -> Screen:
    buttons = [
        turn.b(f"{minutes // 60:02d}:{minutes % 60:02d}", PickTime(turn.form.id, minutes))
        for minutes in TIMES_OFFERED
    ]
    text = turn.gettext("What time does it start? Tap one, or type it (like 19:30).")
    return Screen(text, keyboard(*[buttons[i : i + 3] for i in range(0, len(buttons), 3)]))


async def _keep_time(turn: Planning, at: time) -> None:
    services = turn.services
    day = date.fromisoformat(turn.answers.day) if turn.answers.day else None
    if day is not None and utc_start(day, at, services.config.timezone) <= services.clock.now():
        await turn.ask(
            note=turn.gettext("That time has already passed. Please choose a later one.")
        )
        return
    await turn.save(time=at.strftime("%H:%M"))
    await turn.next()


async def _time_typed(turn: Planning, text: str) -> None:
    at = parse_time(text)
    if at is None:
        await turn.ask(
            note=turn.gettext("Sorry, I couldn't read that as a time. Please type it like 19:30.")
        )
        return
    await _keep_time(turn, at)


async def _time_picked(turn: Planning, press: PickTime) -> None:
    if press.key not in TIMES_OFFERED:
        await turn.ask()
        return
    await _keep_time(turn, time(press.key // 60, press.key % 60))


async def _ask_area(turn: Planning) -> Screen:
    _ = turn.gettext
    places = choices(turn, PickArea, areas(turn))
    online = choices(turn, PickArea, [(ONLINE, _("Online"))])
    return Screen(_("Which area is it in?"), keyboard(*pairs(places), online))


def _an_area(turn: Planning, key: str) -> bool:
    return key == ONLINE or known_area(turn, key)


def _number_step(
    field: Field,
    question: str,
    kind: type[FormButton],
    offered: tuple[int, ...],
    none_label: str,
    most: int,
) -> Step[EventAnswers]:
    """An optional number: buttons for the usual ones and for none, or typed."""

    async def ask(turn: Planning) -> Screen:
        buttons = [turn.b(str(n), kind(turn.form.id, n)) for n in offered]  # type: ignore[call-arg]
        none = [turn.b(turn.gettext(none_label), kind(turn.form.id, NONE))]  # type: ignore[call-arg]
        return Screen(turn.gettext(question), keyboard(buttons, none))

    async def keep(turn: Planning, number: int) -> None:
        await turn.save(**{field.value: number or None})
        await turn.next()

    async def typed(turn: Planning, text: str) -> None:
        words = text.strip()
        if not words.isdecimal() or not 0 <= int(words) <= most:
            note = turn.gettext("Please type a number from 0 to {most}, or tap a button.")
            await turn.ask(note=note.format(most=most))
            return
        await keep(turn, int(words))

    async def pressed(turn: Planning, press: Keyed) -> None:
        number = int(press.key)
        if number != NONE and number not in offered:
            await turn.ask()
            return
        await keep(turn, number)

    return Step(field.value, ask=ask, typed=typed, limit=8, buttons={kind: pressed})


async def _ask_credit(turn: Planning) -> Screen:
    buttons = [turn.b(hours_words(turn.tr, m), PickCredit(turn.form.id, m)) for m in CREDITS]
    text = turn.gettext("How much time credit does each volunteer get for each hour they give?")
    return Screen(text, keyboard(buttons))


async def _credit_picked(turn: Planning, press: PickCredit) -> None:
    if press.key not in CREDITS:
        await turn.ask()
        return
    await turn.save(credit=press.key)
    await turn.next()


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
    note = _("Published! Here is your event. Share its link so people can find it.")
    screen = event_card(
        services, member, event, None, bot_username=turn.context.bot.username, note=note
    )
    await turn.finish(screen, outcome=event.id)


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
        _typed(Field.TITLE, TITLE_MAX, N_("What is the event called? For example: “Repair café”.")),
        Step(Field.KIND.value, ask=_ask_kind, buttons={PickKind: picked("kind", known_category)}),
        Step(Field.DAY.value, ask=_ask_day, typed=_day_typed, buttons={PickDay: _day_picked}),
        Step(Field.TIME.value, ask=_ask_time, typed=_time_typed, buttons={PickTime: _time_picked}),
        _typed(
            Field.PLACE,
            PLACE_MAX,
            N_("Where is it? For example: “Canton Library, Library Street”, or a video link."),
        ),
        Step(Field.AREA.value, ask=_ask_area, buttons={PickArea: picked("area", _an_area)}),
        _typed(
            Field.DESCRIPTION,
            DESCRIPTION_MAX,
            N_("Tell people about it: what happens, and who it's for."),
            one_line=False,
        ),
        _number_step(
            Field.CAPACITY,
            N_("How many places are there? Tap a number, type one, or tap No limit."),
            PickCapacity,
            CAPACITIES,
            N_("No limit"),
            CAPACITY_MAX,
        ),
        _number_step(
            Field.VOLUNTEERS,
            N_("How many volunteers would you like? Tap a number, type one, or tap None."),
            PickVolunteers,
            VOLUNTEER_COUNTS,
            N_("None"),
            VOLUNTEERS_MAX,
        ),
        Step(
            Field.CREDIT.value,
            ask=_ask_credit,
            buttons={PickCredit: _credit_picked},
            when=lambda turn: turn.answers.volunteers is not None,
        ),
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
    )
    seen = frozenset(field.value for field in Field)
    await forms.start(update, context, member, EVENT, answers, seen=seen)
