"""The author's live progress message: sent so far, time left, Pause / Resume / Cancel, and
the summary at the end. A repeating job brings every broadcast's message up to date from the
outbox's counts; the author's presses change it at once."""

from __future__ import annotations

import logging

from telegram import Update

from bot.domain.broadcasts import Progress, Status
from bot.domain.permissions import Action
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from bot.runtime.ratelimit import background_per_second
from handlers.access import may_do
from handlers.broadcasts.words import audience_label
from handlers.buttons import ButtonData, Buttons, add_presses
from handlers.common import (
    Screen,
    current_member,
    edit_card,
    keyboard,
    say,
    show,
    tr_for,
    translator,
)
from handlers.common import user_id as presser_id
from handlers.notices import Recipient, register_notice
from storage.broadcasts import Broadcast
from storage.members import Member
from storage.outbox import Notice, OutboxItem

logger = logging.getLogger(__name__)

PROGRESS_JOB = "broadcast-progress"
STARTED = "broadcast.started"  # to the author when a second person approved: the progress
SUMMARY = "broadcast.summary"  # to the author at the end: delivered, unreachable, failed


class PauseBroadcast(ButtonData, prefix="bc:pause"):
    broadcast: int


class ResumeBroadcast(ButtonData, prefix="bc:resume"):
    broadcast: int


class CancelBroadcast(ButtonData, prefix="bc:cancel"):
    broadcast: int


def _sent_line(tr: Translator, progress: Progress) -> str:
    return tr.gettext("Sent {sent} of {total}.").format(sent=progress.sent, total=progress.total)


def progress_screen(
    services: Services, broadcast: Broadcast, progress: Progress, tr: Translator, author_tid: int
) -> Screen:
    """The progress message as it is now, with the buttons its state allows."""
    _ = tr.gettext
    b = Buttons(services, author_tid)
    to = audience_label(services, broadcast.audience, tr)
    if broadcast.status is Status.SENDING:
        per_second = background_per_second(services.config.max_messages_per_second)
        minutes = progress.minutes_left(per_second)
        left = tr.ngettext("About {count} minute left.", "About {count} minutes left.", minutes)
        text = "\n".join(
            [
                _("<b>📣 Sending your broadcast {audience}</b>").format(audience=to),
                _sent_line(tr, progress),
                left.format(count=minutes) if progress.pending else "",
            ]
        ).strip()
        return Screen(
            text,
            keyboard(
                [
                    b(_("⏸ Pause"), PauseBroadcast(broadcast.id)),
                    b(_("✖️ Cancel it"), CancelBroadcast(broadcast.id)),
                ]
            ),
        )
    if broadcast.status is Status.PAUSED:
        text = "\n".join(
            [
                _("<b>⏸ Your broadcast {audience} is paused</b>").format(audience=to),
                _sent_line(tr, progress),
                _("Nothing more goes out until you resume it."),
            ]
        )
        return Screen(
            text,
            keyboard(
                [
                    b(_("▶️ Resume"), ResumeBroadcast(broadcast.id)),
                    b(_("✖️ Cancel it"), CancelBroadcast(broadcast.id)),
                ]
            ),
        )
    if broadcast.status is Status.AWAITING_APPROVAL:
        text = _(
            "<b>📣 Your broadcast {audience} is waiting for approval</b>\n"
            "Another ambassador or a coordinator has been asked to approve it."
        ).format(audience=to)
        return Screen(text, keyboard([b(_("✖️ Withdraw it"), CancelBroadcast(broadcast.id))]))
    return Screen(summary_text(services, broadcast, progress, tr))


def _title(services: Services, broadcast: Broadcast, tr: Translator) -> str:
    """The heading of a broadcast that is over: cancelled, or finished."""
    to = audience_label(services, broadcast.audience, tr)
    if broadcast.status is Status.CANCELLED:
        return tr.gettext("<b>✖️ Your broadcast {audience} was cancelled</b>").format(audience=to)
    return tr.gettext("<b>✅ Your broadcast {audience} has finished</b>").format(audience=to)


def summary_text(
    services: Services, broadcast: Broadcast, progress: Progress, tr: Translator
) -> str:
    """What happened, once it is over: delivered, unreachable, failed (and not sent)."""
    _ = tr.gettext
    to = audience_label(services, broadcast.audience, tr)
    if broadcast.status is Status.CANCELLED and broadcast.declined_by is not None:
        return _("Your broadcast {audience} was not approved, so nothing was sent.").format(
            audience=to
        )
    if broadcast.status is Status.CANCELLED and broadcast.started_at is None:
        return _("You withdrew your broadcast {audience}, so nothing was sent.").format(audience=to)
    lines = [
        _title(services, broadcast, tr),
        _("Delivered: {count}").format(count=progress.delivered),
        _("Unreachable (they have blocked the bot): {count}").format(count=progress.unreachable),
        _("Failed: {count}").format(count=progress.failed),
    ]
    if progress.skipped:
        lines.append(
            _("Left out, because they stopped community news or left meanwhile: {count}").format(
                count=progress.skipped
            )
        )
    if progress.dropped:
        lines.append(
            _("Not sent, because it was cancelled: {count}").format(count=progress.dropped)
        )
    if progress.failed:
        lines.append(_("Coordinators can try the failed ones again with /deliveries."))
    return "\n".join(lines)


async def _author_of(services: Services, broadcast: Broadcast) -> Member | None:
    return await services.members.get(broadcast.author_id)


