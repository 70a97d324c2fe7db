"""The coordinators' credit forms (/grant, /record, /reverse): their steps, and the screen
each step shows, built from the services and the form's ledger draft without sending
anything. Asking, answering and sending are in handlers.coordinator_credits.
"""

from __future__ import annotations

from enum import StrEnum
from html import escape

from babel.dates import format_date
from telegram import InlineKeyboardButton

from bot.config import Config
from bot.domain.ledger import QUARTER_HOUR
from bot.domain.membership import Status
from bot.runtime.context import Services
from bot.runtime.i18n import Translator
from handlers.common import Buttons, Row, Screen, keyboard, tr_for
from handlers.credit_common import (
    NOTE_MAX,
    amount_rows,
    babel_locale,
    button_name,
    day_rows,
    day_words,
    hours_words,
    name_of,
    today,
)
from storage.ledger import AccountKind, HistoryItem, State, Transfer
from storage.ledger import TransferKind as Kind
from storage.ledger_drafts import LedgerDraft, Purpose
from storage.members import Member

PAGE = 6  # transfers per page in /reverse


class Form(StrEnum):
    GRANT = "g"
    RECORD = "r"
    REVERSE = "v"


PURPOSES = {Form.GRANT: Purpose.GRANT, Form.RECORD: Purpose.RECORD, Form.REVERSE: Purpose.REVERSE}
PURPOSE_FORMS = {purpose: form for form, purpose in PURPOSES.items()}

NAME, GIVER, TAKER, MINUTES, DAY, NOTE = "name", "giver", "taker", "min", "day", "note"
LIST, REASON, REVIEW = "list", "why", "review"
SOURCE = "from"  # /grant with organisations configured: where the credits come from
POT = "pot"
# The steps in order; « Back goes to the one before, an answer to the one after.
ORDER = {
    Form.GRANT: (NAME, MINUTES, REASON, REVIEW),
    Form.RECORD: (GIVER, TAKER, MINUTES, DAY, NOTE, REVIEW),
    Form.REVERSE: (NAME, LIST, REASON, REVIEW),
}
SEARCHES = (NAME, GIVER, TAKER)
# Whose transfers each form may be about: undoing a suspended member's transfer is a main use.
CHOOSABLE = {
    Form.GRANT: (Status.ACTIVE,),
    Form.RECORD: (Status.ACTIVE,),
    Form.REVERSE: (Status.ACTIVE, Status.SUSPENDED),
}
UNDOABLE = tuple(kind for kind in Kind if kind is not Kind.REVERSAL)  # a reversal stays


def steps_for(config: Config, form: Form) -> tuple[str, ...]:
    """The form's steps: /grant first asks where the credits come from when there are
    organisations to choose from."""
    if form is Form.GRANT and config.organisations:
        return (SOURCE, *ORDER[form])
    return ORDER[form]


def form_of(letter: str) -> Form | None:
    try:
        return Form(letter)
    except ValueError:
        return None


def next_step(form: Form, step: str) -> str:
    order = ORDER[form]
    return order[min(order.index(step) + 1, len(order) - 1)]


def missing_step(form: Form, draft: LedgerDraft) -> str | None:
    """The first step still unanswered before the review, if any."""
    needed = {
        NAME: draft.other_id,
        GIVER: draft.other_id,
        TAKER: draft.second_id,
        MINUTES: draft.minutes,
        DAY: draft.happened_on,
        LIST: draft.transfer_id,
        REASON: draft.note,
    }
    return next((step for step in ORDER[form] if step in needed and needed[step] is None), None)


# --- words -----------------------------------------------------------------------------------


def label(member: Member, tr: Translator) -> str:
    if member.telegram_id is None:
        return tr.gettext("{name} (not on Telegram)").format(name=button_name(member, tr))
    return button_name(member, tr)


