"""/log and the buttons that start it: from the menu, /balance or an introduction."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.runtime.context import AmserApplication, AmserContext
from handlers import details, forms
from handlers.buttons import add_presses
from handlers.log import change, confirm
from handlers.log.buttons import LogWith, StartLog
from handlers.log.form import LOG, LogAnswers, partner_problem
from storage.members import Member


async def log_command(update: Update, context: AmserContext) -> None:
    member = await details.active_member(update, context)
    if member is not None:
        await forms.start(update, context, member, LOG)


async def on_start(update: Update, context: AmserContext, press: StartLog) -> None:
    member = await details.active_member(update, context)
    if member is not None:
        await _start_below(update, context, member, LogAnswers())


async def on_log_with(update: Update, context: AmserContext, press: LogWith) -> None:
    """From an introduction: the other member, the introduction and its listing filled in."""
    member = await details.active_member(update, context)
    if member is None:
        return
    services = context.services
    intro = await services.introductions.get(press.introduction)
    if intro is None or not intro.involves(member.id):
        return
    other = await services.members.get(intro.other(member.id))
    note = await partner_problem(services, member, other) if other is not None else None
    answers = LogAnswers()
    if other is not None and note is None:
        answers = LogAnswers(
            other_id=other.id, introduction_id=intro.id, listing_id=intro.listing_id
        )
    await _start_below(update, context, member, answers, note)


async def _start_below(
    update: Update,
    context: AmserContext,
    member: Member,
    answers: LogAnswers,
    note: str | None = None,
) -> None:
    """Start from a button as a new message, so the menu or the introduction stays as it was."""
    await forms.start(update, context, member, LOG, answers, note=note, new=True)


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("log", log_command, filters.ChatType.PRIVATE))
    add_presses(app, {StartLog: on_start, LogWith: on_log_with})
    forms.register(app, LOG)
    confirm.register(app)
    change.register(app)
