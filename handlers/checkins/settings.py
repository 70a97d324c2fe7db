"""/checkins: a member's check-ins as they are now, and changing them with buttons: how often,
then which day, then what time; pausing for a few weeks, resuming and stopping."""

from __future__ import annotations

from dataclasses import replace

from babel.dates import format_date, get_day_names
from telegram import Update

from bot.domain.checkins import HOURS, PAUSE_WEEKS, Cadence, Schedule, pause_until
from bot.runtime.context import AmserContext, Services
from bot.runtime.i18n import Translator
from handlers.buttons import ButtonData, Buttons
from handlers.common import Screen, keyboard, pairs, say, show, tr_for
from handlers.credit_common import babel_locale, today
from handlers.details import active_member
from handlers.menu import back_to_menu
from storage.members import Member


class ShowCheckins(ButtonData, prefix="ci:show"):
    pass


class PickCadence(ButtonData, prefix="ci:often"):
    cadence: Cadence


class PickDay(ButtonData, prefix="ci:day"):
    cadence: Cadence
    weekday: int


class PickHour(ButtonData, prefix="ci:hour"):
    cadence: Cadence
    weekday: int
    hour: int


class Pause(ButtonData, prefix="ci:pause"):
    weeks: int


class Resume(ButtonData, prefix="ci:resume"):
    pass


def cadence_words(tr: Translator, cadence: Cadence) -> str:
    _ = tr.gettext
    return {
        Cadence.OFF: _("No check-ins"),
        Cadence.WEEKLY: _("Every week"),
        Cadence.FORTNIGHTLY: _("Every two weeks"),
        Cadence.MONTHLY: _("Once a month"),
    }[cadence]


def day_name(tr: Translator, weekday: int) -> str:
    return str(get_day_names("wide", locale=babel_locale(tr))[weekday])


def schedule_words(tr: Translator, schedule: Schedule) -> str:
    """E.g. "Every week: Monday, 10:00"; a monthly one on the first such day of the month."""
    _ = tr.gettext
    if not schedule.on:
        return _("No check-ins")
    day = day_name(tr, schedule.weekday)
    if schedule.cadence is Cadence.MONTHLY:
        # TRANSLATORS: {day} is a weekday's name, e.g. "Monday" / "Dydd Llun".
        day = _("the first {day} of the month").format(day=day)
    return _("{how}: {day}, {hour:02d}:00").format(
        how=cadence_words(tr, schedule.cadence), day=day, hour=schedule.hour
    )


async def current_schedule(services: Services, member: Member) -> Schedule:
    found = await services.checkins.get(member.id)
    return found.schedule if found is not None else Schedule()


def checkins_screen(services: Services, member: Member, schedule: Schedule) -> Screen:
    tr = tr_for(services, member)
    _ = tr.gettext
    b = Buttons(services, member.telegram_id or 0)
    lines = [
        _("<b>Check-ins</b>"),
        _(
            "Now and then I can ask how things are, with five buttons to answer. If you'd like, "
            "someone from the community can then get in touch. Your answers are kept apart "
            "from your name, and nobody else sees them."
        ),
        "",
        _("Now: {schedule}").format(schedule=schedule_words(tr, schedule)),
    ]
    if schedule.on and schedule.paused_on(today(services)) and schedule.paused_until:
        lines.append(
            _("Paused until {day}.").format(
                day=format_date(schedule.paused_until, "EEEE d MMMM", locale=babel_locale(tr))
            )
        )
    often = [
        b(cadence_words(tr, cadence), PickCadence(cadence))
        for cadence in (Cadence.WEEKLY, Cadence.FORTNIGHTLY, Cadence.MONTHLY)
    ]
    rows = [*pairs(often)]
    if schedule.on:
        if schedule.paused_on(today(services)):
            rows.append([b(_("▶️ Start again now"), Resume())])
        else:
            rows.append(
                [
                    b(tr.ngettext("Pause {n} week", "Pause {n} weeks", n).format(n=n), Pause(n))
                    for n in PAUSE_WEEKS
                ]
            )
        rows.append([b(_("Stop check-ins"), PickCadence(Cadence.OFF))])
    return Screen("\n".join(lines), keyboard(*rows, back_to_menu(services, member)))


