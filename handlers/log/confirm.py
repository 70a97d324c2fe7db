"""The other member's answer to a logged exchange: Confirm, Change the time (change.py),
Something's wrong; and the follow-ups when nobody answers (reminders at 2 and 5 days, a
coordinator at 7).

One live card per exchange: every press is checked again on arrival (only the member asked,
only while the exchange waits for them), and a press on a card whose exchange has moved on
turns that card into where the exchange stands, without buttons.
"""

from __future__ import annotations

from telegram import Update

from bot.domain import N_
from bot.domain.ledger import FollowUp, follow_up_schedule
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers import details
from handlers.buttons import ButtonData, Buttons, add_presses
from handlers.common import Row, Screen, deliver, keyboard, show, tr_for
from handlers.coordinators.exchanges import tell_coordinators
from handlers.credit_common import (
    balance_line,
    button_name,
    exchange_told,
    hours_words,
    name_of,
    what_became_of_it,
    what_happened,
)
from handlers.menu import back_to_menu
from storage.due_work import DueItem
from storage.ledger import Outcome, State, Transfer
from storage.members import Member

FOLLOW_UP_KIND = "exchange_follow_up"
ANSWERS_SHOWN = 3  # buttons on /balance to the exchanges waiting for the member's answer


class Confirm(ButtonData, prefix="xc:ok"):
    transfer: int


class ChangeTime(ButtonData, prefix="xc:chg"):
    """Handled in change.py: it starts the "change" form."""

    transfer: int


class SomethingWrong(ButtonData, prefix="xc:bad"):
    transfer: int


class AskCoordinator(ButtonData, prefix="xc:dis"):
    transfer: int


class ShowCard(ButtonData, prefix="xc:show"):
    transfer: int


# --- what each member reads --------------------------------------------------------------------


def answer_screen(
    services: Services, transfer: Transfer, viewer: Member, creator: Member | None, heading: str
) -> Screen:
    """Confirm / Change the time / Something's wrong, for the member asked to confirm."""
    tr = tr_for(services, viewer)
    _ = tr.gettext
    b = Buttons(services, viewer.telegram_id or 0)
    # What the member who logged it says, as this member reads it.
    claim = exchange_told(
        services,
        tr,
        transfer,
        viewer.id,
        creator,
        gave=N_("{name} says you helped them for {hours}, {day}."),
        received=N_("{name} says they helped you for {hours}, {day}."),
    )
    text = "\n".join([heading, claim, "", _("Is that right?")])
    return Screen(
        text,
        keyboard(
            [b(_("✅ Confirm"), Confirm(transfer.id))],
            [b(_("🕒 Change the time"), ChangeTime(transfer.id))],
            [b(_("⚠️ Something's wrong"), SomethingWrong(transfer.id))],
        ),
    )


def state_text(tr: Translator, transfer: Transfer, other: Member | None) -> str:
    """Where an exchange stands, for a button pressed after it has moved on."""
    _ = tr.gettext
    if transfer.state is State.CONFIRMED:
        return _("This exchange is confirmed. Thank you!")
    if transfer.state is State.DECLINED:
        return _("This exchange was changed or turned down, so it won't be recorded.")
    if transfer.state is State.DISPUTED:
        return _("A coordinator is looking at this exchange and will be in touch.")
    if transfer.state is State.EXPIRED:
        return _("This exchange wasn't confirmed within a week, so a coordinator is looking at it.")
    if transfer.state is State.REVERSED:
        return _("A coordinator has reversed this exchange.")
    if transfer.needs_approval:
        return _("This exchange is waiting for a coordinator's yes.")
    return _("This exchange is waiting for {name} to confirm it.").format(name=name_of(other, tr))


# --- asking, and following up ------------------------------------------------------------------


async def ask_to_confirm(sender: AmserContext | AmserApplication, transfer: Transfer) -> None:
    """Send the exchange to the member who should answer it, and plan the follow-ups."""
    services = sender.services
    asked = await services.members.get(transfer.awaiting)
    creator = await services.members.get(transfer.created_by)
    if asked is not None and asked.telegram_id is not None:
        tr = tr_for(services, asked)
        heading = card_heading(tr, creator)
        await deliver(sender, asked, answer_screen(services, transfer, asked, creator, heading))
    schedule = follow_up_schedule(transfer.created_at)
    await services.due_work.schedule(
        _follow_up_key(transfer.id),
        FOLLOW_UP_KIND,
        schedule.first_reminder,
        payload={"transfer": transfer.id},
    )


def _follow_up_key(transfer_id: int) -> str:
    return f"exchange-follow-up:{transfer_id}"


async def stop_following_up(services: Services, transfer_id: int) -> None:
    await services.due_work.cancel(_follow_up_key(transfer_id))


