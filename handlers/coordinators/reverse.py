"""/reverse: a coordinator undoes a confirmed transfer. Nothing is deleted or edited: a
reversal is a new transfer the other way, with a reason, and both members are told.

Steps: whose transfer (suspended members are found too: undoing their transfers is a main
use), which of their confirmed transfers (paged, latest first), why, and a review whose
Reverse button undoes it once, however often it is pressed or by however many coordinators.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from html import escape

from babel.dates import format_date

from bot.domain import N_
from bot.domain.membership import Status
from bot.domain.permissions import Action
from bot.domain.text import NAME_MAX
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication
from bot.runtime.i18n import Translator
from handlers.audit.log import transfer_audited
from handlers.common import Row, Screen, keyboard
from handlers.coordinators import shared
from handlers.coordinators.notices import REVERSED, told, transfer_summary
from handlers.credit_common import babel_locale, hours_words, name_of, today
from handlers.credit_steps import Review, Send, Who, reason_step, review_step
from handlers.forms import Form, FormButton, Step, Turn
from storage.audit import AuditAction
from storage.ledger import AccountKind, HistoryItem, NotEnough, Outcome, State, Transfer
from storage.ledger import TransferKind as Kind
from storage.members import Member

COMMANDS = (
    Command("reverse", N_("Undo a confirmed transfer, with a reason"), Action.MANAGE_CREDITS),
)

PAGE = 6  # transfers per page
WHOSE = (Status.ACTIVE, Status.SUSPENDED)
UNDOABLE = tuple(kind for kind in Kind if kind is not Kind.REVERSAL)  # a reversal stays


@dataclass(frozen=True)
class ReverseAnswers(shared.Searching):
    member: int | None = None
    transfer: int | None = None
    reason: str | None = None


class Undo(FormButton, prefix="rv:pick"):
    transfer: int


# --- whose -----------------------------------------------------------------------------------


async def _ask_member(turn: Turn[ReverseAnswers]) -> Screen:
    question = turn.gettext(
        "<b>Undo a transfer</b>\nNothing is deleted: I'll add a transfer the other way, "
        "with your reason, and let the members know.\n\n"
        "Whose transfer is it? Please type part of their name."
    )
    return await shared.member_question(turn, question, partial(Who, turn.form.id), statuses=WHOSE)


async def _whose(turn: Turn[ReverseAnswers], press: Who) -> None:
    member = await shared.chosen(turn, press.member, WHOSE)
    if member is not None:
        await turn.save(member=member.id, transfer=None, typed=None, typed_at=None)
        await turn.next()


async def _another_name(turn: Turn[ReverseAnswers], words: str) -> None:
    """A name typed under the list of transfers: search again."""
    await turn.save(typed=words, typed_at="member")
    await turn.go("member")


# --- which transfer --------------------------------------------------------------------------


def _item_label(tr: Translator, item: HistoryItem) -> str:
    """A transfer as a button (plain text): "24 Nov: 2 hours with Tom"."""
    _ = tr.gettext
    kind = item.other_account_kind
    if kind is AccountKind.POT:
        text = _("{day}: {hours} with the community pot")
    elif kind is AccountKind.ISSUANCE:
        text = _("{day}: {hours} of starter credits")
    elif kind is AccountKind.ORGANISATION:
        text = _("{day}: {hours} from {name}")
    elif item.other_erased or not item.other_name:
        text = _("{day}: {hours} with a former member")
    else:
        text = _("{day}: {hours} with {name}")
    return text.format(
        day=format_date(item.transfer.happened_on, "d MMM", locale=babel_locale(tr)),
        hours=hours_words(tr, item.minutes),
        name=item.other_name or "—",
    )


async def _ask_transfer(turn: Turn[ReverseAnswers]) -> Screen:
    """The member's confirmed transfers, latest first, as buttons to pick one to undo."""
    tr = turn.tr
    _ = tr.gettext
    services = turn.services
    member = await services.members.get(turn.answers.member)
    page = max(turn.page, 0)
    found = await services.ledger.history(
        turn.answers.member or 0, page * PAGE, PAGE, (State.CONFIRMED,), UNDOABLE
    )
    if not found.items and page > 0:  # an old button, and the list is shorter now
        page = 0
        found = await services.ledger.history(
            turn.answers.member or 0, 0, PAGE, (State.CONFIRMED,), UNDOABLE
        )
    if not found.items:
        text = _("{name} has no confirmed transfers to undo.").format(name=name_of(member, tr))
        return Screen(text)
    rows: list[Row] = [
        [turn.b(_item_label(tr, item), Undo(turn.form.id, item.transfer.id))]
        for item in found.items
    ]
    paging: Row = [
        *([turn.page_button(_("« Newer"), page - 1)] if page > 0 else []),
        *([turn.page_button(_("Older »"), page + 1)] if found.has_more else []),
    ]
    text = _(
        "<b>{name}'s confirmed transfers</b>, latest first. Tap the one to undo, "
        "or type another name."
    ).format(name=name_of(member, tr))
    return Screen(text, keyboard(*rows, paging))


