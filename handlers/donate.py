"""/donate: a member gives hours to the community pot, from /balance or the command; and the
one way to give to the pot, which /forget's offer uses too.

A form: how much (quarter-hour buttons up to the balance, or typed), then a check whose Yes
gives once per form, however often it is pressed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from enum import StrEnum

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers import details, forms
from handlers.balance import ShowBalance, StartDonating, balance_screen, quarter_hours_of
from handlers.buttons import Buttons, add_presses
from handlers.common import Screen, keyboard, say, tr_for
from handlers.credit_common import balance_line, hours_words, today
from handlers.credit_steps import Review, Send, amount_step, keep, review_step
from handlers.forms import Form, Turn
from handlers.menu import back_to_menu
from storage.ledger import NotEnough
from storage.members import Member

COMMANDS = (Command("donate", N_("Give hours to the community pot")),)


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


# --- the form ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DonateAnswers:
    minutes: int | None = None


def _to_balance(services: Services, member: Member, text: str) -> Screen:
    """A screen of /donate's own, with the way back to the balance and to the menu."""
    b = Buttons(services, member.telegram_id or 0)
    back = b(tr_for(services, member).gettext("« Back to my balance"), ShowBalance())
    return Screen(text, keyboard([back], back_to_menu(services, member)))


def nothing_to_give(services: Services, member: Member) -> Screen:
    _ = tr_for(services, member).gettext
    text = _(
        "You don't have any hours to give just yet, and that's perfectly fine. "
        "Every hour you spend helping someone earns you an hour. "
        "Is there something you could offer? Tell us with /offer."
    )
    return _to_balance(services, member, text)


def _thanks(services: Services, member: Member, note: str, balance: int) -> Screen:
    tr = tr_for(services, member)
    return _to_balance(services, member, f"{note}\n\n{balance_line(tr, balance)}")


async def _most(turn: Turn[DonateAnswers]) -> int:
    """The most the quarter-hour buttons offer: the balance now, rounded down."""
    return quarter_hours_of(await turn.services.ledger.balance(turn.member.id))


async def _amount_question(turn: Turn[DonateAnswers]) -> str:
    _ = turn.gettext
    balance = await turn.services.ledger.balance(turn.member.id)
    return "\n".join(
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


async def _choose(turn: Turn[DonateAnswers], minutes: int) -> None:
    """An amount chosen, checked against the balance now."""
    most = await _most(turn)
    if not most:
        await turn.close(nothing_to_give(turn.services, turn.member))
    elif minutes > most:
        note = turn.gettext(
            "That's more than you have to give just now. You can give up to {hours}."
        ).format(hours=hours_words(turn.tr, most))
        await turn.ask(note=note)
    else:
        await keep(turn, "minutes", minutes)


async def _ask_check(turn: Turn[DonateAnswers]) -> Review:
    tr = turn.tr
    _ = tr.gettext
    hours = hours_words(tr, turn.answers.minutes or 0)
    text = "\n".join(
        [
            _("<b>Give {hours} to the community pot?</b>").format(hours=hours),
            _("They'll go to a neighbour who needs them. Thank you for thinking of others."),
        ]
    )
    return Review(text, _("✅ Yes, give them"))


async def _give_now(turn: Turn[DonateAnswers], press: Send) -> None:
    services, member, tr = turn.services, turn.member, turn.tr
    minutes = turn.answers.minutes
    if not minutes:  # no amount chosen yet: ask for it
        await turn.next()
        return
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
        # Not an exchange: no more than the balance, however much that is.
        amount_step(_amount_question, most=_most, take=_choose, exchange=False),
        review_step(_ask_check, _give_now, name="check"),
    ),
    back_out=_back_to_balance,
    cancel=_not_now,
    finished=_given_already,
)


# --- starting ---------------------------------------------------------------------------------


async def _start_donating(update: Update, context: AmserContext) -> None:
    member = await details.active_member(update, context)
    if member is None:
        return
    services = context.services
    if not quarter_hours_of(await services.ledger.balance(member.id)):
        await say(update, context, nothing_to_give(services, member))
        return
    await forms.start(update, context, member, DONATE)


async def on_start_donating(update: Update, context: AmserContext, press: StartDonating) -> None:
    await _start_donating(update, context)


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("donate", _start_donating, filters.ChatType.PRIVATE))
    add_presses(app, {StartDonating: on_start_donating})
    forms.register(app, DONATE)
