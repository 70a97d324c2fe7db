"""A member's own time credits: /balance, /history, and giving hours to the community pot.

Button data (each signed for its recipient):
  bal:show   bal:hist:<page>
  bal:don:start   bal:don:page:<page>   bal:don:pick:<minutes>   bal:don:cancel
  bal:don:yes:<minutes>:<token>   (the token makes each confirm screen's donation its own)
An amount can also be typed while the member's step is "donate:amount".
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from html import escape

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.domain.ledger import QUARTER_HOUR
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers import details, forms
from handlers.buttons import ButtonData, Buttons, on_press
from handlers.common import (
    Row,
    Screen,
    keyboard,
    say,
    show,
    tr_for,
)
from handlers.credit_common import (
    amount_picker,
    balance_line,
    day_words,
    hours_words,
    today,
    typed_minutes,
)
from handlers.forms import Form, FormButton, Step, Turn, never
from handlers.log.buttons import StartLog
from handlers.log.confirm import answer_rows
from handlers.menu import back_to_menu
from storage.ledger import AccountKind, HistoryItem, NotEnough, State, TransferKind
from storage.members import Member

COMMANDS = (
    Command("balance", N_("Your time credits")),
    Command("history", N_("Your time credits, exchange by exchange")),
    Command("donate", N_("Give hours to the community pot")),
)

PREFIX = "bal"
DONATE_STEP = "donate"
TYPING = f"{DONATE_STEP}:amount"
HISTORY_PAGE = 10
AMOUNT_TYPED_MAX = 40  # "2 hours 15 minutes" and the like, with room to spare
WHAT_SHOWN = 120  # ten notes of 200 and reasons of 300 would not fit in one message
HANDED_OVER = (State.DISPUTED, State.EXPIRED)  # exchanges a coordinator now decides
COORDINATOR_PAGE = 50  # usually none at all: one query counts them

# One line of history, by who was on the other side and which way the hours went. Whole
# sentences, so that Welsh can mutate after "i" and "gan" ("i'r gronfa", "gan gyn-aelod").
_FROM = {
    "member": N_("{day}: <b>{amount}</b> from {name}"),
    "former": N_("{day}: <b>{amount}</b> from a former member"),
    "pot": N_("{day}: <b>{amount}</b> from the community pot"),
    "starter": N_("{day}: <b>{amount}</b> of starter credits"),
}
_TO = {
    "member": N_("{day}: <b>{amount}</b> to {name}"),
    "former": N_("{day}: <b>{amount}</b> to a former member"),
    "pot": N_("{day}: <b>{amount}</b> to the community pot"),
    "starter": N_("{day}: <b>{amount}</b> of starter credits"),
}


class Given(StrEnum):
    DONE = "done"
    ALREADY = "already"  # a double tap or a re-delivered press: given once, nothing more
    TOO_MUCH = "too_much"  # the balance has gone down since the screen was shown


# --- giving to the pot: one code path for /donate and /forget -------------------------------


def donation_token() -> str:
    """A fresh token for one confirm screen's button; pressing it twice gives once."""
    return secrets.token_urlsafe(6)


def donation_key(member_id: int, token: str) -> str:
    """The idempotency key of one offer to give (from /forget), made once per screen."""
    return f"donate:{member_id}:{token}"


async def give_to_pot(services: Services, member: Member, minutes: int, key: str) -> Given:
    """Give hours to the community pot, once per key, and never more than the balance."""
    try:
        made = await services.ledger.donate(
            key,
            member.id,
            minutes,
            services.clock.now(),
            happened_on=today(services),
            balance_floor=0,
        )
    except NotEnough:
        return Given.TOO_MUCH
    # A used key returns its donation before the balance is checked: given once, nothing more.
    return Given.DONE if made.created else Given.ALREADY


def given_note(tr: Translator, minutes: int) -> str:
    return tr.gettext(
        "🎁 Thank you! You've given {hours} to the community pot. It will help a neighbour "
        "who can't easily earn hours."
    ).format(hours=hours_words(tr, minutes))


def already_given_note(tr: Translator) -> str:
    return tr.gettext("Those hours have already been given to the community pot. Thank you!")


def changed_note(tr: Translator) -> str:
    return tr.gettext(
        "Your balance has changed since then, so nothing has been given yet. Please choose again."
    )


def quarter_hours_of(balance: int) -> int:
    """The most that can be given with the quarter-hour buttons: the balance, rounded down."""
    return max(0, balance - balance % QUARTER_HOUR)


# --- /balance ---------------------------------------------------------------------------------


def _buttons(services: Services, member: Member) -> Buttons:
    return Buttons(services, member.telegram_id or 0)


