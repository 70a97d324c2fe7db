"""What members read about an exchange waiting for an answer: the card with Confirm, Change the
time and Something's wrong, where an exchange stands, and why one waits for a coordinator's yes.
Shared by the buttons (confirm.py) and the notices (notices.py)."""

from __future__ import annotations

from bot.domain import N_
from bot.runtime.context import Services
from bot.runtime.i18n import Translator
from handlers.buttons import Buttons
from handlers.common import Screen, keyboard, tr_for
from handlers.credit_common import exchange_told, hours_words, name_of, what_became_of_it
from handlers.log.buttons import ChangeTime, Confirm, SomethingWrong
from storage.ledger import State, Transfer
from storage.members import Member


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


def card_heading(tr: Translator, creator: Member | None) -> str:
    return tr.gettext("<b>{name} has logged time with you.</b>").format(name=name_of(creator, tr))


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


def approval_text(
    services: Services, tr: Translator, transfer: Transfer, viewer_id: int, other: Member | None
) -> str:
    """Both agreed, but the member helped would go beyond the floor: why a coordinator looks."""
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
