"""/exchanges, the coordinators' queue: exchanges someone said were wrong, ones nobody
confirmed within a week, and ones beyond the balance floor. A coordinator records them or not,
and both members are told. The card pressed is edited to say what was decided, so no stale
button is left on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.domain.ledger import follow_up_schedule
from bot.domain.permissions import Action
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers.access import allowed
from handlers.audit.log import transfer_audited
from handlers.buttons import ButtonData, Buttons, add_presses
from handlers.common import (
    Screen,
    current_member,
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
    day_words,
    hours_words,
    name_of,
    notice_transfer,
    today,
)
from handlers.notices import Recipient, register_notice
from storage.audit import AuditAction
from storage.effects import Audit
from storage.ledger import Outcome, Result, Settlement, State, Transfer
from storage.members import Member
from storage.outbox import Notice, OutboxItem

COMMANDS = (Command("exchanges", N_("Exchanges waiting for a coordinator"), Action.MANAGE_CREDITS),)

QUEUE_SHOWN = 10

CARD = "exchange.card"  # an exchange for the coordinators to decide, with its buttons
DECIDED = "exchange.decided"  # to both members: what a coordinator decided


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
    elif transfer.state is State.EXPIRED and _handed_over_early(transfer):
        asked = await services.members.get(transfer.other(transfer.created_by or 0))
        lines.append(
            _("{name} couldn't be reached on Telegram to confirm it.").format(
                name=name_of(asked, tr)
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


def _handed_over_early(transfer: Transfer) -> bool:
    """Expired before its week was up: the member asked couldn't be reached."""
    return transfer.updated_at < follow_up_schedule(transfer.created_at).hand_over


def waits_for_coordinator(transfer: Transfer) -> bool:
    if transfer.state in (State.DISPUTED, State.EXPIRED):
        return True
    return transfer.state is State.PENDING and transfer.needs_approval


def tell_coordinators(coordinators: Sequence[int], transfer: Transfer) -> list[Notice]:
    """An exchange's card for every coordinator who deals with credits (`credit_coordinators`),
    for the outbox: queue them with the change that puts it in their queue (they go by Telegram
    id, joined or not)."""
    return [
        Notice(
            CARD, chat_id=telegram_id, about=transfer.id, key=f"{CARD}:{transfer.id}:{telegram_id}"
        )
        for telegram_id in coordinators
    ]


async def _card_notice(services: Services, recipient: Recipient, item: OutboxItem) -> Screen | None:
    transfer = await services.ledger.get(item.about or 0)
    if transfer is None or not waits_for_coordinator(transfer):
        return None  # decided meanwhile: nothing left to decide
    return await decision_card(services, transfer, recipient.chat_id, recipient.tr)


def tell_members(result: Result) -> list[Notice]:
    """Both members hear a coordinator's decision, once (not on a double tap)."""
    if result.outcome is not Outcome.DONE:
        return []
    transfer = result.transfer
    return [
        Notice(
            DECIDED,
            member_id=member_id,
            about=transfer.id,
            key=f"{DECIDED}:{transfer.id}:{member_id}",
        )
        for member_id in (transfer.from_member_id, transfer.to_member_id)
        if member_id is not None
    ]


def _audit(services: Services, coordinator: Member, result: Result) -> list[Audit]:
    """#SETTLE, once (not on a double tap): about the member who helped."""
    if result.outcome is not Outcome.DONE:
        return []
    transfer = result.transfer
    decision = "decline" if transfer.state is State.DECLINED else "confirm"
    return [
        transfer_audited(
            services,
            AuditAction.SETTLE,
            coordinator.id,
            transfer,
            transfer.to_member_id,
            decision=decision,
            helped=transfer.from_member_id,
        )
    ]


async def _decided_notice(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    found = await notice_transfer(services, recipient, item)
    if found is None:
        return None
    transfer, member = found
    return await decided(services, member, transfer)


async def exchanges_command(update: Update, context: AmserContext) -> None:
    services = context.services
    member = await current_member(update, context)
    if not await allowed(update, context, Action.MANAGE_CREDITS, member):
        return
    tr = translator(update, context, member)
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
        transfer_id,
        coordinator.id,
        decision,
        services.clock.now(),
        then=lambda result: [*tell_members(result), *_audit(services, coordinator, result)],
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


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("exchanges", exchanges_command, filters.ChatType.PRIVATE))
    add_presses(app, {RecordIt: on_record_it, DontRecordIt: on_dont_record_it})
    register_notice(app, CARD, _card_notice)
    register_notice(app, DECIDED, _decided_notice)
