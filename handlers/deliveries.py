"""/deliveries: what the bot could not send, for coordinators, and trying it again."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.domain.permissions import Action
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers.admin import admin_language, refused
from handlers.buttons import ButtonData, Buttons, add_presses
from handlers.common import Screen, keyboard, say, show, user_id
from storage.outbox import OutboxItem, State

COMMANDS = (Command("deliveries", N_("Messages the bot could not send"), Action.DELIVERIES),)
SHOWN = 10


class RetryFailed(ButtonData, prefix="dlv:retry"):
    pass


async def _translator(update: Update, context: AmserContext) -> Translator:
    services = context.services
    admin = await services.members.by_telegram_id(user_id(update))
    return services.catalogs[admin_language(services, admin)]


async def report(services: Services, tr: Translator, admin_id: int) -> Screen:
    _ = tr.gettext
    counts = await services.outbox.counts()
    lines = [
        _("<b>Deliveries</b>"),
        _("Waiting to be sent: {count}").format(count=counts[State.PENDING]),
        _("Could not be sent: {count}").format(count=counts[State.FAILED]),
        _("To members who have blocked the bot: {count}").format(count=counts[State.UNREACHABLE]),
    ]
    problems = await services.outbox.problems(SHOWN)
    if problems:
        lines += ["", _("Most recent:")]
        lines += [await _line(services, tr, item) for item in problems]
    markup = None
    if counts[State.FAILED]:
        b = Buttons(services, admin_id)
        markup = keyboard([b(_("Try the failed ones again"), RetryFailed())])
    return Screen("\n".join(lines), markup)


async def _line(services: Services, tr: Translator, item: OutboxItem) -> str:
    _ = tr.gettext
    member = await services.members.get(item.member_id)
    who = (
        _("member {number}").format(number=member.id)
        if member is not None
        else _("chat {number}").format(number=item.chat_id)
    )
    when = item.created_at.astimezone(services.config.timezone).strftime("%d/%m %H:%M")
    if item.state == State.UNREACHABLE:
        why = _("blocked the bot")
    else:
        why = _("failed after {count} tries").format(count=item.attempts)
    return f"• {when} · {item.purpose} · {who} · {why}"


async def deliveries_command(update: Update, context: AmserContext) -> None:
    if await refused(update, context, Action.DELIVERIES):
        return
    tr = await _translator(update, context)
    await say(update, context, await report(context.services, tr, user_id(update)))


async def on_retry(update: Update, context: AmserContext, press: RetryFailed) -> None:
    if await refused(update, context, Action.DELIVERIES):
        return
    services = context.services
    tr = await _translator(update, context)
    count = await services.outbox.retry_failed(services.clock.now())
    screen = await report(services, tr, user_id(update))
    note = tr.ngettext(
        "{count} message is being tried again.", "{count} messages are being tried again.", count
    ).format(count=count)
    await show(update, context, screen.after(note))


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("deliveries", deliveries_command, filters.ChatType.PRIVATE))
    add_presses(app, {RetryFailed: on_retry})
