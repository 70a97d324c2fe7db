"""/report and "🚩 Report": a member reports a listing, a relayed message or a member they were
introduced to, with a reason (buttons) and, if they like, a few words. Coordinators get a card
with the context and buttons to act; the reporter is thanked at once and told when it has been
dealt with. A report is made once per form, and dealt with once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from telegram import Message, Update
from telegram.ext import CommandHandler, filters

from bot.domain import N_, permissions
from bot.domain.membership import Status
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers import details, forms
from handlers.access import authorised, member_may
from handlers.audit.log import audited
from handlers.buttons import Buttons, add_presses
from handlers.common import Row, Screen, keyboard, say, show, tr_for, user_id
from handlers.credit_common import button_name, name_of
from handlers.forms import Form, Step, Turn, never
from handlers.listings.removal import taking_down_in
from handlers.notices import Recipient, after_quiet_hours, register_notice
from handlers.support.buttons import (
    REASONS,
    Act,
    Moderate,
    PickReason,
    ShowQueue,
    SkipWords,
    StartReport,
)
from storage.audit import AuditAction, AuditEntry
from storage.effects import Audit
from storage.members import Member
from storage.outbox import OutboxItem
from storage.reports import Outcome, ReportAbout, ReportReason
from storage.support import REPORTED, RESOLVED, SupportRequest

COMMANDS = (Command("report", N_("Report a listing, a message or a member")),)

WORDS_MAX = 300
EXCERPT_MAX = 1000

ABOUT: dict[ReportAbout, str] = {
    ReportAbout.LISTING: N_("a listing"),
    ReportAbout.MESSAGE: N_("a message"),
    ReportAbout.MEMBER: N_("a member"),
}


@dataclass(frozen=True)
class Action:
    """What a coordinator may do with a report at one tap: one button each."""

    outcome: Outcome
    label: str
    applies: Callable[[SupportRequest], bool] = lambda report: True


ACTIONS: tuple[Action, ...] = (
    Action(Outcome.DISMISSED, N_("Dismiss")),
    Action(
        Outcome.TAKEN_DOWN,
        N_("Take the listing down"),
        lambda report: report.reason == ReportAbout.LISTING,
    ),
    Action(Outcome.HANDLED, N_("✅ Handled")),
)

OUTCOMES: dict[Outcome, str] = {
    Outcome.DISMISSED: N_("dismissed"),
    Outcome.TAKEN_DOWN: N_("the listing was taken down"),
    Outcome.HANDLED: N_("handled"),
    Outcome.WARNED: N_("the member was warned"),
    Outcome.SUSPENDED: N_("the member's membership was paused"),
}

# Acting on the member a report is about, through a form (handlers/moderation/on_reports.py).
ON_MEMBER: tuple[tuple[Outcome, permissions.Action, str], ...] = (
    (Outcome.WARNED, permissions.Action.WARN, N_("⚠️ Warn")),
    (Outcome.SUSPENDED, permissions.Action.SUSPEND, N_("⏸ Suspend")),
)


# --- how a report reads -------------------------------------------------------------------------


async def report_line(services: Services, tr: Translator, report: SupportRequest) -> str:
    """A report's line in /queue."""
    _ = tr.gettext
    subject = await services.members.get(report.subject_member or 0)
    reason = REASONS.get(ReportReason(report.category or "other"), REASONS[ReportReason.OTHER])
    return _("🚩 Report {number} about {name}: {reason}").format(
        number=report.id, name=name_of(subject, tr), reason=_(reason)
    )


