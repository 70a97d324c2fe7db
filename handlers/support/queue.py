"""/queue: "please get in touch" requests (and, for coordinators, reports) waiting for
someone. Each can be taken by one ambassador ("I'll take this", race-free), closed with a short
note, or handed back; everyone who works the queue hears of each new request, is reminded of
those still waiting at most once a day, and coordinators hear of any unclaimed for a while (two
days unless the config says otherwise)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape

from telegram import Bot, InlineKeyboardButton, Update
from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.domain.permissions import Action
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers import forms
from handlers.access import authorised, may_do, member_may
from handlers.buttons import Buttons, add_presses
from handlers.common import Row, Screen, keyboard, say, show, tr_for, username_of
from handlers.credit_common import button_name, name_of
from handlers.forms import Form, Step, Turn, never
from handlers.notices import Recipient, after_quiet_hours, register_notice
from handlers.support.buttons import Claim, CloseWithNote, HandBack, OpenRequest, ShowQueue
from handlers.support.reports import report_card, report_line
from storage.due_work import DueItem
from storage.effects import Effect, Schedule
from storage.members import Member
from storage.outbox import OutboxItem
from storage.support import (
    ASKED,
    ESCALATED,
    REMINDER,
    ContactReason,
    SupportRequest,
)

COMMANDS = (Command("queue", N_("Requests for someone to get in touch"), Action.QUEUE),)

PAGE = 5
NOTE_MAX = 300
SWEEP_KIND, SWEEP_KEY = "support_queue", "support:queue"
SWEEP_EVERY = timedelta(hours=1)


# --- how a request reads ------------------------------------------------------------------------


def _why(tr: Translator, request: SupportRequest) -> str:
    # Never the answers, never more than this: the member's words stay theirs.
    if request.reason == ContactReason.CHECKIN:
        return tr.gettext("after a check-in")
    return tr.gettext("asked for help")


def _when(services: Services, moment: datetime) -> str:
    return moment.astimezone(services.config.timezone).strftime("%d/%m %H:%M")


def _reach(tr: Translator, member: Member, username: str | None) -> str:
    """A tap on the name opens a chat with them (Telegram allows it in a message's text, not in
    a button, for users whose privacy settings hide them), and @username when they have one."""
    link = f'<a href="tg://user?id={member.telegram_id}">{name_of(member, tr)}</a>'
    return link + (f" (@{escape(username)})" if username else "")


async def _state_line(services: Services, tr: Translator, request: SupportRequest) -> str:
    _ = tr.gettext
    if request.state == "open":
        return _("🟡 Waiting for someone to take it.")
    if request.state == "claimed":
        claimer = await services.members.get(request.claimed_by or 0)
        return _("🟢 {name} has taken this.").format(name=name_of(claimer, tr))
    closer = await services.members.get(request.closed_by or 0)
    text = _("✅ Closed by {name}.").format(name=name_of(closer, tr))
    if request.note:
        text += "\n" + _("Note: <i>{note}</i>").format(note=escape(request.note))
    return text


async def request_card(
    services: Services, bot: Bot, tr: Translator, viewer: Member, request: SupportRequest
) -> Screen | None:
    """A contact request as a queue worker sees it, with what they may do; None once the
    member who asked is gone."""
    if request.is_report:
        return await report_card(services, tr, viewer, request)
    asker = await services.members.get(request.member_id or 0)
    if asker is None or asker.telegram_id is None:
        return None
    _ = tr.gettext
    heading = _("<b>🙋 {name} would like someone from the community to get in touch</b>").format(
        name=name_of(asker, tr)
    )
    lines = [
        f"{heading} ({_why(tr, request)})",
        _("How to reach them: {contact}").format(
            contact=_reach(tr, asker, await username_of(bot, asker))
        ),
        _("Asked: {when}").format(when=_when(services, request.created_at)),
        "",
        await _state_line(services, tr, request),
    ]
    b = Buttons(services, viewer.telegram_id or 0)
    rows: list[Row] = []
    if request.state == "open":
        rows.append([b(_("🙋 I'll take this"), Claim(request.id))])
    elif request.state == "claimed" and (
        request.claimed_by == viewer.id or member_may(services, viewer, Action.REPORTS)
    ):
        rows.append(
            [
                b(_("✅ Close with a note"), CloseWithNote(request.id)),
                b(_("↩️ Hand back"), HandBack(request.id)),
            ]
        )
    rows.append([b(_("📋 The queue"), ShowQueue(0))])
    return Screen("\n".join(lines), keyboard(*rows))


# --- /queue -------------------------------------------------------------------------------------


async def queue_screen(services: Services, viewer: Member, offset: int) -> Screen:
    tr = tr_for(services, viewer)
    _ = tr.gettext
    admin = member_may(services, viewer, Action.REPORTS)
    items, more = await services.support.waiting(reports=admin, offset=offset, limit=PAGE)
    if not items and not offset:
        return Screen(_("Nobody is waiting just now. Thank you for keeping an eye out!"))
    b = Buttons(services, viewer.telegram_id or 0)
    lines = [_("<b>📋 The support queue</b>"), ""]
    rows: list[Row] = []
    for request in items:
        label, line = await _entry(services, tr, request)
        lines.append(line)
        takes = request.state == "open" and not request.is_report
        rows.append([b(label, Claim(request.id) if takes else OpenRequest(request.id))])
    paging: list[InlineKeyboardButton] = []
    if offset:
        paging.append(b(_("« Earlier"), ShowQueue(max(0, offset - PAGE))))
    if more:
        paging.append(b(_("More »"), ShowQueue(offset + PAGE)))
    rows.append(paging)
    return Screen("\n".join(lines), keyboard(*rows))


async def _entry(services: Services, tr: Translator, request: SupportRequest) -> tuple[str, str]:
    """A request's line in the list and its button's label."""
    _ = tr.gettext
    if request.is_report:
        line = await report_line(services, tr, request)
        return _("🚩 Report {number}").format(number=request.id), line
    asker = await services.members.get(request.member_id or 0)
    name, label = name_of(asker, tr), button_name(asker, tr)
    when = _when(services, request.created_at)
    if request.state == "open":
        line = _("🟡 {name} ({why}), since {when}").format(
            name=name, why=_why(tr, request), when=when
        )
        return _("🙋 I'll take this: {name}").format(name=label), line
    claimer = await services.members.get(request.claimed_by or 0)
    line = _("🟢 {name}: taken by {claimer}").format(name=name, claimer=name_of(claimer, tr))
    return _("Open: {name}").format(name=label), line


async def _queue_command(update: Update, context: AmserContext) -> None:
    member = await _worker(update, context)
    if member is not None:
        await say(update, context, await queue_screen(context.services, member, 0))


async def _show_queue(update: Update, context: AmserContext, press: ShowQueue) -> None:
    member = await _worker(update, context)
    if member is not None:
        await show(update, context, await queue_screen(context.services, member, press.offset))


async def _card_or_gone(
    update: Update, context: AmserContext, member: Member, request_id: int, note: str | None
) -> None:
    """Show a request's card in place, with a line in front; or say it has gone."""
    services = context.services
    tr = tr_for(services, member)
    request = await services.support.get(request_id)
    visible = request is not None and (
        not request.is_report or member_may(services, member, Action.REPORTS)
    )
    screen = (
        await request_card(services, context.bot, tr, member, request)
        if request is not None and visible
        else None
    )
    if screen is None:
        screen = Screen(tr.gettext("That request isn't in the queue any more."))
    await show(update, context, screen.after(note) if note else screen)


