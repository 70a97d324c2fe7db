"""The coordinators' queue: exchanges someone said were wrong, ones nobody confirmed within a
week, and ones beyond the balance floor; a coordinator records them or not, and both are told.

Button data (each signed for its recipient):  xq:ok|no:<transfer>
"""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.domain.membership import Status
from bot.domain.roles import Role
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers.common import (
    Buttons,
    Screen,
    button_handler,
    current_member,
    deliver,
    deliver_to,
    keyboard,
    say,
    show,
    translator,
    user_id,
)
from handlers.credit_common import (
    balance_line,
    credit_coordinators,
    day_words,
    hours_words,
    may_manage_credits,
    name_of,
    today,
    what_happened,
)
from storage.ledger import Outcome, Settlement, State, Transfer

COMMANDS = (
    Command("exchanges", N_("Exchanges waiting for a coordinator"), Role.ADMIN, credit_tool=True),
)

QUEUE_SHOWN = 10


async def decision_card(
    services: Services, transfer: Transfer, telegram_id: int, tr: Translator
) -> Screen:
    """One exchange as a coordinator sees it, with Record it / Don't record it."""
    _ = tr.gettext
    helper = await services.members.get(transfer.to_member_id)
    helped = await services.members.get(transfer.from_member_id)
    lines = [
        _("<b>An exchange for a coordinator to decide</b>"),
        _("{helper} helped {helped} for {hours}, {day}.").format(
            helper=name_of(helper, tr),
            helped=name_of(helped, tr),
            hours=hours_words(tr, transfer.amount),
            day=day_words(tr, transfer.happened_on, today(services)),
        ),
        _("Logged by {name}.").format(
            name=name_of(await services.members.get(transfer.created_by), tr)
        ),
    ]
    if transfer.note:
        lines.append(_("What for: {note}").format(note=escape(transfer.note)))
    lines.append("")
    if transfer.state is State.DISPUTED:
        lines.append(
            _("{name} said something isn't right.").format(
                name=name_of(await services.members.get(transfer.disputed_by), tr)
            )
        )
    elif transfer.state is State.EXPIRED:
        lines.append(_("Nobody confirmed it within a week."))
    else:
        balance = await services.ledger.balance(transfer.from_member_id or 0)
        lines.append(
            _(
                "They both agreed, but it would take {name}'s balance from {before} to {after}, "
                "beyond the limit of {floor}."
            ).format(
                name=name_of(helped, tr),
                before=hours_words(tr, balance),
                after=hours_words(tr, balance - transfer.amount),
                floor=hours_words(tr, services.config.balance_floor_minutes),
            )
        )
    b = Buttons(services, telegram_id)
    return Screen(
        "\n".join(lines),
        keyboard(
            [b(_("✅ Record it"), "xq", "ok", transfer.id)],
            [b(_("✖️ Don't record it"), "xq", "no", transfer.id)],
        ),
    )


async def _coordinator_tr(services: Services, telegram_id: int) -> Translator:
    """A coordinator's language; English for one named in the config who has not joined yet."""
    member = await services.members.by_telegram_id(telegram_id)
    return services.catalogs[member.language if member else "en"]


async def tell_coordinators(sender: AmserContext | AmserApplication, transfer: Transfer) -> None:
    """Put an exchange in front of every coordinator who deals with credits."""
    services = sender.services
    for telegram_id in credit_coordinators(services):
        tr = await _coordinator_tr(services, telegram_id)
        card = await decision_card(services, transfer, telegram_id, tr)
        await deliver_to(sender, telegram_id, card)


async def exchanges_command(update: Update, context: AmserContext) -> None:
    services = context.services
    tr = translator(update, context, await current_member(update, context))
    if not may_manage_credits(services, user_id(update)):
        await say(update, context, Screen(tr.gettext("Sorry, only coordinators can do that.")))
        return
    waiting = await services.ledger.for_coordinators(limit=QUEUE_SHOWN)
    if not waiting:
        await say(update, context, Screen(tr.gettext("No exchanges are waiting for a decision.")))
        return
    for transfer in waiting:
        await say(update, context, await decision_card(services, transfer, user_id(update), tr))


async def on_queue_button(update: Update, context: AmserContext, parts: list[str]) -> None:
    services = context.services
    coordinator = await current_member(update, context)
    tr = translator(update, context, coordinator)
    _ = tr.gettext
    if not may_manage_credits(services, user_id(update)):
        await say(update, context, Screen(_("Sorry, only coordinators can do that.")))
        return
    if coordinator is None or coordinator.status is not Status.ACTIVE:
        await say(
            update,
            context,
            Screen(_("Please finish joining with /start first, so members know who decided.")),
        )
        return
    if len(parts) != 2 or parts[0] not in ("ok", "no") or not parts[1].isdigit():
        return
    decision = Settlement.CONFIRM if parts[0] == "ok" else Settlement.DECLINE
    result = await services.ledger.settle(
        int(parts[1]), coordinator.id, decision, services.clock.now()
    )
    transfer = result.transfer
    if result.outcome is Outcome.NOT_ALLOWED:
        await show(
            update,
            context,
            Screen(_("This exchange is yours, so another coordinator needs to decide it.")),
        )
        return
    if result.outcome is Outcome.TOO_LATE:
        await show(update, context, Screen(_("This exchange has already been decided.")))
        return
    if transfer.state is State.CONFIRMED:
        done = _("✅ Recorded. Both members have been told. Thank you.")
    else:
        done = _("Not recorded. Both members have been told. Thank you.")
    await show(update, context, Screen(done))
    if result.outcome is Outcome.DONE:
        await _tell_members(context, transfer)


async def _tell_members(context: AmserContext, transfer: Transfer) -> None:
    services = context.services
    for member_id in (transfer.from_member_id, transfer.to_member_id):
        member = await services.members.get(member_id)
        if member is None:
            continue
        tr = services.catalogs[member.language]
        other = await services.members.get(transfer.other(member.id))
        lines = [what_happened(services, tr, transfer, member.id, other), ""]
        if transfer.state is State.CONFIRMED:
            lines.insert(0, tr.gettext("✅ <b>A coordinator has recorded this exchange.</b>"))
            lines.append(balance_line(tr, await services.ledger.balance(member.id)))
        else:
            lines.insert(0, tr.gettext("<b>A coordinator has decided not to record this.</b>"))
            lines.append(
                tr.gettext(
                    "Nothing was added or taken away. If you'd like to talk it over, please "
                    "contact a coordinator."
                )
            )
        await deliver(context, member, Screen("\n".join(lines)))


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("exchanges", exchanges_command, filters.ChatType.PRIVATE))
    app.add_handler(button_handler("xq", on_queue_button))