async def report_card(
    services: Services, tr: Translator, viewer: Member, report: SupportRequest
) -> Screen:
    """A report as a coordinator sees it: who, about whom and what, why, and what to do."""
    _ = tr.gettext
    reporter = await services.members.get(report.member_id or 0)
    subject = await services.members.get(report.subject_member or 0)
    reason = REASONS.get(ReportReason(report.category or "other"), REASONS[ReportReason.OTHER])
    lines = [
        _("<b>🚩 Report {number}</b>: {about}").format(
            number=report.id, about=_(ABOUT[ReportAbout(report.reason)])
        ),
        _("Reported by {name}, about {subject}.").format(
            name=name_of(reporter, tr), subject=name_of(subject, tr)
        ),
        _("Reason: {reason}").format(reason=_(reason)),
    ]
    if report.details:
        lines.append(_("Their words: <i>{words}</i>").format(words=escape(report.details)))
    if report.excerpt:
        lines += ["", _("What was reported:"), f"<i>{escape(report.excerpt)}</i>"]
    b = Buttons(services, viewer.telegram_id or 0)
    rows: list[Row] = []
    if report.state != "closed":
        rows.append(
            [
                b(_(action.label), Act(report.id, action.outcome))
                for action in ACTIONS
                if action.applies(report)
            ]
        )
        on_member = [
            b(_(label), Moderate(report.id, outcome))
            for outcome, may, label in ON_MEMBER
            if report.subject_member is not None and member_may(services, viewer, may)
        ]
        if on_member:
            rows.append(on_member)
    else:
        closer = await services.members.get(report.closed_by or 0)
        outcome = OUTCOMES.get(Outcome(report.outcome or "handled"), OUTCOMES[Outcome.HANDLED])
        lines += [
            "",
            _("✅ Dealt with by {name}: {outcome}.").format(
                name=name_of(closer, tr), outcome=_(outcome)
            ),
        ]
    rows.append([b(_("📋 The queue"), ShowQueue(0))])
    return Screen("\n".join(lines), keyboard(*rows))


# --- the report form ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportAnswers:
    about: str = ""
    ident: int = 0
    subject: int = 0  # the member it is about
    excerpt: str = ""  # the listing's or the message's words, as the reporter saw them
    reason: str = ""


async def _ask_reason(turn: Turn[ReportAnswers]) -> Screen:
    _ = turn.gettext
    text = "\n".join(
        [
            _("<b>🚩 Report {about}</b>").format(
                about=_(ABOUT[ReportAbout(turn.answers.about or "member")])
            ),
            _("Thank you for looking out for each other. What's wrong?"),
        ]
    )
    rows = [
        [
            turn.b(
                ("✓ " if turn.answers.reason == reason else "") + _(label),
                PickReason(turn.form.id, reason),
            )
        ]
        for reason, label in REASONS.items()
    ]
    return Screen(text, keyboard(*rows))


async def _reason_picked(turn: Turn[ReportAnswers], press: PickReason) -> None:
    await turn.save(reason=str(press.reason))
    await turn.next()


async def _ask_words(turn: Turn[ReportAnswers]) -> Screen:
    _ = turn.gettext
    text = _(
        "Would you like to add a few words for the coordinators? Type them below (up to {limit} "
        "characters), or tap Send without words."
    ).format(limit=WORDS_MAX)
    return Screen(text, keyboard([turn.b(_("Send without words"), SkipWords(turn.form.id))]))


async def _send(turn: Turn[ReportAnswers], words: str | None) -> None:
    services, member, answers = turn.services, turn.member, turn.answers
    if not answers.reason:
        await turn.go("reason")
        return
    if answers.subject and not await _still_here(services, answers.subject):
        text = turn.gettext(
            "They have left Amser, so there is nothing more to report about them. Thank you "
            "for looking out for each other."
        )
        await turn.finish(Screen(text))
        return
    now = services.clock.now()
    await services.support.report(
        turn.form.id,
        member.id,
        ReportAbout(answers.about),
        answers.ident,
        answers.subject or None,
        ReportReason(answers.reason),
        words,
        answers.excerpt or None,
        now,
        not_before=after_quiet_hours(services.config, now),
    )
    await turn.finish(_thanks(turn.tr))


async def _still_here(services: Services, member_id: int) -> bool:
    """Whether the member a report is about is still a member (not erased)."""
    member = await services.members.get(member_id)
    return member is not None and member.status is not Status.ERASED


async def _words_typed(turn: Turn[ReportAnswers], text: str) -> None:
    await _send(turn, text)