async def _open(update: Update, context: AmserContext, press: OpenRequest) -> None:
    member = await _worker(update, context)
    if member is not None:
        await _card_or_gone(update, context, member, press.request, None)


async def _claim(update: Update, context: AmserContext, press: Claim) -> None:
    member = await _worker(update, context)
    if member is None:
        return
    services = context.services
    _ = tr_for(services, member).gettext
    now = services.clock.now()
    result = await services.support.claim(
        press.request, member.id, now, not_before=after_quiet_hours(services.config, now)
    )
    request = result.request
    if result.changed:
        note = _("Thank you! It's yours now: please get in touch with them soon.")
    elif request is None or request.is_report:
        note = None
    elif request.state == "claimed" and request.claimed_by == member.id:
        note = _("You've already taken this one.")
    elif request.state == "claimed":
        claimer = await services.members.get(request.claimed_by or 0)
        note = _("{name} has already taken this one. Thank you for offering!").format(
            name=name_of(claimer, tr_for(services, member))
        )
    else:
        note = _("This one has been closed already.")
    await _card_or_gone(update, context, member, press.request, note)


async def _hand_back(update: Update, context: AmserContext, press: HandBack) -> None:
    member = await _worker(update, context)
    if member is None:
        return
    services = context.services
    _ = tr_for(services, member).gettext
    result = await services.support.hand_back(
        press.request, member.id, member_may(services, member, Action.REPORTS), services.clock.now()
    )
    request = result.request
    if result.changed:
        note = _("Handed back: it's waiting in the queue for someone else.")
    elif request is not None and request.state == "open":
        note = _("It's already back in the queue.")
    elif request is not None and request.state == "claimed":
        note = _("Only the person who took it, or a coordinator, can hand it back.")
    else:
        note = None
    await _card_or_gone(update, context, member, press.request, note)


