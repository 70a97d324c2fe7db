"""What the coordinators' three credit forms share: who may use them and the command that
starts each, finding a member by a typed name, and telling members what was done. (The steps
every credit form shares -- how long, which day, a note, a reason -- are in
handlers/credit_steps.py.)"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.domain.membership import Status
from bot.domain.permissions import Action
from bot.domain.text import NAME_MAX
from bot.runtime.context import AmserApplication, AmserContext
from bot.runtime.i18n import Translator
from handlers import forms
from handlers.access import allowed, may_do
from handlers.common import Row, Screen, current_member, keyboard, say, translator, user_id
from handlers.coordinators.notices import reachable
from handlers.credit_common import (
    button_name,
    find_members,
    name_of,
)
from handlers.credit_steps import answer_step
from handlers.forms import Form, FormButton, Step, StepAsk, StepPress, Turn
from storage.members import Member

FORM_NAMES = ("grant", "record", "reverse")
SHOWN = 6  # members offered after a name search
TYPED_MAX = 30  # a typed amount or date
ACTIVE = (Status.ACTIVE,)


@dataclass(frozen=True)
class Searching:
    """The part of a form's answers for its name searches: the words last typed, and at which
    step, so that the results (and /record's "Add") are still there after a restart."""

    typed: str | None = None
    typed_at: str | None = None


# --- who is acting ---------------------------------------------------------------------------


async def coordinator(update: Update, context: AmserContext) -> Member | None:
    """The coordinator acting, checked on every command, press and typed answer."""
    services = context.services
    member = await current_member(update, context)
    _ = translator(update, context, member).gettext
    if not may_do(services, user_id(update), Action.MANAGE_CREDITS):
        if member is not None:  # no longer a coordinator: their form goes
            form = await services.forms.of_member(member.id)
            if form is not None and form.name in FORM_NAMES:
                await services.forms.discard(form.id)
        await allowed(update, context, Action.MANAGE_CREDITS, member)  # says no, kindly
        return None
    if member is None or member.status is not Status.ACTIVE or member.telegram_id is None:
        text = _(
            "Please finish joining first with /start, so members can see who looked after "
            "their credits."
        )
        await say(update, context, Screen(text))
        return None
    return member


Ready = Callable[[Update, AmserContext, Member], Awaitable[bool]]


def register_form(app: AmserApplication, spec: Form[Any], ready: Ready | None = None) -> None:
    """A coordinator's form and the command that starts it: for coordinators only, and only
    when it is `ready` to start (which says why not, when not)."""

    async def command(update: Update, context: AmserContext) -> None:
        me = await coordinator(update, context)
        if me is not None and (ready is None or await ready(update, context, me)):
            await forms.start(update, context, me, spec)

    app.add_handler(CommandHandler(spec.command, command, filters.ChatType.PRIVATE))
    forms.register(app, spec)


# --- choosing members ------------------------------------------------------------------------


def label(member: Member, tr: Translator) -> str:
    """A member as a button: "(not on Telegram)" for those a coordinator records for."""
    if member.telegram_id is None:
        return tr.gettext("{name} (not on Telegram)").format(name=button_name(member, tr))
    return button_name(member, tr)


def choice_problem(
    tr: Translator, me: Member, other: Member | None, statuses: tuple[Status, ...]
) -> str | None:
    """Why this member can't be chosen, kindly; None if they can."""
    _ = tr.gettext
    if other is None or other.status not in statuses:
        return _(
            "Sorry, {name} isn't an active member at the moment, so I can't do this for them."
        ).format(name=name_of(other, tr))
    if other.id == me.id:
        return _("That's you! Another coordinator will need to do this one for you.")
    return None


def nobody(tr: Translator, words: str, statuses: tuple[Status, ...]) -> str:
    if Status.SUSPENDED in statuses:  # suspended members are found too
        text = tr.gettext(
            "I couldn't find a member whose name has “{words}” in it. Please check the "
            "spelling, or type just part of the name."
        )
    else:
        text = tr.gettext(
            "I couldn't find an active member whose name has “{words}” in it. Please check the "
            "spelling, or type just part of the name."
        )
    return text.format(words=escape(words))


def typed_here(turn: Turn[Any]) -> str | None:
    """The name typed at this step, if any: the question then shows who was found."""
    answers: Searching = turn.answers
    return answers.typed if answers.typed_at == turn.form.step else None


async def member_question(
    turn: Turn[Any],
    question: str,
    pick: Callable[[int], FormButton],
    *,
    statuses: tuple[Status, ...] = ACTIVE,
    besides: Sequence[int] = (),
    add: FormButton | None = None,
) -> Screen:
    """The question of who, or, after a name was typed, the members found as buttons (and,
    with `add`, a button to add someone who isn't on Telegram under the typed name)."""
    words = typed_here(turn)
    if words is None:
        return Screen(question)
    tr = turn.tr
    _ = tr.gettext
    found = await find_members(
        turn.services, turn.member, words, shown=SHOWN, statuses=statuses, besides=besides
    )
    if not found.members and add is None:
        if found.only_me:
            return Screen(question).after(
                _("That's you! Another coordinator will need to do this one for you.")
            )
        return Screen(question).after(nobody(tr, words, statuses))
    rows: list[Row] = [[turn.b(label(m, tr), pick(m.id))] for m in found.members]
    if found.members:
        text = _("Who do you mean? Tap their name, or type another name.")
        if found.more:
            text += "\n" + _("If you can't see them, type more of their name.")
    else:
        text = nobody(tr, words, statuses)
    same = any((m.display_name or "").casefold() == words.casefold() for m in found.members)
    if add is not None and not same:
        adding = _("➕ Add “{name}” as a member who isn't on Telegram").format(name=words)
        rows.append([turn.b(adding, add)])
    return Screen(text, keyboard(*rows))


def member_step(
    name: str, ask: StepAsk[Any], buttons: Mapping[type[FormButton], StepPress[Any]]
) -> Step[Any]:
    """A step choosing a member by a typed name; the answer is kept in the field `name`."""
    return answer_step(name, name, ask, search, buttons, NAME_MAX)


async def search(turn: Turn[Any], words: str) -> None:
    """A typed name: keep it, and show who has it."""
    await turn.save(typed=words, typed_at=turn.form.step)
    await turn.ask()


async def chosen(
    turn: Turn[Any],
    member_id: int,
    statuses: tuple[Status, ...] = ACTIVE,
    *,
    step: str | None = None,
) -> Member | None:
    """The member picked, if they may (still) be chosen; otherwise their step (by default the
    one the form is on) is asked again, saying why."""
    other = await turn.services.members.get(member_id)
    problem = choice_problem(turn.tr, turn.member, other, statuses)
    if problem is None and other is not None:
        return other
    await turn.go(step or turn.form.step, note=problem)
    return None


# --- afterwards ------------------------------------------------------------------------------


def told_lines(tr: Translator, members: list[Member]) -> list[str]:
    """For the coordinator: who will hear (their notices are queued with the transfer), and
    who needs telling in person."""
    lines = []
    for member in members:
        if member.status is Status.ERASED:
            continue
        if reachable(member):
            text = tr.gettext("I've let {name} know.")
        else:
            text = tr.gettext(
                "I couldn't reach {name} on Telegram, so please let them know in person."
            )
        lines.append(text.format(name=name_of(member, tr)))
    return lines


async def report(turn: Turn[Any], lines: list[str], told: list[Member], outcome: int) -> None:
    """The form is done: show the coordinator what was done and who will hear (nobody when a
    re-delivered press finds it done already)."""
    await turn.finish(Screen("\n".join([*lines, *told_lines(turn.tr, told)])), outcome=outcome)


async def dealt_with(turn: Turn[Any]) -> None:
    """A press on a form already sent (a double tap, a re-delivered press)."""
    await turn.show(Screen(turn.gettext("This has already been dealt with. Thank you!")))
