"""What the coordinators' three credit forms share: who may use them, finding a member by a
typed name, the reason step, and telling members what was done."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from telegram import Update

from bot.domain.ledger import minutes_problem
from bot.domain.membership import Status
from bot.domain.text import NAME_MAX
from bot.runtime.context import AmserContext
from bot.runtime.i18n import Translator
from handlers.common import Row, Screen, current_member, deliver, keyboard, say, translator, user_id
from handlers.credit_common import (
    REASON_MAX,
    button_name,
    find_members,
    may_manage_credits,
    name_of,
    typed_minutes,
)
from handlers.forms import FormButton, Step, Turn, never
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
    if not may_manage_credits(services, user_id(update)):
        if member is not None:  # no longer a coordinator: their form goes
            form = await services.forms.of_member(member.id)
            if form is not None and form.name in FORM_NAMES:
                await services.forms.discard(form.id)
        await say(update, context, Screen(_("Sorry, only coordinators can do that.")))
        return None
    if member is None or member.status is not Status.ACTIVE or member.telegram_id is None:
        text = _(
            "Please finish joining first with /start, so members can see who looked after "
            "their credits."
        )
        await say(update, context, Screen(text))
        return None
    return member


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
    name: str,
    ask: Callable[[Turn[Any]], Awaitable[Screen]],
    buttons: Mapping[type[FormButton], Callable[[Turn[Any], Any], Awaitable[None]]],
) -> Step:
    """A step choosing a member by a typed name; the answer is kept in the field `name`."""
    return Step(
        name,
        ask=ask,
        typed=search,
        limit=NAME_MAX,
        buttons=buttons,
        done=lambda turn: getattr(turn.answers, name) is not None,
    )


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


# --- how long -------------------------------------------------------------------------------


def amount_step(
    ask: Callable[[Turn[Any]], Awaitable[Screen]],
    kind: type[FormButton],
    too_much: Callable[[Turn[Any], int], Awaitable[str | None]] | None = None,
) -> Step:
    """How long, tapped or typed, into the answers' `minutes`: never more than one exchange may
    record, nor what `too_much` refuses (what the pot holds)."""

    async def take(turn: Turn[Any], minutes: int) -> None:
        problem = await too_much(turn, minutes) if too_much is not None else None
        if problem is not None:
            await turn.ask(note=problem)
            return
        await turn.save(minutes=minutes)
        await turn.next()

    async def picked(turn: Turn[Any], press: Any) -> None:
        if minutes_problem(press.minutes, turn.services.config.max_exchange_minutes) is not None:
            await turn.ask()  # a made-up amount
            return
        await take(turn, press.minutes)

    async def typed(turn: Turn[Any], text: str) -> None:
        most = turn.services.config.max_exchange_minutes
        minutes, problem = typed_minutes(turn.tr, text, most)
        if problem is not None or minutes is None:
            await turn.ask(note=problem)
            return
        await take(turn, minutes)

    return Step(
        "amount",
        ask=ask,
        typed=typed,
        limit=TYPED_MAX,
        buttons={kind: picked},
        done=lambda turn: turn.answers.minutes is not None,
    )


# --- the reason ------------------------------------------------------------------------------


def reason_step(keep: type[FormButton], question: Callable[[Turn[Any]], Awaitable[str]]) -> Step:
    """Why: typed, up to REASON_MAX; coming back to it offers to keep the one given."""

    async def ask(turn: Turn[Any]) -> Screen:
        _ = turn.gettext
        text = await question(turn)
        reason = turn.answers.reason
        if not reason:
            return Screen(text)
        text += "\n\n" + _("Your reason now: “{reason}”").format(reason=escape(reason))
        return Screen(text, keyboard([turn.b(_("Keep this reason"), keep(turn.form.id))]))

    async def typed(turn: Turn[Any], text: str) -> None:
        await turn.save(reason=text)
        await turn.next()

    async def kept(turn: Turn[Any], press: FormButton) -> None:
        await turn.next()

    return Step(
        "reason",
        ask=ask,
        typed=typed,
        limit=REASON_MAX,
        buttons={keep: kept},
        done=lambda turn: turn.answers.reason is not None,
    )


def review_step(
    ask: Callable[[Turn[Any]], Awaitable[Screen]],
    kind: type[FormButton],
    send: Callable[[Turn[Any], Any], Awaitable[None]],
) -> Step:
    """The last step: everything as it will be done, and the button that does it."""
    return Step("review", ask=ask, buttons={kind: send}, done=never)


# --- afterwards ------------------------------------------------------------------------------


async def tell(turn: Turn[Any], notices: list[tuple[Member, Screen]]) -> list[str]:
    """Send each member their notice; lines for the coordinator on who heard and who didn't."""
    tr = turn.tr
    lines = []
    for member, notice in notices:
        if member.status is Status.ERASED:
            continue
        if await deliver(turn.context, member, notice):
            text = tr.gettext("I've let {name} know.")
        else:
            text = tr.gettext(
                "I couldn't reach {name} on Telegram, so please let them know in person."
            )
        lines.append(text.format(name=name_of(member, tr)))
    return lines


async def dealt_with(turn: Turn[Any]) -> None:
    """A press on a form already sent (a double tap, a re-delivered press)."""
    await turn.show(Screen(turn.gettext("This has already been dealt with. Thank you!")))