async def transfer_summary(services: Services, tr: Translator, transfer: Transfer) -> str:
    """One line (HTML) saying what a transfer was: who helped whom, or what went where."""
    _ = tr.gettext
    payer, earner = (
        await services.members.get(transfer.from_member_id),
        await services.members.get(transfer.to_member_id),
    )
    values = {
        "hours": hours_words(tr, transfer.amount),
        "day": day_words(tr, transfer.happened_on, today(services)),
    }
    if transfer.kind in (Kind.EXCHANGE, Kind.RECORDED):
        text = _("{giver} helped {receiver} for {hours}, {day}.")
        return text.format(giver=name_of(earner, tr), receiver=name_of(payer, tr), **values)
    if transfer.kind is Kind.DONATION:
        text = _("{hours} from {name} to the community pot, {day}.")
        return text.format(name=name_of(payer, tr), **values)
    if transfer.kind is Kind.GRANT:
        text = _("{hours} from the community pot to {name}, {day}.")
    elif transfer.kind is Kind.STARTER:
        text = _("{hours} of starter credits for {name}, {day}.")
    else:
        account = await services.ledger.get_account(transfer.from_account_id)
        text = _("{hours} from {organisation} to {name}, {day}.")
        values["organisation"] = escape((account.name if account else None) or "—")
    return text.format(name=name_of(earner, tr), **values)


def _item_label(tr: Translator, item: HistoryItem) -> str:
    """A transfer as a button in /reverse (plain text): "24 Nov: 2 hours with Tom"."""
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


def control_row(
    services: Services, b: Buttons, tr: Translator, draft: LedgerDraft, form: Form, step: str
) -> list[InlineKeyboardButton]:
    """« Back (except on the first step) and Cancel, on every step."""
    _ = tr.gettext
    first = steps_for(services.config, form)[0]
    row = [b(_("« Back"), "cc", form, "back", draft.id, step)] if step != first else []
    return [*row, b(_("Cancel"), "cc", form, "stop", draft.id)]


async def pot_most(services: Services) -> tuple[int, int]:
    """What the pot holds, and the most one grant may give (whole quarter-hours)."""
    pot = (await services.ledger.pot()).balance
    most = min(services.config.max_exchange_minutes, pot - pot % QUARTER_HOUR)
    return pot, max(most, 0)


# --- the questions ---------------------------------------------------------------------------


async def question(
    services: Services, me: Member, draft: LedgerDraft, form: Form, step: str, page: int = 0
) -> Screen:
    assert me.telegram_id is not None
    tr = tr_for(services, me)
    _ = tr.gettext
    b = Buttons(services, me.telegram_id)
    controls = control_row(services, b, tr, draft, form, step)
    first, second = (
        await services.members.get(draft.other_id),
        await services.members.get(draft.second_id),
    )
    names = {"giver": name_of(first, tr), "receiver": name_of(second, tr)}
    rows: list[Row] = []
    if step == SOURCE:
        pot, _most = await pot_most(services)
        text = _(
            "<b>Give time credits</b>\nThe community pot holds {pot}.\n\n"
            "Where do the credits come from: the community pot, or an organisation a member "
            "volunteered for?"
        ).format(pot=hours_words(tr, pot))
        rows = _source_rows(services, b, tr, draft)
    elif step == NAME and form is Form.GRANT and draft.organisation is not None:
        text = _(
            "<b>Give time credits from {organisation}</b>\n\n"
            "Who would you like to give credits to? Please type part of their name."
        ).format(organisation=escape(draft.organisation))
    elif step == NAME and form is Form.GRANT:
        pot, _most = await pot_most(services)
        text = _(
            "<b>Give credits from the community pot</b>\nThe pot holds {pot}.\n\n"
            "Who would you like to give credits to? Please type part of their name."
        ).format(pot=hours_words(tr, pot))
    elif step == NAME:
        text = _(
            "<b>Undo a transfer</b>\nNothing is deleted: I'll add a transfer the other way, "
            "with your reason, and let the members know.\n\n"
            "Whose transfer is it? Please type part of their name."
        )
    elif step == GIVER:
        text = _(
            "<b>Record an exchange</b> for members who aren't on Telegram. It counts as "
            "confirmed, and shows that you recorded it.\n\n"
            "Who gave the help? Please type part of their name."
        )
    elif step == TAKER:
        text = _("Who did {giver} help? Please type part of their name.").format(**names)
    elif step == MINUTES:
        return await _amount_question(services, me, draft, form, page)
    elif step == DAY:
        text = _("When did {giver} help {receiver}?").format(**names)
        pick, other = ("cc", form, "day", draft.id), ("cc", form, "dayt", draft.id)
        rows = day_rows(b, tr, today(services), pick, other)
    elif step == NOTE:
        text = _(
            "Would you like to add a note about what the help was, for example “shopping”? "
            "Please type it (up to {limit} characters), or tap Skip."
        ).format(limit=NOTE_MAX)
        rows = [[b(_("Skip"), "cc", form, "skip", draft.id)]]
        if draft.note:
            text += "\n\n" + _("The note now: “{note}”").format(note=escape(draft.note))
            rows = [[b(_("Keep this note"), "cc", form, "keep", draft.id), rows[0][0]]]
    elif step == REASON:
        text = await _reason_question(services, tr, draft, form, first)
        if draft.note:
            text += "\n\n" + _("Your reason now: “{reason}”").format(reason=escape(draft.note))
            rows = [[b(_("Keep this reason"), "cc", form, "keep", draft.id)]]
    elif step == LIST:
        return await _list_question(services, me, draft, first, page)
    else:
        return await _review(services, me, draft, form)
    return Screen(text, keyboard(*rows, controls))


