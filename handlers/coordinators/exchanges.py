"""/exchanges, the coordinators' queue: exchanges someone said were wrong, ones nobody
confirmed within a week, and ones beyond the balance floor. A coordinator records them or not,
and both members are told. The card pressed is edited to say what was decided, so no stale
button is left on it.
"""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.domain.roles import Role
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers.buttons import ButtonData, Buttons, add_presses
from handlers.common import (
    Screen,
    current_member,
    deliver,
    deliver_to,
    keyboard,
    say,
    show,
    tr_for,
    translator,
    user_id,
)
from handlers.coordinators import shared
from handlers.coordinators.notices import decided
from handlers.credit_common import (
    credit_coordinators,
    day_words,
    hours_words,
    may_manage_credits,
    name_of,
    today,
)
from storage.ledger import Outcome, Settlement, State, Transfer

COMMANDS = (
    Command("exchanges", N_("Exchanges waiting for a coordinator"), Role.ADMIN, credit_tool=True),
)

QUEUE_SHOWN = 10


class RecordIt(ButtonData, prefix="xq:ok"):
    transfer: int


class DontRecordIt(ButtonData, prefix="xq:no"):
    transfer: int


async def _card_text(services: Services, transfer: Transfer, tr: Translator) -> str:
    """One exchange as a coordinator sees it: who, how long, when, and why it waits."""
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
    elif transfer.state is State.PENDING:  # agreed, but beyond the balance floor
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
    return "\n".join(lines)


async def decision_card(
    services: Services, transfer: Transfer, telegram_id: int, tr: Translator
) -> Screen:
    """One exchange as a coordinator sees it, with Record it / Don't record it."""
    _ = tr.gettext
    b = Buttons(services, telegram_id)
    return Screen(
        await _card_text(services, transfer, tr),
        keyboard(
            [b(_("✅ Record it"), RecordIt(transfer.id))],
            [b(_("✖️ Don't record it"), DontRecordIt(transfer.id))],
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


async def on_record_it(update: Update, context: AmserContext, press: RecordIt) -> None:
    await _decide(update, context, press.transfer, Settlement.CONFIRM)


async def on_dont_record_it(update: Update, context: AmserContext, press: DontRecordIt) -> None:
    await _decide(update, context, press.transfer, Settlement.DECLINE)


async def _decide(
    update: Update, context: AmserContext, transfer_id: int, decision: Settlement
) -> None:
    """Who may decide is checked again on arrival; the card then says what became of it."""
    services = context.services
    if (coordinator := await shared.coordinator(update, context)) is None:
        return
    tr = tr_for(services, coordinator)
    _ = tr.gettext
    before = await services.ledger.get(transfer_id)
    if before is None:
        await show(update, context, Screen(_("This exchange has already been decided.")))
        return
    card = await _card_text(services, before, tr)  # as it stood when the button was pressed
    result = await services.ledger.settle(
        transfer_id, coordinator.id, decision, services.clock.now()
    )
    transfer = result.transfer
    if result.outcome is Outcome.NOT_ALLOWED:
        outcome = _("This exchange is yours, so another coordinator needs to decide it.")
    elif result.outcome is Outcome.TOO_LATE:
        outcome = _("This exchange has already been decided.")
    elif transfer.state is State.CONFIRMED:
        outcome = _("✅ Recorded. Both members have been told. Thank you.")
    else:
        outcome = _("Not recorded. Both members have been told. Thank you.")
    await show(update, context, Screen(f"{card}\n\n<b>{outcome}</b>"))
    if result.outcome is Outcome.DONE:
        for member_id in (transfer.from_member_id, transfer.to_member_id):
            member = await services.members.get(member_id)
            if member is not None:
                await deliver(context, member, await decided(services, member, transfer))


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("exchanges", exchanges_command, filters.ChatType.PRIVATE))
    add_presses(app, {RecordIt: on_record_it, DontRecordIt: on_dont_record_it})
