"""Acting on a report about a member: "⚠️ Warn" or "⏸ Suspend" on its card asks the reason the
member will read (the report's own, at a tap), for a suspension how long, and shows a last look;
then the warning or suspension, the report closed, their audit rows and every notice (the member
with Appeal, the others in their introductions, the reporter told it was handled) are one write,
done once however often Confirm is pressed. The same code as /warn and /suspend does the acting."""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any, TypeVar

from telegram import Update

from bot.domain import N_
from bot.domain.membership import Status
from bot.domain.moderation import length_of, until
from bot.domain.targets import REASON_MAX
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers import forms
from handlers.buttons import add_presses
from handlers.common import Screen, keyboard, show, tr_for
from handlers.credit_common import name_of
from handlers.forms import Form, FormButton, Step, Turn, never
from handlers.listings.removal import reason_words
from handlers.moderation.sanctions import may_suspend, sanctioning_in, suspended_words
from handlers.moderation.shared import moment_words, refusal
from handlers.moderation.warnings import cannot_warn, may_warn, warned_words, warning_in
from handlers.notices import after_quiet_hours
from handlers.support.buttons import Moderate
from handlers.support.reports import report_audit, report_card
from storage.members import Member
from storage.moderation import SanctionKind, SanctionRequest
from storage.reports import Outcome, ReportReason
from storage.support import Changed, SupportRequest

R = TypeVar("R")
LENGTH_WORDS_MAX = 40
DAY = 24 * 60
LENGTHS: tuple[tuple[int, str], ...] = (
    (DAY, N_("1 day")),
    (7 * DAY, N_("1 week")),
    (0, N_("Until lifted")),
)


class UseReportReason(FormButton, prefix="rm:why"):
    """The reason the reporter chose, as the member will read it."""


class PickLength(FormButton, prefix="rm:len"):
    minutes: int  # 0: until lifted


class Confirm(FormButton, prefix="rm:ok"):
    pass


@dataclass(frozen=True)
class ReportActionAnswers:
    report: int = 0
    reason: str = ""
    minutes: int = 0  # a suspension's length; 0: until lifted


def _suspending(turn: Turn[ReportActionAnswers]) -> bool:
    return turn.spec.name == SUSPEND.name


async def _report_and_member(
    services: Services, report_id: int
) -> tuple[SupportRequest | None, Member | None]:
    """The report, and the member it is about if they are still a member."""
    report = await services.support.get(report_id)
    if report is None or not report.is_report:
        return None, None
    member = await services.members.get(report.subject_member or 0)
    if member is None or member.status is Status.ERASED:
        return report, None
    return report, member


def _reason_words(tr: Translator, report: SupportRequest) -> str:
    """The reason the reporter chose, in the words of `tr`."""
    return reason_words(tr, report.category or ReportReason.OTHER, None) or ""


def _title(turn: Turn[ReportActionAnswers], member: Member | None) -> str:
    _ = turn.gettext
    name = name_of(member, turn.tr)
    if _suspending(turn):
        title = _("<b>⏸ Suspend {name}</b> (report {number})")
    else:
        title = _("<b>⚠️ Warn {name}</b> (report {number})")
    return title.format(name=name, number=turn.answers.report)


# --- the steps ----------------------------------------------------------------------------------


async def _ask_reason(turn: Turn[ReportActionAnswers]) -> Screen:
    _ = turn.gettext
    report, member = await _report_and_member(turn.services, turn.answers.report)
    text = "\n".join(
        [
            _title(turn, member),
            _(
                "What reason will {name} read? Type it below (up to {limit} characters), or use "
                "the report's."
            ).format(name=name_of(member, turn.tr), limit=REASON_MAX),
        ]
    )
    if report is None:
        return Screen(text)
    label = _("Use “{reason}”").format(reason=_reason_words(turn.tr, report))
    return Screen(text, keyboard([turn.b(label, UseReportReason(turn.form.id))]))


async def _reason_typed(turn: Turn[ReportActionAnswers], text: str) -> None:
    await turn.save(reason=text)
    await turn.next()


async def _report_reason(turn: Turn[ReportActionAnswers], press: UseReportReason) -> None:
    report, member = await _report_and_member(turn.services, turn.answers.report)
    if report is None or report.state == "closed" or member is None:
        await _gone(turn, report)
        return
    # The member reads it, so it is kept in their words.
    words = _reason_words(tr_for(turn.services, member), report)
    await turn.save(reason=words)
    await turn.next()