async def _no_words(turn: Turn[ReportAnswers], press: SkipWords) -> None:
    await _send(turn, None)


def _thanks(tr: Translator) -> Screen:
    return Screen(
        tr.gettext(
            "Thank you for telling us. A coordinator will look at it, and I'll let you know "
            "when it has been dealt with. Nobody else is told who reported it."
        )
    )


async def _thanked_again(turn: Turn[ReportAnswers]) -> None:
    await turn.show(_thanks(turn.tr))


async def _not_reported(turn: Turn[ReportAnswers]) -> None:
    await turn.close(Screen(turn.gettext("Okay, nothing was reported.")))


REPORT = Form(
    name="report",
    command="report",
    answers=ReportAnswers,
    who=details.active_member,
    steps=(
        Step("reason", ask=_ask_reason, buttons={PickReason: _reason_picked}),
        Step(
            "words",
            ask=_ask_words,
            typed=_words_typed,
            limit=WORDS_MAX,
            one_line=False,
            buttons={SkipWords: _no_words},
            done=never,
        ),
    ),
    cancel=_not_reported,
    finished=_thanked_again,
)


# --- starting a report --------------------------------------------------------------------------


def _shown_text(message: Message | None) -> str:
    """The words of the message the member is pointing at, as they saw them."""
    text = (message.text or message.caption or "") if message is not None else ""
    return text[:EXCERPT_MAX]


async def subject_of(
    services: Services, member: Member, press: StartReport, shown: Message | None = None
) -> tuple[int | None, str]:
    """Whom a 🚩 Report button shown to the member is about (None if it is not theirs to see,
    or is their own), and the words reported (a listing's, or the message `shown`)."""
    if press.about is ReportAbout.LISTING:
        listing = await services.listings.get(press.ident)
        if listing is not None and listing.member_id != member.id:
            return listing.member_id, f"{listing.title}\n{listing.details}"[:EXCERPT_MAX]
        return None, ""
    intro = await services.introductions.get(press.ident)
    if intro is None or not intro.involves(member.id):
        return None, ""
    excerpt = _shown_text(shown) if press.about is ReportAbout.MESSAGE else ""
    return intro.other(member.id), excerpt


async def _begin(
    update: Update,
    context: AmserContext,
    member: Member,
    press: StartReport,
    shown: Message | None,
) -> None:
    """Check the member may report this (it is theirs to see, and not their own), then ask."""
    services = context.services
    _ = tr_for(services, member).gettext
    subject, excerpt = await subject_of(services, member, press, shown)
    if subject is None:
        await say(update, context, Screen(_("Sorry, I can't find that to report it.")))
        return
    answers = ReportAnswers(
        about=str(press.about), ident=press.ident, subject=subject, excerpt=excerpt
    )
    await forms.start(update, context, member, REPORT, answers, new=True)


async def _report_pressed(update: Update, context: AmserContext, press: StartReport) -> None:
    member = await details.active_member(update, context)
    if member is None:
        return
    query = update.callback_query
    shown = query.message if query is not None and isinstance(query.message, Message) else None
    await _begin(update, context, member, press, shown)


def pointed_at(context: AmserContext, update: Update) -> StartReport | None:
    """A command sent as a reply to a relayed message (/report, and the coordinators'
    moderation commands): the message's own 🚩 Report button says what it is."""
    message = update.message
    replied = message.reply_to_message if message is not None else None
    markup = replied.reply_markup if replied is not None else None
    for row in markup.inline_keyboard if markup is not None else ():
        for button in row:
            data = button.callback_data if isinstance(button.callback_data, str) else ""
            parts = context.services.callbacks.verify(user_id(update), data)
            press = StartReport.parse(parts) if parts is not None else None
            if press is not None:
                return press
    return None


