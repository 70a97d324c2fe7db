"""Community events: /event for ambassadors and admins, /events for members, and event links."""

from __future__ import annotations

from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.domain.permissions import Action
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication
from handlers import forms
from handlers.buttons import add_presses
from handlers.events import announce, answers, attendance, notices, volunteers
from handlers.events.buttons import (
    AddToCalendar,
    AskCancelEvent,
    CancelEvent,
    CreditVolunteers,
    EditEvent,
    ListEvents,
    MarkCame,
    MarkVolunteered,
    OpenEvent,
    Reply,
    Volunteer,
    WhoCame,
)
from handlers.events.card import LINK_PREFIX
from handlers.events.form import EVENT, start_planning
from handlers.landing import register_landing

COMMANDS = (
    Command("events", N_("Events coming up")),
    Command("event", N_("Create a community event"), Action.EVENT),
)


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("events", answers.events_command, filters.ChatType.PRIVATE))
    app.add_handler(CommandHandler("event", start_planning, filters.ChatType.PRIVATE))
    add_presses(
        app,
        {
            ListEvents: answers.on_list,
            OpenEvent: answers.on_open,
            Reply: answers.on_reply,
            Volunteer: answers.on_volunteer,
            AddToCalendar: answers.on_calendar,
            EditEvent: answers.on_edit,
            AskCancelEvent: answers.on_ask_cancel,
            CancelEvent: answers.on_cancel,
            WhoCame: attendance.on_who_came,
            MarkCame: attendance.on_mark_came,
            MarkVolunteered: attendance.on_mark_volunteered,
            CreditVolunteers: volunteers.on_credit,
        },
    )
    forms.register(app, EVENT)
    notices.register(app)
    announce.register(app)
    volunteers.register(app)
    register_landing(app, LINK_PREFIX.rstrip("-"), answers.land_on_event)