def _problem(
    tr: Translator, me: Member, transfer: Transfer | None, member_id: int | None
) -> str | None:
    """Why this transfer can't be undone from this form, kindly; None if it can. Whether the
    pot can give back a gift is checked when undoing it, in the same transaction."""
    _ = tr.gettext
    if transfer is not None and transfer.state is State.REVERSED:
        return _already_undone(tr)
    if (
        transfer is None
        or member_id is None
        or not transfer.involves(member_id)
        or transfer.state is not State.CONFIRMED
        or transfer.kind is Kind.REVERSAL
    ):
        return _("That transfer can't be undone any more. Please choose another.")
    if transfer.involves(me.id):
        return _("That's yours! Another coordinator will need to undo it for you.")
    return None


def _already_undone(tr: Translator) -> str:
    return tr.gettext("That transfer has already been undone, so nothing more has changed.")


async def _undo(turn: Turn[ReverseAnswers], press: Undo) -> None:
    transfer = await turn.services.ledger.get(press.transfer)
    problem = _problem(turn.tr, turn.member, transfer, turn.answers.member)
    if problem is not None or transfer is None:
        await turn.ask(note=problem)
        return
    await turn.save(transfer=transfer.id)
    await turn.next()


# --- why, and the review ---------------------------------------------------------------------


async def _summary(turn: Turn[ReverseAnswers]) -> str:
    answers = turn.answers
    transfer = await turn.services.ledger.get(answers.transfer) if answers.transfer else None
    return await transfer_summary(turn.services, turn.tr, transfer) if transfer else "—"


async def _reason_question(turn: Turn[ReverseAnswers]) -> str:
    _ = turn.gettext
    return "\n".join(
        [
            _("<b>Undo this transfer?</b>"),
            await _summary(turn),
            "",
            _("Why does it need undoing? Please type a short reason. The members will see it."),
        ]
    )


async def _review(turn: Turn[ReverseAnswers]) -> Review:
    _ = turn.gettext
    lines = [
        _("<b>Please check:</b>"),
        await _summary(turn),
        _("Reason: {reason}").format(reason=escape(turn.answers.reason or "—")),
        "",
        _(
            "I'll add a transfer of the same time the other way, and let the members know. "
            "Nothing is deleted."
        ),
    ]
    return Review("\n".join(lines), _("↩️ Reverse"))


async def _reverse(turn: Turn[ReverseAnswers], press: Send) -> None:
    answers = turn.answers
    if answers.member is None or answers.transfer is None or answers.reason is None:
        await turn.next()  # asks what is missing
        return
    if await shared.chosen(turn, answers.member, WHOSE, step="member") is None:
        return
    services, tr = turn.services, turn.tr
    _ = tr.gettext
    original = await services.ledger.get(answers.transfer)
    problem = _problem(tr, turn.member, original, answers.member)
    if problem is not None or original is None:
        await turn.go("transfer", note=problem)
        return
    members = [
        member
        for member_id in (original.from_member_id, original.to_member_id)
        if (member := await services.members.get(member_id)) is not None
    ]
    try:
        result = await services.ledger.reverse(
            original.id,
            turn.member.id,
            answers.reason,
            services.clock.now(),
            happened_on=today(services),
            pot_floor=0,
            then=lambda result: (
                [
                    transfer_audited(
                        services,
                        AuditAction.REVERSE,
                        turn.member.id,
                        result.transfer,
                        original.to_member_id or original.from_member_id,
                        reason=answers.reason,
                        subject=original.id,
                    ),
                    *told(REVERSED, result.transfer, members),
                ]
                if result.outcome is Outcome.DONE
                else []
            ),
        )
    except NotEnough as low:
        note = _(
            "The community pot only holds {pot} now, so this gift to it can't be given back."
        ).format(pot=hours_words(tr, low.balance))
        await turn.go("transfer", note=note)
        return
    if result.outcome is not Outcome.DONE:  # another coordinator undid it meanwhile
        await turn.finish(Screen(_already_undone(tr)), outcome=result.transfer.id)
        return
    lines = [_("↩️ Done: the transfer is undone."), await transfer_summary(services, tr, original)]
    await shared.report(turn, lines, members, result.transfer.id)


REVERSE = Form(
    name="reverse",
    command="reverse",
    answers=ReverseAnswers,
    who=shared.coordinator,
    steps=(
        shared.member_step("member", _ask_member, {Who: _whose}),
        Step(
            "transfer",
            ask=_ask_transfer,
            typed=_another_name,
            limit=NAME_MAX,
            buttons={Undo: _undo},
            done=lambda turn: turn.answers.transfer is not None,
        ),
        reason_step(_reason_question),
        review_step(_review, _reverse),
    ),
    finished=shared.dealt_with,
)


def register(app: AmserApplication) -> None:
    shared.register_form(app, REVERSE)