def _so_far(tr: Translator, minutes: int) -> str:
    return hours_words(tr, minutes) if minutes else tr.gettext("none yet")


def _framing(tr: Translator, balance: int) -> str:
    """Kind words for where the member stands, always with what they could give."""
    _ = tr.gettext
    if balance < 0:
        return _(
            "A balance below zero is fine: everyone gives and receives here, and there's no "
            "hurry. When you're ready, you could offer something with /offer."
        )
    if balance == 0:
        return _(
            "Everyone here gives and receives. Is there something you could offer? "
            "Tell us with /offer."
        )
    return _(
        "Thank you for all you give! You can ask for help with /request, offer more with "
        "/offer, or give some hours to the community pot for a neighbour who needs them."
    )


async def _with_coordinators(services: Services, member: Member) -> int:
    """How many of the member's exchanges are disputed or expired: a coordinator decides them."""
    count = 0
    while True:
        page = await services.ledger.history(
            member.id, count, COORDINATOR_PAGE, HANDED_OVER, (TransferKind.EXCHANGE,)
        )
        count += len(page.items)
        if not page.has_more:
            return count


async def _waiting_lines(services: Services, member: Member, tr: Translator) -> list[str]:
    pending = await services.ledger.pending_for(member.id)
    theirs = sum(1 for t in pending if t.awaiting == member.id)
    others = sum(1 for t in pending if t.awaiting is not None and t.awaiting != member.id)
    approvals = sum(1 for t in pending if t.needs_approval)
    coordinator = approvals + await _with_coordinators(services, member)
    lines = []
    if theirs:
        lines.append(
            tr.ngettext(
                "⏳ {count} exchange is waiting for your answer.",
                "⏳ {count} exchanges are waiting for your answer.",
                theirs,
            ).format(count=theirs)
        )
    if others:
        lines.append(
            tr.ngettext(
                "⏳ {count} exchange is waiting for the other person to confirm it.",
                "⏳ {count} exchanges are waiting for the other person to confirm them.",
                others,
            ).format(count=others)
        )
    if coordinator:
        lines.append(
            tr.ngettext(
                "⏳ {count} exchange is waiting for a coordinator.",
                "⏳ {count} exchanges are waiting for a coordinator.",
                coordinator,
            ).format(count=coordinator)
        )
    return lines


async def balance_screen(services: Services, member: Member) -> Screen:
    """Balance, hours given and received, what waits, and what they can do next."""
    tr = tr_for(services, member)
    _ = tr.gettext
    totals = await services.ledger.totals(member.id)
    lines = [_("<b>Your time credits</b>"), balance_line(tr, totals.balance), ""]
    lines.append(_("Hours you've given: {hours}").format(hours=_so_far(tr, totals.given)))
    lines.append(_("Hours you've received: {hours}").format(hours=_so_far(tr, totals.received)))
    if totals.donated:
        lines.append(
            _("Given to the community pot: {hours}").format(hours=hours_words(tr, totals.donated))
        )
    if totals.granted:
        lines.append(
            _("Starter credits and gifts from the community pot: {hours}").format(
                hours=hours_words(tr, totals.granted)
            )
        )
    waiting = await _waiting_lines(services, member, tr)
    if waiting:
        lines += ["", *waiting]
    lines += ["", _framing(tr, totals.balance)]
    b = _buttons(services, member)
    give: Row = (
        [b(_("🎁 Give to the community pot"), StartDonating())]
        if quarter_hours_of(totals.balance)
        else []
    )
    return Screen(
        "\n".join(lines),
        keyboard(
            [b(_("📜 History"), ShowHistory(0))],
            give,
            *await answer_rows(services, member),
            [b(_("⏱ Log time"), StartLog())],
            back_to_menu(services, member),
        ),
    )


# --- /history ---------------------------------------------------------------------------------


def _history_line(services: Services, tr: Translator, item: HistoryItem) -> str:
    _ = tr.gettext
    transfer = item.transfer
    templates = _FROM if item.minutes > 0 else _TO
    name = ""
    if item.other_account_kind is AccountKind.POT:
        side = "pot"
    elif item.other_account_kind is AccountKind.ISSUANCE:
        side = "starter"
    elif item.other_account_kind is AccountKind.ORGANISATION:
        side, name = "member", escape(item.other_name or "—")
    elif item.other_erased or not item.other_name:
        side = "former"
    else:
        side, name = "member", escape(item.other_name)
    amount = ("+" if item.minutes > 0 else "") + hours_words(tr, item.minutes)
    day = day_words(tr, transfer.happened_on, today(services))
    day = day[:1].upper() + day[1:]  # it starts the line
    lines = [_(templates[side]).format(day=day, amount=amount, name=name)]
    what = transfer.note or transfer.reason
    if what:
        shown = what if len(what) <= WHAT_SHOWN else what[: WHAT_SHOWN - 1] + "…"
        lines.append(f"    <i>“{escape(shown)}”</i>")
    if transfer.kind is TransferKind.REVERSAL:
        lines.append("    " + _("↩️ A correction, undoing an earlier entry"))
    elif transfer.state is State.REVERSED:
        lines.append("    " + _("↩️ Later undone by a correction"))
    return "\n".join(lines)