async def _ask_length(turn: Turn[ReportActionAnswers]) -> Screen:
    _ = turn.gettext
    _report, member = await _report_and_member(turn.services, turn.answers.report)
    text = "\n".join(
        [
            _title(turn, member),
            _("For how long? Tap one, or type a length (for example 3d, 12h or 2 weeks)."),
        ]
    )
    row = [turn.b(_(label), PickLength(turn.form.id, minutes)) for minutes, label in LENGTHS]
    return Screen(text, keyboard(row))


async def _length_typed(turn: Turn[ReportActionAnswers], text: str) -> None:
    minutes = length_of(text)
    if minutes is None:
        note = turn.gettext(
            "I couldn't read “{words}” as a length of time. Try, for example, 3d, 1w, 12h or "
            "2 weeks."
        ).format(words=escape(text))
        await turn.ask(note=note, new=True)
        return
    await turn.save(minutes=minutes)
    await turn.next()


async def _length_picked(turn: Turn[ReportActionAnswers], press: PickLength) -> None:
    if press.minutes not in (minutes for minutes, _label in LENGTHS):
        await turn.ask()
        return
    await turn.save(minutes=press.minutes)
    await turn.next()


async def _ask_check(turn: Turn[ReportActionAnswers]) -> Screen:
    _ = turn.gettext
    _report, member = await _report_and_member(turn.services, turn.answers.report)
    name = name_of(member, turn.tr)
    lines = [
        _title(turn, member),
        _("The reason {name} will read: {reason}").format(
            name=name, reason=escape(turn.answers.reason)
        ),
    ]
    if _suspending(turn):
        ends = until(turn.services.clock.now(), turn.answers.minutes or None)
        if ends is None:
            lines.append(_("Paused until you lift it."))
        else:
            when = moment_words(turn.services, turn.tr, ends)
            lines.append(_("Paused until {until}.").format(until=when))
    lines += [
        "",
        _(
            "{name} will be told, with a way to appeal, and whoever reported it that it has "
            "been dealt with."
        ).format(name=name),
    ]
    label = _("✅ Suspend {name}") if _suspending(turn) else _("✅ Warn {name}")
    confirm = turn.b(label.format(name=name), Confirm(turn.form.id))
    return Screen("\n".join(lines), keyboard([confirm]))


# --- doing it -----------------------------------------------------------------------------------


async def _confirmed(turn: Turn[ReportActionAnswers], press: Confirm) -> None:
    services, actor, answers = turn.services, turn.member, turn.answers
    tr = turn.tr
    report, member = await _report_and_member(services, answers.report)
    if report is None or report.state == "closed" or member is None:
        await _gone(turn, report)
        return
    reason = answers.reason or None
    suspending = _suspending(turn)
    problem = _problem(services, tr, member, reason, suspending)
    if problem is not None:
        await _left_open(turn, report, problem)
        return
    now = services.clock.now()
    result: Changed[Any]
    if suspending:
        ends = until(now, answers.minutes or None)
        request = SanctionRequest(member.id, SanctionKind.SUSPEND, actor.id, reason, ends)
        act = sanctioning_in(services, request, now)
        result = await _closing(turn, report, Outcome.SUSPENDED, act, now)
        said = suspended_words(services, tr, member, result.done)
    else:
        warn = warning_in(services, member.id, actor.id, reason, now)
        result = await _closing(turn, report, Outcome.WARNED, warn, now)
        said = warned_words(services, tr, member, result.done) if result.done else ""
    if result.changed:
        note = said + "\n" + tr.gettext("Whoever reported it will be told it has been dealt with.")
        card = await report_card(services, tr, actor, result.request or report)
        await turn.finish(card.after(note))
    elif result.request is not None and result.request.state == "closed":
        await _gone(turn, result.request)
    else:  # suspended meanwhile, or no longer an active member
        await _left_open(turn, report, said)


def _problem(
    services: Services, tr: Translator, member: Member, reason: str | None, suspending: bool
) -> str | None:
    """Why the member cannot be warned (suspended) with this reason, as /warn (/suspend) says;
    None if they can."""
    if not suspending:
        return cannot_warn(services, tr, member, reason)
    problem = refusal(services, tr, member, reason)
    if problem is None and member.status is not Status.ACTIVE:
        problem = suspended_words(services, tr, member, None)
    return problem