def day_screen(services: Services, member: Member, cadence: Cadence) -> Screen:
    tr = tr_for(services, member)
    _ = tr.gettext
    b = Buttons(services, member.telegram_id or 0)
    if cadence is Cadence.MONTHLY:
        question = _("Which day? It will be the first one of each month.")
    else:
        question = _("Which day of the week?")
    days = [b(day_name(tr, weekday), PickDay(cadence, weekday)) for weekday in range(7)]
    return Screen(question, keyboard(*pairs(days), [b(_("« Back"), ShowCheckins())]))


def hour_screen(services: Services, member: Member, cadence: Cadence, weekday: int) -> Screen:
    tr = tr_for(services, member)
    _ = tr.gettext
    b = Buttons(services, member.telegram_id or 0)
    hours = [b(f"{hour:02d}:00", PickHour(cadence, weekday, hour)) for hour in HOURS]
    rows = [hours[index : index + 4] for index in range(0, len(hours), 4)]
    return Screen(
        _("And what time? (Check-ins come within that hour.)"),
        keyboard(*rows, [b(_("« Back"), PickCadence(cadence))]),
    )


async def save(services: Services, member: Member, schedule: Schedule) -> Schedule:
    now = services.clock.now()
    await services.checkins.choose(member.id, schedule, now, services.config.timezone)
    return schedule


# --- commands and buttons ----------------------------------------------------------------------


async def checkins_command(update: Update, context: AmserContext) -> None:
    member = await active_member(update, context)
    if member is not None:
        schedule = await current_schedule(context.services, member)
        await say(update, context, checkins_screen(context.services, member, schedule))


async def on_show(update: Update, context: AmserContext, press: ShowCheckins) -> None:
    member = await active_member(update, context)
    if member is not None:
        schedule = await current_schedule(context.services, member)
        await show(update, context, checkins_screen(context.services, member, schedule))


async def on_cadence(update: Update, context: AmserContext, press: PickCadence) -> None:
    member = await active_member(update, context)
    if member is None:
        return
    services = context.services
    if press.cadence is Cadence.OFF:
        schedule = replace(await current_schedule(services, member), cadence=Cadence.OFF)
        await save(services, member, replace(schedule, paused_until=None))
        note = tr_for(services, member).gettext(
            "Check-ins are stopped. You can start them again here at any time."
        )
        screen = checkins_screen(services, member, await current_schedule(services, member))
        await show(update, context, screen.after(note))
        return
    await show(update, context, day_screen(services, member, press.cadence))


async def on_day(update: Update, context: AmserContext, press: PickDay) -> None:
    member = await active_member(update, context)
    if member is not None and 0 <= press.weekday <= 6 and press.cadence is not Cadence.OFF:
        await show(
            update, context, hour_screen(context.services, member, press.cadence, press.weekday)
        )


async def on_hour(update: Update, context: AmserContext, press: PickHour) -> None:
    member = await active_member(update, context)
    if member is None:
        return
    services = context.services
    try:
        schedule = Schedule(press.cadence, press.weekday, press.hour)
    except ValueError:
        schedule = None
    if schedule is None or not schedule.on:
        await show(
            update,
            context,
            checkins_screen(services, member, await current_schedule(services, member)),
        )
        return
    await save(services, member, schedule)
    note = tr_for(services, member).gettext("Done: your check-ins are set.")
    await show(update, context, checkins_screen(services, member, schedule).after(note))


async def on_pause(update: Update, context: AmserContext, press: Pause) -> None:
    member = await active_member(update, context)
    if member is None:
        return
    services = context.services
    schedule = await current_schedule(services, member)
    if schedule.on and press.weeks in PAUSE_WEEKS:
        schedule = await save(
            services,
            member,
            replace(schedule, paused_until=pause_until(today(services), press.weeks)),
        )
    await show(update, context, checkins_screen(services, member, schedule))


async def on_resume(update: Update, context: AmserContext, press: Resume) -> None:
    member = await active_member(update, context)
    if member is None:
        return
    services = context.services
    schedule = await current_schedule(services, member)
    if schedule.paused_until is not None:
        schedule = await save(services, member, replace(schedule, paused_until=None))
    await show(update, context, checkins_screen(services, member, schedule))


PRESSES = {
    ShowCheckins: on_show,
    PickCadence: on_cadence,
    PickDay: on_day,
    PickHour: on_hour,
    Pause: on_pause,
    Resume: on_resume,
}
