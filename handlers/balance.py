"""A member's own time credits: /balance and /history. Giving hours to the community pot,
/donate, which the balance screen offers, is in donate.py.
"""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.domain.ledger import QUARTER_HOUR
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers import details
from handlers.buttons import ButtonData, Buttons, add_presses
from handlers.common import Row, Screen, keyboard, say, show, tr_for
from handlers.credit_common import balance_line, day_words, hours_words, today
from handlers.log.buttons import StartLog
from handlers.log.confirm import answer_rows
from handlers.menu import back_to_menu
from storage.ledger import AccountKind, HistoryItem, State, TransferKind
from storage.members import Member

COMMANDS = (
    Command("balance", N_("Your time credits")),
    Command("history", N_("Your time credits, exchange by exchange")),
)

HISTORY_PAGE = 10
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


class ShowBalance(ButtonData, prefix="bal:show"):
    pass


class ShowHistory(ButtonData, prefix="bal:hist"):
    page: int


class StartDonating(ButtonData, prefix="bal:don"):
    """🎁 Give to the community pot: handled in donate.py."""


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


# --- commands and buttons ---------------------------------------------------------------------


async def balance_command(update: Update, context: AmserContext) -> None:
    member = await details.active_member(update, context)
    if member is not None:
        await say(update, context, await balance_screen(context.services, member))


async def history_command(update: Update, context: AmserContext) -> None:
    member = await details.active_member(update, context)
    if member is not None:
        await say(update, context, await history_screen(context.services, member, 0))


async def on_show_balance(update: Update, context: AmserContext, press: ShowBalance) -> None:
    member = await details.active_member(update, context)
    if member is not None:
        await show(update, context, await balance_screen(context.services, member))


async def on_show_history(update: Update, context: AmserContext, press: ShowHistory) -> None:
    member = await details.active_member(update, context)
    if member is not None:
        await show(update, context, await history_screen(context.services, member, press.page))


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("balance", balance_command, filters.ChatType.PRIVATE))
    app.add_handler(CommandHandler("history", history_command, filters.ChatType.PRIVATE))
    add_presses(app, {ShowBalance: on_show_balance, ShowHistory: on_show_history})
