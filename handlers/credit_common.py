"""Pieces every time-credit screen shares: hours in words, the quarter-hour and day pickers,
reading a typed time or date kindly, names (or "a former member"), and who the coordinators are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from typing import Any

from babel.dates import format_date
from telegram import InlineKeyboardButton

from bot.domain import N_
from bot.domain.days import parse_day
from bot.domain.durations import parse_minutes
from bot.domain.ledger import (
    DayProblem,
    MinutesProblem,
    day_problem,
    hours_figure,
    local_today,
    minutes_problem,
    quarter_hour_choices,
)
from bot.domain.membership import Status
from bot.runtime.context import Services
from bot.runtime.i18n import Translator
from handlers.common import Row, pairs
from handlers.forms import FormButton, Turn
from handlers.notices import Recipient
from storage.ledger import Transfer
from storage.members import Member
from storage.outbox import OutboxItem
from storage.staff import StaffRole

AMOUNTS_PER_PAGE = 16
AMOUNTS_PER_ROW = 4
DAYS_OFFERED = 7  # today and the six days before, as buttons
NOTE_MAX = 200
REASON_MAX = 300


# --- figures ----------------------------------------------------------------------------------


def hours_words(tr: Translator, minutes: int) -> str:
    """ "1½ hours", "¾ hour", "−2 hours"; in Welsh "1½ awr"."""
    count = 1 if 0 < abs(minutes) <= 60 else 2
    return tr.ngettext("{hours} hour", "{hours} hours", count).format(hours=hours_figure(minutes))


def balance_line(tr: Translator, minutes: int) -> str:
    return tr.gettext("Your balance: <b>{hours}</b>").format(hours=hours_words(tr, minutes))


# --- days -------------------------------------------------------------------------------------


def today(services: Services) -> date:
    return local_today(services.clock.now(), services.config.timezone)


def day_words(tr: Translator, day: date, on: date) -> str:
    """ "today", "yesterday", or "Tuesday 24 November" (with the year if it is not this one)."""
    if day == on:
        return tr.gettext("today")
    if day == on - timedelta(days=1):
        return tr.gettext("yesterday")
    pattern = "EEEE d MMMM" if day.year == on.year else "EEEE d MMMM y"
    return format_date(day, pattern, locale=babel_locale(tr))


def babel_locale(tr: Translator) -> str:
    """The locale Babel formats dates in for this translator's language."""
    return "cy" if tr.language == "cy" else "en_GB"


def typed_day(
    tr: Translator, text: str, on: date, *, long_ago: bool = False
) -> tuple[date, None] | tuple[None, str]:
    """The date a member typed, or a kind note saying what to type instead; with `long_ago`
    (coordinators recording), any past day will do."""
    _ = tr.gettext
    day = parse_day(text, on)
    if day is None:
        return None, _(
            "Sorry, I couldn't read that as a date. Please type it like {example}."
        ).format(example=on.strftime("%d/%m/%Y"))
    problem = day_problem(day, on)
    if problem is DayProblem.FUTURE:
        return None, _("That day hasn't come yet. Please log time once the help has happened.")
    if problem is DayProblem.TOO_LONG_AGO and not long_ago:
        return None, _(
            "That's more than a year ago. Please ask a coordinator to record it for you."
        )
    return day, None


# --- amounts ----------------------------------------------------------------------------------


