"""Change the time: the member asked to confirm an exchange says how long it was as they
remember it; the member who logged it is then asked to confirm the new time.

A small form ("change"): the time (buttons or typed), then a check with Send. « Back from the
time, and Cancel, go back to the exchange's card.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update

from bot.runtime.context import AmserApplication, AmserContext, Services
from handlers import details, forms
from handlers.buttons import add_presses
from handlers.common import Screen, keyboard, tr_for
from handlers.credit_common import button_name, hours_words, name_of
from handlers.credit_steps import Review, Send, amount_step, keep, review_step
from handlers.forms import Form, Turn
from handlers.log import confirm, notices
from handlers.log.buttons import ChangeTime
from handlers.menu import back_to_menu
from storage.ledger import Outcome, Transfer
from storage.members import Member


@dataclass(frozen=True)
class ChangeAnswers:
    transfer_id: int | None = None
    minutes: int | None = None


async def _transfer(turn: Turn[ChangeAnswers]) -> Transfer | None:
    """The exchange, if it still waits for this member's answer."""
    transfer = await turn.services.ledger.get(turn.answers.transfer_id or 0)
    if transfer is None or transfer.awaiting != turn.member.id:
        return None
    return transfer


async def _leave(turn: Turn[ChangeAnswers], note: str | None = None) -> None:
    """Back to the exchange's card (or where it stands now, if it has moved on)."""
    services = turn.services
    transfer = await services.ledger.get(turn.answers.transfer_id or 0)
    if transfer is None or not transfer.involves(turn.member.id):
        await turn.close(Screen(turn.gettext("Okay, nothing was changed.")))
        return
    if transfer.awaiting == turn.member.id:
        screen = await confirm.card(services, transfer, turn.member)
    else:
        screen = await confirm.where_it_stands(services, transfer, turn.member)
    await turn.close(screen.after(note) if note else screen)


async def _question(turn: Turn[ChangeAnswers]) -> str:
    _ = turn.gettext
    transfer = await _transfer(turn)
    said = transfer.amount if transfer is not None else 0
    return "\n".join(
        [
            _("How long was it, as you remember it? (They said {hours}.)").format(
                hours=hours_words(turn.tr, said)
            ),
            _("Tap the hours, or type it, for example 1½ or 90 min."),
        ]
    )


async def _choose(turn: Turn[ChangeAnswers], minutes: int) -> None:
    transfer = await _transfer(turn)
    if transfer is None:
        await _leave(turn)
    elif minutes == transfer.amount:
        note = turn.gettext("That's the time they said. If it's right, please tap Confirm.")
        await _leave(turn, note)
    else:
        await keep(turn, "minutes", minutes)


async def _ask_check(turn: Turn[ChangeAnswers]) -> Review:
    _ = turn.gettext
    transfer = await _transfer(turn)
    creator = await turn.services.members.get(transfer.created_by if transfer else None)
    text = _(
        "<b>Please check:</b> {name} said {theirs}; you remember {yours}. I'll ask {name} "
        "whether {yours} is right."
    ).format(
        name=name_of(creator, turn.tr),
        theirs=hours_words(turn.tr, transfer.amount if transfer else 0),
        yours=hours_words(turn.tr, turn.answers.minutes or 0),
    )
    return Review(text, _("✅ Send to {name}").format(name=button_name(creator, turn.tr)))


async def _send(turn: Turn[ChangeAnswers], press: Send) -> None:
    services = turn.services
    transfer = await _transfer(turn)  # authorised again: still theirs to answer
    if transfer is None or not turn.answers.minutes:
        await _leave(turn)
        return
    result = await services.ledger.counter(
        transfer.id,
        turn.member.id,
        turn.answers.minutes,
        services.clock.now(),
        then=notices.countered,
    )
    if result.outcome not in (Outcome.DONE, Outcome.ALREADY):
        await _leave(turn)
        return
    proposal = result.transfer
    await turn.finish(await _thanks(services, turn.member, proposal), outcome=proposal.id)


async def _thanks(services: Services, member: Member, proposal: Transfer) -> Screen:
    tr = tr_for(services, member)
    creator = await services.members.get(proposal.other(member.id))
    text = tr.gettext("Thank you. I've asked {name} whether {hours} is right.").format(
        name=name_of(creator, tr), hours=hours_words(tr, proposal.amount)
    )
    return Screen(text, keyboard(back_to_menu(services, member)))


async def _sent_already(turn: Turn[ChangeAnswers]) -> None:
    proposal = await turn.services.ledger.get(turn.form.outcome or 0)
    if proposal is None:
        await _leave(turn)
        return
    await turn.show(await _thanks(turn.services, turn.member, proposal))


async def _back_to_card(turn: Turn[ChangeAnswers]) -> None:
    await _leave(turn)


async def _nothing_changed(turn: Turn[ChangeAnswers]) -> None:
    await _leave(turn, turn.gettext("Okay, nothing was changed."))


CHANGE = Form(
    name="change",
    command="start",
    answers=ChangeAnswers,
    who=details.active_member,
    steps=(
        amount_step(_question, name="minutes", take=_choose),
        review_step(_ask_check, _send, name="check"),
    ),
    back_out=_back_to_card,
    cancel=_nothing_changed,
    finished=_sent_already,
)


async def on_change_time(update: Update, context: AmserContext, press: ChangeTime) -> None:
    """🕒 Change the time, on the card: only the member asked, only while it waits for them."""
    found = await confirm.awaited(update, context, press.transfer)
    if found is not None:
        member, transfer = found
        await forms.start(update, context, member, CHANGE, ChangeAnswers(transfer_id=transfer.id))


def register(app: AmserApplication) -> None:
    add_presses(app, {ChangeTime: on_change_time})
    forms.register(app, CHANGE)