async def history_screen(services: Services, member: Member, page: int) -> Screen:
    """Ten transfers a page, the latest first, with « Previous and More »."""
    tr = tr_for(services, member)
    _ = tr.gettext
    b = _buttons(services, member)
    page = max(page, 0)
    found = await services.ledger.history(member.id, offset=page * HISTORY_PAGE, limit=HISTORY_PAGE)
    if not found.items and page > 0:  # an old button, and the history is shorter now
        page = 0
        found = await services.ledger.history(member.id, offset=0, limit=HISTORY_PAGE)
    back = [b(_("« Back to my balance"), ShowBalance())]
    if not found.items:
        text = _(
            "<b>Your history</b>\n"
            "Nothing here yet. When you've helped someone, or someone has helped you, "
            "log it with /log. Is there something you could offer? Tell us with /offer."
        )
        return Screen(text, keyboard(back, back_to_menu(services, member)))
    heading = _("<b>Your history</b>, the latest first")
    if page > 0 or found.has_more:
        heading += " · " + _("page {number}").format(number=page + 1)
    entries = [_history_line(services, tr, item) for item in found.items]
    paging: Row = [
        *([b(_("« Previous"), ShowHistory(page - 1))] if page > 0 else []),
        *([b(_("More »"), ShowHistory(page + 1))] if found.has_more else []),
    ]
    return Screen("\n\n".join([heading, *entries]), keyboard(paging, back))


# --- /donate ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DonateAnswers:
    minutes: int | None = None


@dataclass(frozen=True)
class GiveAmount(FormButton, prefix="dn:amt"):
    minutes: int


@dataclass(frozen=True)
class GiveNow(FormButton, prefix="dn:give"):
    pass


def nothing_to_give(services: Services, member: Member) -> Screen:
    _ = tr_for(services, member).gettext
    b = _buttons(services, member)
    return Screen(
        _(
            "You don't have any hours to give just yet, and that's perfectly fine. "
            "Every hour you spend helping someone earns you an hour. "
            "Is there something you could offer? Tell us with /offer."
        ),
        keyboard([b(_("« Back to my balance"), ShowBalance())], back_to_menu(services, member)),
    )


async def _ask_amount(turn: Turn[DonateAnswers]) -> Screen:
    """How much to give: quarter-hour buttons up to the balance, or a typed amount."""
    _ = turn.gettext
    balance = await turn.services.ledger.balance(turn.member.id)
    text = "\n".join(
        [
            _("<b>🎁 Give to the community pot</b>"),
            _(
                "The community pot helps neighbours who can't easily earn hours, such as "
                "people who are housebound or just starting."
            ),
            "",
            balance_line(turn.tr, balance),
            "",
            _("How much would you like to give? Tap an amount, or type it (like 1½ or 90 min)."),
        ]
    )
    pick = partial(GiveAmount, turn.form.id)
    return Screen(text, keyboard(*amount_picker(turn, quarter_hours_of(balance), pick)))


async def _choose(turn: Turn[DonateAnswers], minutes: int, problem: str | None = None) -> None:
    """An amount chosen, checked against the balance now."""
    most = quarter_hours_of(await turn.services.ledger.balance(turn.member.id))
    if not most:
        await turn.close(nothing_to_give(turn.services, turn.member))
    elif problem is not None or minutes > most:
        note = problem or turn.gettext(
            "That's more than you have to give just now. You can give up to {hours}."
        ).format(hours=hours_words(turn.tr, most))
        await turn.ask(note=note)
    else:
        await turn.save(minutes=minutes)
        await turn.next()


async def _amount_picked(turn: Turn[DonateAnswers], press: GiveAmount) -> None:
    await _choose(turn, press.minutes, None if press.minutes > 0 else changed_note(turn.tr))


async def _amount_typed(turn: Turn[DonateAnswers], text: str) -> None:
    minutes, problem = typed_minutes(turn.tr, text, None)
    await _choose(turn, minutes or 0, problem)


async def _ask_check(turn: Turn[DonateAnswers]) -> Screen:
    tr = turn.tr
    _ = tr.gettext
    hours = hours_words(tr, turn.answers.minutes or 0)
    text = "\n".join(
        [
            _("<b>Give {hours} to the community pot?</b>").format(hours=hours),
            _("They'll go to a neighbour who needs them. Thank you for thinking of others."),
        ]
    )
    return Screen(text, keyboard([turn.b(_("✅ Yes, give them"), GiveNow(turn.form.id))]))