def _source_rows(services: Services, b: Buttons, tr: Translator, draft: LedgerDraft) -> list[Row]:
    """The community pot, then each configured organisation by its place in the list."""
    pick = ("cc", Form.GRANT, "from", draft.id)
    rows: list[Row] = [[b(tr.gettext("🫙 The community pot"), *pick, POT)]]
    rows += [[b(name, *pick, index)] for index, name in enumerate(services.config.organisations)]
    return rows


async def _amount_question(
    services: Services, me: Member, draft: LedgerDraft, form: Form, page: int
) -> Screen:
    assert me.telegram_id is not None
    tr = tr_for(services, me)
    _ = tr.gettext
    b = Buttons(services, me.telegram_id)
    first, second = (
        await services.members.get(draft.other_id),
        await services.members.get(draft.second_id),
    )
    most = services.config.max_exchange_minutes
    if form is Form.GRANT and draft.organisation is not None:  # no pot to limit it
        text = _(
            "How much would you like to give {name} from {organisation}?\n"
            "Tap an amount, or type one, for example 1½ or 90 min."
        ).format(name=name_of(first, tr), organisation=escape(draft.organisation))
    elif form is Form.GRANT:
        pot, most = await pot_most(services)
        text = _(
            "How much would you like to give {name}? The community pot holds {pot}.\n"
            "Tap an amount, or type one, for example 1½ or 90 min."
        ).format(name=name_of(first, tr), pot=hours_words(tr, pot))
    else:
        text = _(
            "How long did {giver} help {receiver} for? Tap the hours, or type it, "
            "for example 1½ or 90 min."
        ).format(giver=name_of(first, tr), receiver=name_of(second, tr))
    rows = (
        amount_rows(b, most, page, ("cc", form, "min", draft.id), ("cc", form, "mpg", draft.id), tr)
        if most >= QUARTER_HOUR
        else []
    )
    return Screen(text, keyboard(*rows, control_row(services, b, tr, draft, form, MINUTES)))


async def _reason_question(
    services: Services, tr: Translator, draft: LedgerDraft, form: Form, member: Member | None
) -> str:
    _ = tr.gettext
    if form is Form.GRANT and draft.organisation is not None:
        return _(
            "Why is {organisation} giving {name} {hours}? Please type a short reason, for "
            "example “volunteering at the summer fair”. {name} will see it."
        ).format(
            organisation=escape(draft.organisation),
            name=name_of(member, tr),
            hours=hours_words(tr, draft.minutes or 0),
        )
    if form is Form.GRANT:
        return _(
            "Why are you giving {name} {hours}? Please type a short reason, for example "
            "“welcome to the time bank” or “housebound this winter”. {name} will see it."
        ).format(name=name_of(member, tr), hours=hours_words(tr, draft.minutes or 0))
    transfer = await services.ledger.get(draft.transfer_id) if draft.transfer_id else None
    summary = await transfer_summary(services, tr, transfer) if transfer else "—"
    return "\n".join(
        [
            _("<b>Undo this transfer?</b>"),
            summary,
            "",
            _("Why does it need undoing? Please type a short reason. The members will see it."),
        ]
    )