# --- closing with a note: a form ----------------------------------------------------------------


@dataclass(frozen=True)
class NoteAnswers:
    request: int = 0


async def _ask_note(turn: Turn[NoteAnswers]) -> Screen:
    text = turn.gettext(
        "How did it go? Type a short note for the other ambassadors (up to {limit} characters). "
        "Please keep private details out of it."
    ).format(limit=NOTE_MAX)
    return Screen(text)


async def _note_typed(turn: Turn[NoteAnswers], text: str) -> None:
    services, member = turn.services, turn.member
    _ = turn.gettext
    result = await services.support.close(
        turn.answers.request,
        member.id,
        member_may(services, member, Action.REPORTS),
        text,
        services.clock.now(),
    )
    request = result.request
    if result.changed:
        note = _("✅ Closed. Thank you for looking after them!")
    elif request is not None and request.state == "closed":
        note = _("This one has been closed already.")
    else:
        note = _("Only the person who took it, or a coordinator, can close it.")
    screen = (
        await request_card(services, turn.context.bot, turn.tr, member, request)
        if request is not None
        else None
    )
    await turn.finish(screen.after(note) if screen is not None else Screen(note))


async def _not_closed(turn: Turn[NoteAnswers]) -> None:
    await turn.close(Screen(turn.gettext("Okay, it stays as it was.")))


async def _worker(update: Update, context: AmserContext) -> Member | None:
    """Whoever works the queue (an ambassador or coordinator), checked on every typed answer."""
    return await authorised(update, context, Action.QUEUE)


CLOSE = Form(
    name="queue_note",
    command="queue",
    answers=NoteAnswers,
    who=_worker,
    steps=(
        Step("note", ask=_ask_note, typed=_note_typed, limit=NOTE_MAX, one_line=False, done=never),
    ),
    cancel=_not_closed,
)


async def _close_with_note(update: Update, context: AmserContext, press: CloseWithNote) -> None:
    member = await _worker(update, context)
    if member is None:
        return
    services = context.services
    request = await services.support.get(press.request)
    mine = request is not None and (
        request.claimed_by == member.id or member_may(services, member, Action.REPORTS)
    )
    if request is None or request.state != "claimed" or not mine:
        _ = tr_for(services, member).gettext
        note = (
            _("This one has been closed already.")
            if request is not None and request.state == "closed"
            else _("Only the person who took it, or a coordinator, can close it.")
        )
        await _card_or_gone(update, context, member, press.request, note)
        return
    await forms.start(update, context, member, CLOSE, NoteAnswers(request=request.id), new=True)


