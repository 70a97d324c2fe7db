"""The other member's answer to a logged exchange: Confirm, Change the time (change.py),
Something's wrong; and the follow-ups when nobody answers (reminders at 2 and 5 days, a gentle
nudge the member may turn off and held in quiet hours; a coordinator at 7 whatever they chose).

One live card per exchange: every press is checked again on arrival (only the member asked,
only while the exchange waits for them), and a press on a card whose exchange has moved on
turns that card into where the exchange stands, without buttons.
"""

from __future__ import annotations

from collections.abc import Iterable

from telegram import Update

from bot.domain.broadcasts import Hearing
from bot.domain.ledger import FollowUp, follow_up_schedule
from bot.runtime.context import AmserApplication, AmserContext, Services
from handlers import details
from handlers.buttons import Buttons, add_presses
from handlers.common import Row, Screen, keyboard, show, tr_for
from handlers.credit_common import (
    balance_line,
    button_name,
    credit_coordinators,
    hours_words,
    what_happened,
)
from handlers.log import notices
from handlers.log.buttons import AskCoordinator, ChangeTime, Confirm, ShowCard, SomethingWrong
from handlers.log.screens import answer_screen, approval_text, card_heading, state_text
from handlers.menu import back_to_menu
from handlers.notices import after_quiet_hours
from storage.due_work import DueItem
from storage.effects import Effect, Schedule
from storage.ledger import Outcome, Transfer
from storage.members import Member

ANSWERS_SHOWN = 3  # buttons on /balance to the exchanges waiting for the member's answer

# --- following up ------------------------------------------------------------------------------


async def follow_up(app: AmserApplication, item: DueItem) -> Iterable[Effect]:
    """Remind the member who should answer; after a week, hand it to the coordinators."""
    services = app.services
    transfer = await services.ledger.get(int(item.payload.get("transfer", 0)))
    if transfer is None or transfer.awaiting is None:
        return []  # answered, changed or settled since: nothing to follow up
    now = services.clock.now()
    schedule = follow_up_schedule(transfer.created_at)
    step = schedule.due(now)
    if step is FollowUp.HAND_OVER:
        coordinators = await credit_coordinators(services)
        await services.ledger.expire(
            transfer.id, now, then=lambda result: notices.handed_over(coordinators, result)
        )
        return []
    effects: list[Effect] = []
    asked = transfer.awaiting
    if step is not None and await services.preferences.wants(asked, Hearing.CONFIRM_REMINDERS):
        effects.append(notices.reminder(transfer, step, after_quiet_hours(services.config, now)))
    upcoming = schedule.next_after(now)
    if upcoming is not None:
        effects.append(
            Schedule(
                item.key,
                notices.FOLLOW_UP_KIND,
                upcoming[1],
                payload={"transfer": transfer.id},
            )
        )
    return effects


# --- the buttons -------------------------------------------------------------------------------


async def card(services: Services, transfer: Transfer, member: Member) -> Screen:
    """The card again, for the member asked: where « Back and Cancel of its screens lead."""
    creator = await services.members.get(transfer.created_by)
    return answer_screen(
        services, transfer, member, creator, card_heading(tr_for(services, member), creator)
    )


async def where_it_stands(services: Services, transfer: Transfer, member: Member) -> Screen:
    other = await services.members.get(transfer.other(member.id))
    return Screen(state_text(tr_for(services, member), transfer, other))


async def awaited(
    update: Update, context: AmserContext, transfer_id: int
) -> tuple[Member, Transfer] | None:
    """The member pressing and the exchange, if it is waiting for their answer. Otherwise the
    card pressed becomes where the exchange stands (its buttons gone), and None."""
    member = await details.active_member(update, context)
    if member is None:
        return None
    services = context.services
    transfer = await services.ledger.get(transfer_id)
    if transfer is None or not transfer.involves(member.id):
        return None
    if transfer.awaiting != member.id:
        await show(update, context, await where_it_stands(services, transfer, member))
        return None
    return member, transfer


async def on_confirm(update: Update, context: AmserContext, press: Confirm) -> None:
    member = await details.active_member(update, context)
    if member is None:
        return
    transfer = await context.services.ledger.get(press.transfer)
    # Checked by the ledger, not here: a double tap is told "confirmed" again, not refused.
    if transfer is not None and transfer.involves(member.id):
        await _confirm(update, context, member, transfer)


async def on_show(update: Update, context: AmserContext, press: ShowCard) -> None:
    found = await awaited(update, context, press.transfer)
    if found is not None:
        member, transfer = found
        await show(update, context, await card(context.services, transfer, member))