async def refresh(app: AmserApplication) -> None:
    """Bring every sending or paused broadcast's progress message up to date, and finish the
    ones with nothing left to send (their summary goes to the author through the outbox)."""
    services = app.services
    shown: dict[int, str] = app.bot_data.setdefault(PROGRESS_JOB, {})
    for broadcast in await services.broadcasts.in_progress():
        progress = await services.broadcasts.progress(broadcast)
        # Only a broadcast with nothing left waiting can finish: no write on the other ticks.
        finished = (
            broadcast.status is Status.SENDING
            and not progress.pending
            and await services.broadcasts.finish_if_done(
                broadcast.id,
                services.clock.now(),
                then=lambda done, b=broadcast: (
                    [Notice(SUMMARY, member_id=b.author_id, about=b.id)] if done else []
                ),
            )
        )
        author = await _author_of(services, broadcast)
        if author is None or author.telegram_id is None or broadcast.progress_message_id is None:
            continue
        tr = tr_for(services, author)
        if finished:  # the summary follows as a message of its own; this one only says so
            screen = Screen(f"{_title(services, broadcast, tr)}\n{_sent_line(tr, progress)}")
        else:
            screen = progress_screen(services, broadcast, progress, tr, author.telegram_id)
            if shown.get(broadcast.id) == screen.text:
                continue  # unchanged: no edit
        if await edit_card(app, author, broadcast.progress_message_id, screen):
            shown[broadcast.id] = screen.text


async def _refresh_job(context: AmserContext) -> None:
    if isinstance(context.application, AmserApplication):
        await refresh(context.application)


async def start_refreshing(app: AmserApplication) -> None:
    if app.job_queue is None:
        raise RuntimeError("the application has no job queue")
    seconds = app.config.broadcast_progress_seconds
    app.job_queue.run_repeating(_refresh_job, interval=seconds, first=seconds, name=PROGRESS_JOB)


# --- the author's buttons -----------------------------------------------------------------------


async def _controlled(
    update: Update, context: AmserContext, broadcast_id: int
) -> tuple[Broadcast, Translator, Member] | None:
    """The broadcast, if the presser may still pause or cancel it: its author while an
    ambassador, or a coordinator. Otherwise they are told why not."""
    services = context.services
    member = await current_member(update, context)
    tr = translator(update, context, member)
    broadcast = await services.broadcasts.get(broadcast_id)
    author = await _author_of(services, broadcast) if broadcast is not None else None
    mine = author is not None and author.telegram_id == presser_id(update)
    if broadcast is None or author is None:
        await show(update, context, Screen(tr.gettext("That broadcast is no longer here.")))
        return None
    if not (
        may_do(services, presser_id(update), Action.MANAGE_BROADCASTS)
        or (mine and may_do(services, presser_id(update), Action.BROADCAST))
    ):
        text = tr.gettext("Sorry, only its author or a coordinator can change this broadcast.")
        await say(update, context, Screen(text))
        return None
    return broadcast, tr, author


async def _show_now(
    update: Update, context: AmserContext, broadcast: Broadcast, tr: Translator, author: Member
) -> None:
    services = context.services
    progress = await services.broadcasts.progress(broadcast)
    await show(
        update, context, progress_screen(services, broadcast, progress, tr, presser_id(update))
    )


async def on_pause(update: Update, context: AmserContext, press: PauseBroadcast) -> None:
    if (found := await _controlled(update, context, press.broadcast)) is None:
        return
    broadcast, tr, author = found
    paused, _changed = await context.services.broadcasts.pause(broadcast.id)
    await _show_now(update, context, paused or broadcast, tr, author)


async def on_resume(update: Update, context: AmserContext, press: ResumeBroadcast) -> None:
    if (found := await _controlled(update, context, press.broadcast)) is None:
        return
    broadcast, tr, author = found
    resumed, _changed = await context.services.broadcasts.resume(broadcast.id)
    await _show_now(update, context, resumed or broadcast, tr, author)


async def on_cancel(update: Update, context: AmserContext, press: CancelBroadcast) -> None:
    if (found := await _controlled(update, context, press.broadcast)) is None:
        return
    broadcast, tr, author = found
    services = context.services
    cancelled, _changed = await services.broadcasts.cancel(broadcast.id, services.clock.now())
    await _show_now(update, context, cancelled or broadcast, tr, author)


# --- notices to the author ----------------------------------------------------------------------


async def _render_started(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    broadcast = await services.broadcasts.get(item.about or 0)
    if broadcast is None:
        return None
    progress = await services.broadcasts.progress(broadcast)
    screen = progress_screen(services, broadcast, progress, recipient.tr, recipient.chat_id)
    return screen.after(recipient.tr.gettext("✅ Your broadcast has been approved."))


async def _remember_started(
    services: Services, recipient: Recipient, item: OutboxItem, message_id: int
) -> None:
    await services.broadcasts.set_progress_message(item.about or 0, recipient.chat_id, message_id)


async def _render_summary(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    broadcast = await services.broadcasts.get(item.about or 0)
    if broadcast is None:
        return None
    progress = await services.broadcasts.progress(broadcast)
    return Screen(summary_text(services, broadcast, progress, recipient.tr))


def register(app: AmserApplication) -> None:
    add_presses(
        app, {PauseBroadcast: on_pause, ResumeBroadcast: on_resume, CancelBroadcast: on_cancel}
    )
    register_notice(app, STARTED, _render_started, remember=_remember_started)
    register_notice(app, SUMMARY, _render_summary)
    app.startup.append(start_refreshing)