# --- notices ------------------------------------------------------------------------------------


def _staff_viewer(services: Services, recipient: Recipient) -> Member | None:
    """The recipient, if they still work the queue."""
    member = recipient.member
    if member is None or not may_do(services, recipient.chat_id, Action.QUEUE):
        return None
    return member


def unclaimed_for(tr: Translator, hours: float) -> str:
    """The escalation's first line: how long nobody has taken it, in days when whole days."""
    if hours >= 24 and hours % 24 == 0:
        days = int(hours // 24)
        return tr.ngettext(
            "⏰ Nobody has taken this request for {count} day.",
            "⏰ Nobody has taken this request for {count} days.",
            days,
        ).format(count=days)
    count = max(1, round(hours))
    return tr.ngettext(
        "⏰ Nobody has taken this request for {count} hour.",
        "⏰ Nobody has taken this request for {count} hours.",
        count,
    ).format(count=count)


def register_notices(app: AmserApplication) -> None:
    async def asked(services: Services, recipient: Recipient, item: OutboxItem) -> Screen | None:
        viewer = _staff_viewer(services, recipient)
        request = await services.support.get(item.about or 0)
        if viewer is None or request is None or request.state == "closed":
            return None
        return await request_card(services, app.bot, recipient.tr, viewer, request)

    async def reminder(services: Services, recipient: Recipient, item: OutboxItem) -> Screen | None:
        viewer = _staff_viewer(services, recipient)
        if viewer is None:
            return None
        count = await services.support.open_count(
            reports=member_may(services, viewer, Action.REPORTS)
        )
        if not count:
            return None
        tr = recipient.tr
        text = tr.ngettext(
            "{count} request is waiting for someone to take it in /queue.",
            "{count} requests are waiting for someone to take them in /queue.",
            count,
        ).format(count=count)
        b = Buttons(services, recipient.chat_id)
        return Screen(text, keyboard([b(tr.gettext("📋 The queue"), ShowQueue(0))]))

    async def escalated(
        services: Services, recipient: Recipient, item: OutboxItem
    ) -> Screen | None:
        viewer = _staff_viewer(services, recipient)
        request = await services.support.get(item.about or 0)
        if viewer is None or request is None or request.state != "open":
            return None  # someone took it meanwhile
        card = await request_card(services, app.bot, recipient.tr, viewer, request)
        note = unclaimed_for(recipient.tr, services.config.queue_escalate_after_hours)
        return card.after(note) if card is not None else None

    register_notice(app, ASKED, asked)
    register_notice(app, REMINDER, reminder)
    register_notice(app, ESCALATED, escalated)


# --- the daily look at what is waiting, as standing due work ------------------------------------


async def look_at_waiting(app: AmserApplication, item: DueItem) -> list[Effect]:
    services = app.services
    config, now = services.config, services.clock.now()
    await services.support.look_at_waiting(
        now,
        timedelta(hours=config.queue_remind_hours),
        timedelta(hours=config.queue_escalate_after_hours),
        after_quiet_hours(config, now),
        now.astimezone(config.timezone).date().isoformat(),
    )
    return [Schedule(SWEEP_KEY, SWEEP_KIND, now + SWEEP_EVERY)]


async def at_startup(app: AmserApplication) -> None:
    """The standing look at the queue."""
    services = app.services
    await services.due_work.ensure(SWEEP_KEY, SWEEP_KIND, services.clock.now() + SWEEP_EVERY)


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("queue", _queue_command, filters.ChatType.PRIVATE))
    add_presses(
        app,
        {
            ShowQueue: _show_queue,
            OpenRequest: _open,
            Claim: _claim,
            HandBack: _hand_back,
            CloseWithNote: _close_with_note,
        },
    )
    forms.register(app, CLOSE)
    register_notices(app)
    app.due_work_runner.register(SWEEP_KIND, look_at_waiting)
    app.startup.append(at_startup)