async def _closing(
    turn: Turn[ReportActionAnswers],
    report: SupportRequest,
    outcome: Outcome,
    act: Callable[[sqlite3.Connection], R | None],
    now: datetime,
) -> Changed[R]:
    """`act` (the warning or suspension, as /warn and /suspend write it) and the report
    closed with its audit row and the reporter told, in one write; once."""
    services, actor = turn.services, turn.member
    return await services.support.resolve(
        report.id,
        actor.id,
        outcome,
        now,
        not_before=after_quiet_hours(services.config, now),
        act=act,
        then=lambda done: [report_audit(services, actor, done, outcome)],
    )


async def _gone(turn: Turn[ReportActionAnswers], report: SupportRequest | None) -> None:
    """The report has been dealt with already (or is not there): nothing more is done."""
    _ = turn.gettext
    if report is not None and report.state == "closed":
        card = await report_card(turn.services, turn.tr, turn.member, report)
        await turn.finish(card.after(_("This report has been dealt with already.")))
    elif report is not None:
        note = _("They have left Amser, so there is nothing more to do about them.")
        card = await report_card(turn.services, turn.tr, turn.member, report)
        await turn.close(card.after(note))
    else:
        await turn.close(Screen(_("That report isn't in the queue any more.")))


async def _left_open(turn: Turn[ReportActionAnswers], report: SupportRequest, problem: str) -> None:
    """Refused (a coordinator, a reason too long, already suspended): nothing changed."""
    card = await report_card(turn.services, turn.tr, turn.member, report)
    await turn.close(card.after(problem))


async def _back_to_card(turn: Turn[ReportActionAnswers], note: str | None = None) -> None:
    report, _member = await _report_and_member(turn.services, turn.answers.report)
    if report is None:
        await _gone(turn, report)
        return
    card = await report_card(turn.services, turn.tr, turn.member, report)
    await turn.close(card.after(note) if note else card)


async def _back_out(turn: Turn[ReportActionAnswers]) -> None:
    await _back_to_card(turn)


async def _cancelled(turn: Turn[ReportActionAnswers]) -> None:
    await _back_to_card(turn, turn.gettext("Okay, nothing was changed."))


async def _pressed_again(turn: Turn[ReportActionAnswers]) -> None:
    """Confirm pressed again after it was done: said again, nothing done twice."""
    report, _member = await _report_and_member(turn.services, turn.answers.report)
    await _gone(turn, report)


def _form(
    name: str, who: Callable[[Update, AmserContext], Awaitable[Member | None]]
) -> Form[ReportActionAnswers]:
    steps = [
        Step(
            "reason",
            ask=_ask_reason,
            typed=_reason_typed,
            limit=REASON_MAX,
            buttons={UseReportReason: _report_reason},
        ),
        Step(
            "length",
            ask=_ask_length,
            typed=_length_typed,
            limit=LENGTH_WORDS_MAX,
            buttons={PickLength: _length_picked},
            when=_suspending,
        ),
        Step("check", ask=_ask_check, buttons={Confirm: _confirmed}, done=never),
    ]
    return Form(
        name=name,
        command="queue",
        answers=ReportActionAnswers,
        who=who,
        steps=tuple(steps),
        back_out=_back_out,
        cancel=_cancelled,
        finished=_pressed_again,
    )


WARN = _form("report.warn", may_warn)
SUSPEND = _form("report.suspend", may_suspend)
FORMS: dict[Outcome, Form[ReportActionAnswers]] = {Outcome.WARNED: WARN, Outcome.SUSPENDED: SUSPEND}


async def _start(update: Update, context: AmserContext, press: Moderate) -> None:
    """⚠️ Warn or ⏸ Suspend on a report's card: checked again (who, and the report still
    open and about a member), then the form."""
    spec = FORMS.get(press.outcome, WARN)  # any other outcome is refused below
    actor = await spec.who(update, context)
    if actor is None:
        return
    services = context.services
    tr = tr_for(services, actor)
    report, member = await _report_and_member(services, press.report)
    if report is None or press.outcome not in FORMS:
        await show(update, context, Screen(tr.gettext("That report isn't in the queue any more.")))
        return
    if report.state == "closed":
        note: str | None = tr.gettext("This report has been dealt with already.")
    elif member is None:
        note = tr.gettext("They have left Amser, so there is nothing more to do about them.")
    else:
        note = _problem(services, tr, member, None, press.outcome is Outcome.SUSPENDED)
    if note is not None:
        await show(update, context, (await report_card(services, tr, actor, report)).after(note))
        return
    await forms.start(update, context, actor, spec, ReportActionAnswers(report=report.id))


def register(app: AmserApplication) -> None:
    add_presses(app, {Moderate: _start})
    forms.register(app, WARN)
    forms.register(app, SUSPEND)
