"""The steps the time-credit forms share, each declared once with its kinds of button: who
(/log, /grant, /reverse), how long (/log, changing the time, /donate, /grant, /record), which day
(/log, /record), a few typed words that coming back offers to keep (the note of /log and
/record, the reason of /grant and /reverse), and the last check with the button that acts.

The kinds are shared by every form: a press names its form, and acts only if that form's step
takes it (handlers/forms.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import date
from functools import partial
from html import escape
from typing import Any, NamedTuple

from telegram import InlineKeyboardButton

from bot.domain import N_
from bot.domain.ledger import DayProblem, day_problem, minutes_problem
from handlers.common import Screen, keyboard
from handlers.credit_common import (
    NOTE_MAX,
    REASON_MAX,
    amount_picker,
    day_picker,
    today,
    typed_day,
    typed_minutes,
)
from handlers.forms import FormButton, Step, StepAsk, StepPress, StepTyped, Turn, never

TYPED_MAX = 40  # "2 hours 15 minutes", "dydd Llun diwethaf" and the like, with room to spare

Question = Callable[[Turn[Any]], Awaitable[str]]
Take = Callable[[Turn[Any], int], Awaitable[None]]


# --- the buttons -------------------------------------------------------------------------------


class Who(FormButton, prefix="cr:who"):
    """A member picked (the other side of /log, whom /grant gives to, whose transfer /reverse
    undoes)."""

    member: int


class Amount(FormButton, prefix="cr:amt"):
    minutes: int


class Day(FormButton, prefix="cr:day"):
    day: date


class Keep(FormButton, prefix="cr:keep"):
    """Keep the note or reason as it is."""


class Skip(FormButton, prefix="cr:skip"):
    """No note (or, once there is one, clear it)."""


class Send(FormButton, prefix="cr:send"):
    """The review's button that does it: Send, Give, Grant, Record, Reverse."""


def answer_step(
    name: str,
    field: str,
    ask: StepAsk[Any],
    typed: StepTyped[Any],
    buttons: Mapping[type[FormButton], StepPress[Any]],
    limit: int,
    *,
    one_line: bool = True,
    required: bool = True,
) -> Step[Any]:
    """A step answered by typing or by a button. Done once its answer is kept in `field`;
    one that is not `required` is asked once, in order, and « Back from later steps reaches it."""
    return Step(
        name,
        ask=ask,
        typed=typed,
        limit=limit,
        one_line=one_line,
        buttons=buttons,
        done=(lambda turn: getattr(turn.answers, field) is not None) if required else None,
    )


async def keep(turn: Turn[Any], field: str, value: object) -> None:
    """Keep the step's answer and go on to the next question."""
    await turn.save(**{field: value})
    await turn.next()


# --- how long ----------------------------------------------------------------------------------


async def one_exchange(turn: Turn[Any]) -> int:
    """The most one exchange may record: the amounts offered unless a form offers fewer."""
    return turn.services.config.max_exchange_minutes


def amount_step(
    question: Question,
    *,
    name: str = "amount",
    most: Callable[[Turn[Any]], Awaitable[int]] = one_exchange,
    take: Take | None = None,
    exchange: bool = True,
    limit: int = TYPED_MAX,
) -> Step[Any]:
    """How long, into the answers' `minutes`: quarter-hour buttons up to `most`, or typed
    ("1½", "90 min"). Never more than one exchange may record, unless it is not an exchange
    (a donation: `take` checks its own limit). `take` (by default: keep it and go on) may
    refuse it, e.g. for more than the pot holds."""

    async def ask(turn: Turn[Any]) -> Screen:
        pick = partial(Amount, turn.form.id)
        return Screen(await question(turn), keyboard(*amount_picker(turn, await most(turn), pick)))

    async def taken(turn: Turn[Any], minutes: int) -> None:
        await (take(turn, minutes) if take is not None else keep(turn, "minutes", minutes))

    async def picked(turn: Turn[Any], press: Amount) -> None:
        ceiling = turn.services.config.max_exchange_minutes if exchange else press.minutes
        if minutes_problem(press.minutes, ceiling) is not None:
            await turn.ask()  # not a button we sent
            return
        await taken(turn, press.minutes)

    async def typed(turn: Turn[Any], text: str) -> None:
        most_one = turn.services.config.max_exchange_minutes if exchange else None
        minutes, problem = typed_minutes(turn.tr, text, most_one)
        if problem is not None or minutes is None:
            await turn.ask(note=problem)
            return
        await taken(turn, minutes)

    return answer_step(name, "minutes", ask, typed, {Amount: picked}, limit)