async def _list_question(
    services: Services, me: Member, draft: LedgerDraft, member: Member | None, offset: int
) -> Screen:
    """The member's confirmed transfers, latest first, as buttons to pick one to undo."""
    assert me.telegram_id is not None
    tr = tr_for(services, me)
    _ = tr.gettext
    b = Buttons(services, me.telegram_id)
    controls = control_row(services, b, tr, draft, Form.REVERSE, LIST)
    page = await services.ledger.history(
        draft.other_id or 0, offset, PAGE, (State.CONFIRMED,), UNDOABLE
    )
    if not page.items and offset == 0:
        text = _("{name} has no confirmed transfers to undo.").format(name=name_of(member, tr))
        return Screen(text, keyboard(controls))
    rows: list[Row] = [
        [b(_item_label(tr, item), "cc", "v", "pick", draft.id, item.transfer.id)]
        for item in page.items
    ]
    paging = []
    if offset > 0:
        paging.append(b(_("« Newer"), "cc", "v", "list", draft.id, max(0, offset - PAGE)))
    if page.has_more:
        paging.append(b(_("Older »"), "cc", "v", "list", draft.id, offset + PAGE))
    text = _(
        "<b>{name}'s confirmed transfers</b>, latest first. Tap the one to undo, "
        "or type another name."
    ).format(name=name_of(member, tr))
    return Screen(text, keyboard(*rows, paging, controls))


async def _review(services: Services, me: Member, draft: LedgerDraft, form: Form) -> Screen:
    assert me.telegram_id is not None
    tr = tr_for(services, me)
    _ = tr.gettext
    b = Buttons(services, me.telegram_id)
    first, second = (
        await services.members.get(draft.other_id),
        await services.members.get(draft.second_id),
    )
    lines = [_("<b>Please check:</b>")]
    if form is Form.GRANT and draft.organisation is not None:
        lines += [
            _("{hours} from {organisation} to {name}, {day}.").format(
                hours=hours_words(tr, draft.minutes or 0),
                organisation=escape(draft.organisation),
                name=name_of(first, tr),
                day=day_words(tr, today(services), today(services)),
            ),
            _("Reason: {reason}").format(reason=escape(draft.note or "—")),
        ]
        send = _("✅ Grant")
    elif form is Form.GRANT:
        pot, _most = await pot_most(services)
        lines += [
            _("{hours} from the community pot to {name}, {day}.").format(
                hours=hours_words(tr, draft.minutes or 0),
                name=name_of(first, tr),
                day=day_words(tr, today(services), today(services)),
            ),
            _("Reason: {reason}").format(reason=escape(draft.note or "—")),
            _("The pot holds {pot}.").format(pot=hours_words(tr, pot)),
        ]
        send = _("✅ Grant")
    elif form is Form.RECORD:
        values = {
            "giver": name_of(first, tr),
            "receiver": name_of(second, tr),
            "hours": hours_words(tr, draft.minutes or 0),
            "day": day_words(tr, draft.happened_on or today(services), today(services)),
        }
        lines.append(_("{giver} helped {receiver} for {hours}, {day}.").format(**values))
        if draft.note:
            lines.append(_("Note: {note}").format(note=escape(draft.note)))
        lines += [
            "",
            _(
                "{giver} will earn {hours} and {receiver} will spend them. It will be marked as "
                "recorded by you, and anyone on Telegram will be told."
            ).format(**values),
        ]
        send = _("✅ Record")
    else:
        transfer = await services.ledger.get(draft.transfer_id) if draft.transfer_id else None
        lines += [
            await transfer_summary(services, tr, transfer) if transfer else "—",
            _("Reason: {reason}").format(reason=escape(draft.note or "—")),
            "",
            _(
                "I'll add a transfer of the same time the other way, and let the members know. "
                "Nothing is deleted."
            ),
        ]
        send = _("↩️ Reverse")
    return Screen(
        "\n".join(lines),
        keyboard(
            [b(send, "cc", form, "send", draft.id)],
            control_row(services, b, tr, draft, form, REVIEW),
        ),
    )