async def _report_command(update: Update, context: AmserContext) -> None:
    member = await details.active_member(update, context)
    if member is None:
        return
    replied = update.message.reply_to_message if update.message is not None else None
    press = pointed_at(context, update)
    if press is not None:
        await _begin(update, context, member, press, replied)
        return
    services = context.services
    tr = tr_for(services, member)
    _ = tr.gettext
    b = Buttons(services, member.telegram_id or 0)
    rows: list[Row] = []
    for intro in await services.introductions.partners_of(member.id):
        other = await services.members.get(intro.other(member.id))
        label = _("🚩 {name}").format(name=button_name(other, tr))
        rows.append([b(label, StartReport(ReportAbout.MEMBER, intro.id))])
    text = _(
        "To report a listing, tap 🚩 Report on its card. To report a message, tap 🚩 Report "
        "under it (or reply to it with /report)."
    )
    if replied is not None:  # a reply to a message of the bot's own, or to their own
        text = (
            _(
                "Thank you for looking out for each other. That isn't a message passed on to "
                "you from another member, so there is nothing in it to report."
            )
            + "\n\n"
            + text
        )
    if rows:
        text += "\n\n" + _("Or choose someone you've been introduced to:")
    await say(update, context, Screen(text, keyboard(*rows)))


# --- coordinators acting ------------------------------------------------------------------------


async def _act(update: Update, context: AmserContext, press: Act) -> None:
    member = await authorised(update, context, permissions.Action.REPORTS)
    if member is None:
        return
    services = context.services
    tr = tr_for(services, member)
    _ = tr.gettext
    report = await services.support.get(press.report)
    action = next((a for a in ACTIONS if a.outcome is press.outcome), None)
    if report is None or not report.is_report or action is None or not action.applies(report):
        await show(update, context, Screen(_("That report isn't in the queue any more.")))
        return
    now = services.clock.now()
    taking_down = press.outcome is Outcome.TAKEN_DOWN
    listing = await services.listings.get(report.subject_id or 0) if taking_down else None
    act = None
    if listing is not None:  # audited there, with the report's number
        act = taking_down_in(
            services, listing, member.id, now, preset=report.category, report=report.id
        )
    result = await services.support.resolve(
        report.id,
        member.id,
        press.outcome,
        now,
        not_before=after_quiet_hours(services.config, now),
        act=act,
        then=lambda done: [] if act else [report_audit(services, member, done, press.outcome)],
    )
    if result.changed:
        note = _("Done. Whoever reported it will be told it has been dealt with.")
    else:
        note = _("This report has been dealt with already.")
    card = await report_card(services, tr, member, result.request or report)
    await show(update, context, card.after(note))


def report_audit(services: Services, by: Member, report: SupportRequest, outcome: Outcome) -> Audit:
    """#REPORT with how it ended (a listing taken down is #REMOVE_LISTING instead)."""
    entry = AuditEntry(
        AuditAction.REPORT,
        by.id,
        report.subject_member,
        subject=report.id,
        details={"outcome": str(outcome)},
    )
    return audited(services, entry)


# --- notices ------------------------------------------------------------------------------------


async def _reported(services: Services, recipient: Recipient, item: OutboxItem) -> Screen | None:
    viewer = recipient.member
    report = await services.support.get(item.about or 0)
    if (
        viewer is None
        or report is None
        or not member_may(services, viewer, permissions.Action.REPORTS)
    ):
        return None
    card = await report_card(services, recipient.tr, viewer, report)
    return card.after(recipient.tr.gettext("<b>A new report has come in.</b>"))


async def _resolved(services: Services, recipient: Recipient, item: OutboxItem) -> Screen | None:
    report = await services.support.get(item.about or 0)
    if report is None or report.state != "closed":
        return None
    _ = recipient.tr.gettext
    text = _(
        "Thank you for your report about {about}. A coordinator has looked at it and dealt with it."
    ).format(about=_(ABOUT[ReportAbout(report.reason)]))
    if report.outcome == Outcome.TAKEN_DOWN:
        text += " " + _("The listing has been taken down.")
    return Screen(text)


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("report", _report_command, filters.ChatType.PRIVATE))
    add_presses(app, {StartReport: _report_pressed, Act: _act})
    forms.register(app, REPORT)
    register_notice(app, REPORTED, _reported)
    register_notice(app, RESOLVED, _resolved)