# --- which day ---------------------------------------------------------------------------------


def day_step(
    question: Question,
    *,
    field: str = "day",
    long_ago: bool = False,
    limit: int = TYPED_MAX,
) -> Step[Any]:
    """Which day, into the answers' `field`: today and the six days before as buttons, or
    typed. Never a day to come, nor more than a year ago unless `long_ago` (a coordinator
    recording)."""

    async def ask(turn: Turn[Any]) -> Screen:
        pick = partial(Day, turn.form.id)
        rows = day_picker(turn, today(turn.services), pick)
        return Screen(await question(turn), keyboard(*rows))

    async def picked(turn: Turn[Any], press: Day) -> None:
        problem = day_problem(press.day, today(turn.services))
        if problem is DayProblem.FUTURE or (problem is not None and not long_ago):
            await turn.ask()  # an old button from days ago: the days offered now
            return
        await keep(turn, field, press.day)

    async def typed(turn: Turn[Any], text: str) -> None:
        day, problem = typed_day(turn.tr, text, today(turn.services), long_ago=long_ago)
        if problem is not None or day is None:
            await turn.ask(note=problem)  # said once, over the question and its day buttons
            return
        await keep(turn, field, day)

    return answer_step("day", field, ask, typed, {Day: picked}, limit)


# --- a few words: a note, a reason ---------------------------------------------------------------


def words_step(
    name: str,
    question: Question,
    *,
    limit: int,
    now: str,
    keep_label: str,
    optional: bool = False,
    clear_label: str = N_("Skip"),
    one_line: bool = True,
) -> Step[Any]:
    """A few typed words, into the answers' field `name`. Coming back to it shows them (`now`,
    an N_ text with a {`name`} placeholder) with Keep. If `optional`, Skip (`clear_label` once
    there are words) goes on without."""

    def skipping(turn: Turn[Any], label: str) -> list[InlineKeyboardButton]:
        return [turn.b(turn.gettext(label), Skip(turn.form.id))] if optional else []

    async def ask(turn: Turn[Any]) -> Screen:
        _ = turn.gettext
        text = await question(turn)
        words = getattr(turn.answers, name)
        if not words:
            return Screen(text, keyboard(skipping(turn, N_("Skip"))))
        text += "\n\n" + _(now).format(**{name: escape(words)})
        keeping = turn.b(_(keep_label), Keep(turn.form.id))
        return Screen(text, keyboard([keeping, *skipping(turn, clear_label)]))

    async def typed(turn: Turn[Any], text: str) -> None:
        await keep(turn, name, text)

    async def kept(turn: Turn[Any], press: Keep) -> None:
        await turn.next()

    async def skipped(turn: Turn[Any], press: Skip) -> None:
        await keep(turn, name, None)

    buttons: dict[type[FormButton], StepPress[Any]] = {Keep: kept}
    if optional:
        buttons[Skip] = skipped
    return answer_step(
        name, name, ask, typed, buttons, limit, one_line=one_line, required=not optional
    )


def note_step(
    question: Question,
    *,
    now: str = N_("Your note now: “{note}”"),
    clear_label: str = N_("Skip"),
    one_line: bool = True,
) -> Step[Any]:
    """What the help was for, in a few words, into the answers' `note`: optional, so asked
    once, in order; « Back from the check reaches it."""
    return words_step(
        "note",
        question,
        limit=NOTE_MAX,
        now=now,
        keep_label=N_("Keep this note"),
        optional=True,
        clear_label=clear_label,
        one_line=one_line,
    )


def reason_step(question: Question) -> Step[Any]:
    """Why (a coordinator's grant or undoing): required, and the member will see it."""
    return words_step(
        "reason",
        question,
        limit=REASON_MAX,
        now=N_("Your reason now: “{reason}”"),
        keep_label=N_("Keep this reason"),
    )


# --- the check ---------------------------------------------------------------------------------


class Review(NamedTuple):
    """The last check: everything as it will be done, and the label of the button doing it."""

    text: str
    send: str


def review_step(
    review: Callable[[Turn[Any]], Awaitable[Review]],
    act: StepPress[Any],
    *,
    name: str = "review",
) -> Step[Any]:
    """The last step: the `review`, and its Send button, which does `act`."""

    async def ask(turn: Turn[Any]) -> Screen:
        text, label = await review(turn)
        return Screen(text, keyboard([turn.b(label, Send(turn.form.id))]))

    return Step(name, ask=ask, buttons={Send: act}, done=never)