async def on_something_wrong(update: Update, context: AmserContext, press: SomethingWrong) -> None:
    found = await awaited(update, context, press.transfer)
    if found is not None:
        await _ask_before_disputing(update, context, *found)


async def on_ask_coordinator(update: Update, context: AmserContext, press: AskCoordinator) -> None:
    found = await awaited(update, context, press.transfer)
    if found is not None:
        member, transfer = found
        other = await context.services.members.get(transfer.other(member.id))
        await _dispute(update, context, member, transfer, other)


async def answer_rows(services: Services, member: Member) -> list[Row]:
    """For /balance: a button to the card of each exchange waiting for the member's answer."""
    tr = tr_for(services, member)
    b = Buttons(services, member.telegram_id or 0)
    waiting = [t for t in await services.ledger.pending_for(member.id) if t.awaiting == member.id]
    rows: list[Row] = []
    for transfer in waiting[:ANSWERS_SHOWN]:
        other = await services.members.get(transfer.other(member.id))
        label = tr.gettext("⏳ Answer {name}: {hours}").format(
            name=button_name(other, tr), hours=hours_words(tr, transfer.amount)
        )
        rows.append([b(label, ShowCard(transfer.id))])
    return rows


async def _confirm(
    update: Update, context: AmserContext, member: Member, transfer: Transfer
) -> None:
    services = context.services
    tr = tr_for(services, member)
    _ = tr.gettext
    now = services.clock.now()
    coordinators = await credit_coordinators(services)
    result = await services.ledger.confirm(
        transfer.id,
        member.id,
        now,
        floor=services.config.balance_floor_minutes,
        then=lambda result: notices.answered(coordinators, member.id, result),
    )
    transfer = result.transfer
    other = await services.members.get(transfer.other(member.id))
    if result.outcome is Outcome.NOT_ALLOWED or result.outcome is Outcome.TOO_LATE:
        await show(update, context, Screen(state_text(tr, transfer, other)))
        return
    if transfer.needs_approval:
        text = approval_text(services, tr, transfer, member.id, other)
        await show(update, context, Screen(text))
        return
    mine = what_happened(services, tr, transfer, member.id, other)
    balance = await services.ledger.balance(member.id)
    await show(
        update,
        context,
        Screen(
            "\n".join([_("✅ <b>Confirmed.</b> Thank you!"), mine, "", balance_line(tr, balance)]),
            keyboard(back_to_menu(services, member)),
        ),
    )


async def _ask_before_disputing(
    update: Update, context: AmserContext, member: Member, transfer: Transfer
) -> None:
    services = context.services
    tr = tr_for(services, member)
    _ = tr.gettext
    b = Buttons(services, member.telegram_id or 0)
    text = _(
        "If something isn't right about this exchange, a coordinator will look at it with you "
        "both. Nothing is added or taken away until they do. Ask a coordinator?"
    )
    await show(
        update,
        context,
        Screen(
            text,
            keyboard(
                [b(_("Yes, ask a coordinator"), AskCoordinator(transfer.id))],
                [b(_("🕒 It's only the time that's wrong"), ChangeTime(transfer.id))],
                [b(_("« Back"), ShowCard(transfer.id))],
            ),
        ),
    )


async def _dispute(
    update: Update, context: AmserContext, member: Member, transfer: Transfer, other: Member | None
) -> None:
    services = context.services
    tr = tr_for(services, member)
    coordinators = await credit_coordinators(services)
    result = await services.ledger.dispute(
        transfer.id,
        member.id,
        services.clock.now(),
        then=lambda result: notices.disputed(coordinators, member.id, result),
    )
    if result.outcome not in (Outcome.DONE, Outcome.ALREADY):
        await show(update, context, Screen(state_text(tr, result.transfer, other)))
        return
    await show(
        update,
        context,
        Screen(
            tr.gettext(
                "Thank you for telling me. A coordinator will look at it and be in touch. "
                "Nothing has been added or taken away."
            ),
            keyboard(back_to_menu(services, member)),
        ),
    )


def register(app: AmserApplication) -> None:
    add_presses(
        app,
        {
            Confirm: on_confirm,
            ShowCard: on_show,
            SomethingWrong: on_something_wrong,
            AskCoordinator: on_ask_coordinator,
        },
    )
    app.due_work_runner.register(notices.FOLLOW_UP_KIND, follow_up)
    notices.register(app)