async def _give_now(turn: Turn[DonateAnswers], press: GiveNow) -> None:
    services, member, tr = turn.services, turn.member, turn.tr
    minutes = turn.answers.minutes or 0
    given = await give_to_pot(services, member, minutes, f"form:{turn.form.id}")
    balance = await services.ledger.balance(member.id)
    if given is Given.TOO_MUCH:
        await turn.save(minutes=None)
        if quarter_hours_of(balance):
            await turn.go("amount", note=changed_note(tr))
        else:
            await turn.close(nothing_to_give(services, member))
        return
    note = given_note(tr, minutes) if given is Given.DONE else already_given_note(tr)
    await turn.finish(_thanks(services, member, note, balance))


async def _given_already(turn: Turn[DonateAnswers]) -> None:
    balance = await turn.services.ledger.balance(turn.member.id)
    await turn.show(_thanks(turn.services, turn.member, already_given_note(turn.tr), balance))


async def _back_to_balance(turn: Turn[DonateAnswers]) -> None:
    await turn.close(await balance_screen(turn.services, turn.member))


async def _not_now(turn: Turn[DonateAnswers]) -> None:
    screen = await balance_screen(turn.services, turn.member)
    await turn.close(screen.after(turn.gettext("No problem: nothing has been given.")))


DONATE = Form(
    name="donate",
    command="donate",
    answers=DonateAnswers,
    who=details.active_member,
    steps=(
        Step(
            "amount",
            ask=_ask_amount,
            typed=_amount_typed,
            limit=AMOUNT_TYPED_MAX,
            buttons={GiveAmount: _amount_picked},
            done=lambda turn: turn.answers.minutes is not None,
        ),
        Step("check", ask=_ask_check, buttons={GiveNow: _give_now}, done=never),
    ),
    back_out=_back_to_balance,
    cancel=_not_now,
    finished=_given_already,
)


def _thanks(services: Services, member: Member, note: str, balance: int) -> Screen:
    tr = tr_for(services, member)
    b = _buttons(services, member)
    return Screen(
        f"{note}\n\n{balance_line(tr, balance)}",
        keyboard(
            [b(tr.gettext("« Back to my balance"), ShowBalance())],
            back_to_menu(services, member),
        ),
    )


async def _start_donating(update: Update, context: AmserContext, member: Member) -> None:
    services = context.services
    if not quarter_hours_of(await services.ledger.balance(member.id)):
        await say(update, context, nothing_to_give(services, member))
        return
    await forms.start(update, context, member, DONATE)


# --- commands and buttons ---------------------------------------------------------------------


@dataclass(frozen=True)
class ShowBalance(ButtonData, prefix="bal:show"):
    pass


@dataclass(frozen=True)
class ShowHistory(ButtonData, prefix="bal:hist"):
    page: int


@dataclass(frozen=True)
class StartDonating(ButtonData, prefix="bal:don"):
    pass


async def balance_command(update: Update, context: AmserContext) -> None:
    member = await details.active_member(update, context)
    if member is not None:
        await say(update, context, await balance_screen(context.services, member))


async def history_command(update: Update, context: AmserContext) -> None:
    member = await details.active_member(update, context)
    if member is not None:
        await say(update, context, await history_screen(context.services, member, 0))


async def donate_command(update: Update, context: AmserContext) -> None:
    member = await details.active_member(update, context)
    if member is not None:
        await _start_donating(update, context, member)


async def on_show_balance(update: Update, context: AmserContext, press: ShowBalance) -> None:
    member = await details.active_member(update, context)
    if member is not None:
        await show(update, context, await balance_screen(context.services, member))


async def on_show_history(update: Update, context: AmserContext, press: ShowHistory) -> None:
    member = await details.active_member(update, context)
    if member is not None:
        await show(update, context, await history_screen(context.services, member, press.page))


async def on_start_donating(update: Update, context: AmserContext, press: StartDonating) -> None:
    member = await details.active_member(update, context)
    if member is not None:
        await _start_donating(update, context, member)


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("balance", balance_command, filters.ChatType.PRIVATE))
    app.add_handler(CommandHandler("history", history_command, filters.ChatType.PRIVATE))
    app.add_handler(CommandHandler("donate", donate_command, filters.ChatType.PRIVATE))
    app.add_handler(on_press(ShowBalance, on_show_balance))
    app.add_handler(on_press(ShowHistory, on_show_history))
    app.add_handler(on_press(StartDonating, on_start_donating))
    forms.register(app, DONATE)
