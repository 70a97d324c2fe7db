"""/event's questions, one step each: title, kind, day, time, place, area or online,
description, places, volunteers and their credit; and who may plan events at all."""

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
    parse_time,
    utc_start,
)
from bot.domain.permissions import Action
from bot.runtime.context import AmserContext
from handlers.access import authorised
from handlers.choices import Keyed, areas, categories, choices, known_area, known_category, picked
from handlers.common import Screen, keyboard, pairs
from handlers.credit_common import babel_locale, hours_words, today
from handlers.forms import FormButton, Step, Turn
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
    GIVER = "giver"


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
    organisation: str | None = None  # who gives the volunteers' credit; None: the pot


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


class PickGiver(FormButton, prefix="ev:giver"):
    index: int | None  # the organisation's place in the configured list; None: the pot


Planning = Turn[EventAnswers]


# --- who may ---------------------------------------------------------------------------------


async def organiser(update: Update, context: AmserContext) -> Member | None:
    """An active member who is an ambassador or an admin (checked on every press)."""
    return await authorised(update, context, Action.EVENT)


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


async def _ask_giver(turn: Planning) -> Screen:
    _ = turn.gettext
    rows = [[turn.b(_("🫙 The community pot"), PickGiver(turn.form.id, None))]]
    rows += [
        [turn.b(name, PickGiver(turn.form.id, index))]
        for index, name in enumerate(turn.services.config.organisations)
    ]
    text = _("Who gives the volunteers their time credit: the community pot, or an organisation?")
    return Screen(text, keyboard(*rows))


async def _giver_picked(turn: Planning, press: PickGiver) -> None:
    organisations = turn.services.config.organisations
    if press.index is not None and not 0 <= press.index < len(organisations):
        await turn.ask()  # an old button, or a forged one
        return
    name = organisations[press.index] if press.index is not None else None
    await turn.save(organisation=name)
    await turn.next()


QUESTIONS: tuple[Step[EventAnswers], ...] = (
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
        Field.GIVER.value,
        ask=_ask_giver,
        buttons={PickGiver: _giver_picked},
        when=lambda turn: (
            turn.answers.volunteers is not None and bool(turn.services.config.organisations)
        ),
    ),
)