async def follow_up(app: AmserApplication, item: DueItem) -> None:
    """Remind the member who should answer; after a week, hand it to the coordinators."""
    services = app.services
    transfer = await services.ledger.get(int(item.payload.get("transfer", 0)))
    if transfer is None or transfer.awaiting is None:
        return  # answered, changed or settled since: nothing to follow up
    now = services.clock.now()
    schedule = follow_up_schedule(transfer.created_at)
    step = schedule.due(now)
    if step is FollowUp.HAND_OVER:
        await _hand_over(app, transfer)
        return
    if step is not None:
        asked = await services.members.get(transfer.awaiting)
        creator = await services.members.get(transfer.created_by)
        if asked is not None and asked.telegram_id is not None:
            tr = tr_for(services, asked)
            days = (now - transfer.created_at).days
            heading = tr.ngettext(
                "<b>A gentle reminder:</b> {name} logged this {days} day ago and is waiting "
                "for your answer.",
                "<b>A gentle reminder:</b> {name} logged this {days} days ago and is waiting "
                "for your answer.",
                days,
            ).format(name=name_of(creator, tr), days=days)
            await deliver(app, asked, answer_screen(services, transfer, asked, creator, heading))
    upcoming = schedule.next_after(now)
    if upcoming is not None:
        await services.due_work.schedule(
            item.key, FOLLOW_UP_KIND, upcoming[1], payload={"transfer": transfer.id}
        )


async def _hand_over(app: AmserApplication, transfer: Transfer) -> None:
    services = app.services
    result = await services.ledger.expire(transfer.id, services.clock.now())
    if result.outcome is not Outcome.DONE:
        return
    for member_id in (transfer.from_member_id, transfer.to_member_id):
        member = await services.members.get(member_id)
        if member is None:
            continue
        tr = tr_for(services, member)
        other = await services.members.get(transfer.other(member.id))
        then = tr.gettext(
            "This wasn't confirmed within a week, so I've passed it to a coordinator, "
            "who will sort it out with you. Nothing has been added or taken away yet."
        )
        text = what_became_of_it(services, tr, transfer, member.id, other, then)
        await deliver(app, member, Screen(text))
    await tell_coordinators(app, result.transfer)


# --- the buttons -------------------------------------------------------------------------------


def card_heading(tr: Translator, creator: Member | None) -> str:
    return tr.gettext("<b>{name} has logged time with you.</b>").format(name=name_of(creator, tr))


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
    result = await services.ledger.confirm(
        transfer.id, member.id, now, floor=services.config.balance_floor_minutes
    )
    transfer = result.transfer
    other = await services.members.get(transfer.other(member.id))
    if result.outcome is Outcome.NOT_ALLOWED or result.outcome is Outcome.TOO_LATE:
        await show(update, context, Screen(state_text(tr, transfer, other)))
        return
    if transfer.needs_approval:
        await _waiting_for_approval(update, context, member, other, transfer, result.changed)
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
    if result.outcome is not Outcome.DONE:
        return  # a double tap: the other member was told the first time
    await stop_following_up(services, transfer.id)
    if other is not None:
        other_tr = tr_for(services, other)
        text = "\n".join(
            [
                other_tr.gettext("✅ <b>{name} has confirmed your exchange.</b>").format(
                    name=name_of(member, other_tr)
                ),
                what_happened(services, other_tr, transfer, other.id, member),
                "",
                balance_line(other_tr, await services.ledger.balance(other.id)),
            ]
        )
        await deliver(context, other, Screen(text))


async def _waiting_for_approval(
    update: Update,
    context: AmserContext,
    member: Member,
    other: Member | None,
    transfer: Transfer,
    first_time: bool,
) -> None:
    """Both agreed, but the member helped would go beyond the floor: a coordinator says yes."""
    services = context.services
    tr = tr_for(services, member)
    await show(update, context, Screen(_approval_text(services, tr, transfer, member.id, other)))
    if not first_time:
        return
    await stop_following_up(services, transfer.id)
    if other is not None:
        other_tr = tr_for(services, other)
        await deliver(
            context, other, Screen(_approval_text(services, other_tr, transfer, other.id, member))
        )
    await tell_coordinators(context, transfer)


def _approval_text(
    services: Services, tr: Translator, transfer: Transfer, viewer_id: int, other: Member | None
) -> str:
    _ = tr.gettext
    floor = hours_words(tr, services.config.balance_floor_minutes)
    if transfer.from_member_id == viewer_id:
        why = _(
            "You've both agreed, thank you. Recording it would take your balance beyond the "
            "community's limit of {floor}, so a coordinator will have a quick look and say yes. "
            "There's no shame in receiving help: everyone gives and receives in turn."
        ).format(floor=floor)
    else:
        why = _(
            "You've both agreed, thank you. It would take {name}'s balance beyond the "
            "community's limit of {floor}, so a coordinator will have a quick look and say yes. "
            "I'll let you know."
        ).format(name=name_of(other, tr), floor=floor)
    return what_became_of_it(services, tr, transfer, viewer_id, other, why)


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
    result = await services.ledger.dispute(transfer.id, member.id, services.clock.now())
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
    if result.outcome is not Outcome.DONE:
        return
    await stop_following_up(services, transfer.id)
    if other is not None:
        other_tr = tr_for(services, other)
        then = other_tr.gettext(
            "{name} says something isn't quite right with this, so a coordinator will "
            "help you both sort it out. Nothing has been added or taken away yet."
        ).format(name=name_of(member, other_tr))
        text = what_became_of_it(services, other_tr, transfer, other.id, member, then)
        await deliver(context, other, Screen(text))
    await tell_coordinators(context, result.transfer)


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
    app.due_work_runner.register(FOLLOW_UP_KIND, follow_up)