def amount_picker(turn: Turn[Any], most: int, pick: Callable[[int], FormButton]) -> list[Row]:
    """Quarter-hour buttons up to `most` for a form's step, paged (¼ … 4 on the first page)."""
    _ = turn.gettext
    choices = quarter_hour_choices(most)
    pages = max(1, -(-len(choices) // AMOUNTS_PER_PAGE))
    page = min(max(turn.page, 0), pages - 1)
    shown = choices[page * AMOUNTS_PER_PAGE : (page + 1) * AMOUNTS_PER_PAGE]
    buttons = [turn.b(hours_figure(minutes), pick(minutes)) for minutes in shown]
    step = AMOUNTS_PER_ROW
    rows: list[Row] = [buttons[index : index + step] for index in range(0, len(buttons), step)]
    paging: list[InlineKeyboardButton] = []
    if page > 0:
        paging.append(turn.page_button(_("« Shorter"), page - 1))
    if page < pages - 1:
        paging.append(turn.page_button(_("Longer »"), page + 1))
    rows.append(paging)
    return rows


def day_picker(turn: Turn[Any], on: date, pick: Callable[[date], FormButton]) -> list[Row]:
    """Today, yesterday and the five days before as buttons; other days are typed."""
    _ = turn.gettext
    days = [on - timedelta(days=back) for back in range(DAYS_OFFERED)]
    labels = [_("Today"), _("Yesterday")] + [
        format_date(day, "EEEE d MMM", locale=babel_locale(turn.tr)) for day in days[2:]
    ]
    return pairs([turn.b(label, pick(day)) for label, day in zip(labels, days, strict=True)])


def typed_minutes(
    tr: Translator, text: str, most: int | None
) -> tuple[int, None] | tuple[None, str]:
    """The time a member typed ("1½", "90 min", "awr a hanner"), or a kind note on what to type.

    `most` is the maximum for one exchange; None when the caller checks its own limit (a
    donation can be no more than the balance)."""
    _ = tr.gettext
    stripped = text.strip()
    negative = stripped[:1] in ("-", "−")
    minutes = parse_minutes(stripped[1:] if negative else stripped)
    if minutes is None:
        return None, _(
            "Sorry, I couldn't read that as a length of time. Please tap a button, "
            "or type something like 1½ or 90 min."
        )
    if negative:
        problem: MinutesProblem | None = MinutesProblem.NOT_POSITIVE
    else:
        problem = minutes_problem(minutes, minutes if most is None else most)
    if problem is MinutesProblem.NOT_POSITIVE:
        return None, _("The time needs to be more than nothing: a quarter of an hour at least.")
    if problem is MinutesProblem.NOT_A_STEP:
        return None, _("Please round it to the nearest quarter of an hour (15 minutes).")
    if problem is MinutesProblem.TOO_MANY and most is not None:
        return None, _(
            "The most one exchange can record is {hours}. For more, please log each day "
            "separately, or ask a coordinator."
        ).format(hours=hours_words(tr, most))
    return minutes, None


# --- exchanges ------------------------------------------------------------------------------


def what_happened(
    services: Services, tr: Translator, transfer: Transfer, viewer_id: int, other: Member | None
) -> str:
    """An exchange from one member's side: "You helped Tom for 2 hours, yesterday." """
    gave = N_("You helped {name} for {hours}, {day}.")
    return exchange_told(
        services, tr, transfer, viewer_id, other, gave, N_("{name} helped you for {hours}, {day}.")
    )


def exchange_told(
    services: Services,
    tr: Translator,
    transfer: Transfer,
    viewer_id: int,
    other: Member | None,
    gave: str,
    received: str,
) -> str:
    """An exchange told to one member, in the N_ sentence for whether they `gave` the time or
    `received` it (with {name}, {hours} and {day}), then what it was for."""
    line = tr.gettext(gave if transfer.to_member_id == viewer_id else received)
    values = exchange_values(services, tr, transfer, other)
    return "\n".join([line.format(**values), *note_lines(tr, transfer)])


def what_became_of_it(
    services: Services,
    tr: Translator,
    transfer: Transfer,
    viewer_id: int,
    other: Member | None,
    then: str,
) -> str:
    """An exchange from one member's side, then (after a blank line) what has become of it."""
    return "\n".join([what_happened(services, tr, transfer, viewer_id, other), "", then])


def exchange_values(
    services: Services, tr: Translator, transfer: Transfer, other: Member | None
) -> dict[str, str]:
    """The other person, the hours and the day, ready for a sentence about an exchange."""
    return {
        "name": name_of(other, tr),
        "hours": hours_words(tr, transfer.amount),
        "day": day_words(tr, transfer.happened_on, today(services)),
    }


def note_lines(tr: Translator, transfer: Transfer) -> list[str]:
    if not transfer.note:
        return []
    return [tr.gettext("What for: {note}").format(note=escape(transfer.note))]


# --- people -----------------------------------------------------------------------------------


def button_name(member: Member | None, tr: Translator) -> str:
    """A member's name as typed, for button labels; "a former member" once they are erased."""
    if member is None or member.status is Status.ERASED or not member.display_name:
        return tr.gettext("a former member")
    return member.display_name


def name_of(member: Member | None, tr: Translator) -> str:
    """A member's name ready for HTML; "a former member" once they have been erased."""
    return escape(button_name(member, tr))


@dataclass(frozen=True)
class Found:
    """Members whose name has the typed words: never the one searching."""

    members: list[Member]  # at most the number asked for
    more: bool  # others matched too: type more of the name
    only_me: bool  # nobody else matched, but the one searching did ("That's you!")


async def find_members(
    services: Services,
    searcher: Member,
    words: str,
    *,
    shown: int,
    statuses: tuple[Status, ...] = (Status.ACTIVE,),
    besides: Sequence[int] = (),
) -> Found:
    """The one way a name search leaves out the member searching (and anyone `besides`)."""
    left_out = {searcher.id, *besides}
    found = await services.members.find_by_name(
        words, limit=shown + 1 + len(left_out), statuses=statuses
    )
    others = [member for member in found if member.id not in left_out]
    return Found(
        members=others[:shown],
        more=len(others) > shown,
        only_me=not others and any(member.id == searcher.id for member in found),
    )


async def credit_coordinators(services: Services) -> list[int]:
    """Telegram ids of everyone who deals with the credits queue, admins first (joined or not);
    read before the write that tells them."""
    ids = await services.staff.telegram_ids(StaffRole.ADMIN)
    if services.config.ambassadors_may_grant:
        ids += await services.staff.telegram_ids(StaffRole.AMBASSADOR)
    return ids


async def notice_transfer(
    services: Services, recipient: Recipient, item: OutboxItem
) -> tuple[Transfer, Member] | None:
    """The transfer a notice is about and the member it is for; None if either is gone."""
    transfer = await services.ledger.get(item.about or 0)
    if transfer is None or recipient.member is None:
        return None
    return transfer, recipient.member
