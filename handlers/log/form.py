"""/log: a member records time given or received, step by step, for the other member to confirm.

A form (kept in the forms table, so a restart loses nothing): who, which way, how long, which
day, what for, then a check with Send. Sending makes one exchange per form, ever: a double tap
or a re-delivered Send shows what was sent again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from html import escape

from bot.domain import N_
from bot.domain.ledger import FloorDecision, floor_decision
from bot.domain.membership import Status
from bot.runtime.context import Services
from handlers import details
from handlers.common import Row, Screen, keyboard, tr_for
from handlers.credit_common import (
    button_name,
    day_words,
    find_members,
    hours_words,
    name_of,
    today,
)
from handlers.credit_steps import (
    Review,
    Send,
    Who,
    amount_step,
    answer_step,
    day_step,
    note_step,
    review_step,
)
from handlers.forms import Back, Cancel, Form, FormButton, Step, Turn
from handlers.log import notices
from handlers.menu import back_to_menu
from storage.members import Member

NAME_SEARCH_MAX = 60
PARTNERS_SHOWN = 6

# The steps' names (kept in the forms table); credit_steps names the "day" and "note" steps.
WHO, DIRECTION, MINUTES, REVIEW = "who", "direction", "minutes", "review"


@dataclass(frozen=True)
class LogAnswers:
    other_id: int | None = None
    gave: bool | None = None  # True: the member helped the other; False: was helped
    minutes: int | None = None
    happened_on: date | None = None
    note: str | None = None
    introduction_id: int | None = None
    listing_id: int | None = None


# --- buttons -----------------------------------------------------------------------------------


class PickDirection(FormButton, prefix="lg:dir"):
    gave: bool


# --- who -------------------------------------------------------------------------------------


async def partner_problem(services: Services, member: Member, other: Member | None) -> str | None:
    """Why this member can't be the other side of an exchange, in the member's words; or None."""
    tr = tr_for(services, member)
    _ = tr.gettext
    if other is None:  # erased since, or a made-up button
        return _("Please choose again.")
    if other.id == member.id:
        return _("That's you! Please choose the person you exchanged time with.")
    if other.status is not Status.ACTIVE:
        return _(
            "Sorry, {name} can't take part in exchanges at the moment. A coordinator can help "
            "if something needs recording."
        ).format(name=name_of(other, tr))
    if other.telegram_id is None:
        return _(
            "{name} isn't on Telegram, so they can't confirm it here. Please ask a coordinator "
            "to record it for you both."
        ).format(name=name_of(other, tr))
    if await services.blocks.is_blocked_either_way(member.id, other.id):
        return _("Sorry, I can't log an exchange with {name}. A coordinator can help.").format(
            name=name_of(other, tr)
        )
    return None


def _pick_rows(turn: Turn[LogAnswers], members: list[Member]) -> list[Row]:
    return [[turn.b(button_name(m, turn.tr), Who(turn.form.id, m.id))] for m in members]


async def _ask_who(turn: Turn[LogAnswers]) -> Screen:
    _ = turn.gettext
    services, member = turn.services, turn.member
    intros = await services.introductions.partners_of(member.id, limit=PARTNERS_SHOWN * 2)
    partners = [
        m
        for intro in intros
        if (m := await services.members.get(intro.other(member.id))) is not None
        and await partner_problem(services, member, m) is None  # only people it can be with
    ][:PARTNERS_SHOWN]
    rows = _pick_rows(turn, partners)
    if partners:
        text = _(
            "<b>Log time</b>\nWho was the exchange with? Tap their name, or type part of "
            "the name of someone else."
        )
    else:
        text = _(
            "<b>Log time</b>\nWho was the exchange with? Please type their name "
            "(part of it is fine)."
        )
    return Screen(text, keyboard(*rows))


async def _search(turn: Turn[LogAnswers], words: str) -> None:
    """Members whose name matches what was typed, as buttons to pick from."""
    _ = turn.gettext
    found = await find_members(turn.services, turn.member, words, shown=PARTNERS_SHOWN)
    if not found.members:
        note = (
            _("That's you! Please type the name of the person you exchanged time with.")
            if found.only_me
            else _("I couldn't find a member called “{words}”. Please check the spelling, or "
                   "type just part of the name.").format(words=escape(words))
        )  # fmt: skip
        await turn.ask(note=note)
        return
    pick = _pick_rows(turn, found.members)
    text = _("Which of these is the person you exchanged time with?")
    if found.more:
        text += "\n" + _("If you can't see them, type more of their name.")
    # The form stays on "who": « Back asks the question of who again, a new name searches again.
    controls = [
        turn.b(_("« Back"), Back(form=turn.form.id, step=WHO)),
        turn.b(_("Cancel"), Cancel(form=turn.form.id)),
    ]
    await turn.show(Screen(text, keyboard(*pick, controls)))


async def _picked_who(turn: Turn[LogAnswers], press: Who) -> None:
    services, member = turn.services, turn.member
    other = await services.members.get(press.member)
    problem = await partner_problem(services, member, other)
    if problem is not None or other is None:
        await turn.ask(note=problem)
        return
    # Linked to their introduction, if they had one, so the exchange says what it settled.
    intro = await services.introductions.latest_between(member.id, other.id)
    same = other.id == turn.answers.other_id
    await turn.save(
        other_id=other.id,
        introduction_id=intro.id if intro else None,
        listing_id=intro.listing_id if intro else None,
        gave=turn.answers.gave if same else None,  # "I helped {name}" names them: ask again
    )
    await turn.next()


# --- which way, how long, which day, what for ----------------------------------------------------


async def _other(turn: Turn[LogAnswers]) -> Member | None:
    return await turn.services.members.get(turn.answers.other_id)


async def _ask_direction(turn: Turn[LogAnswers]) -> Screen:
    _ = turn.gettext
    other = await _other(turn)
    name, label = name_of(other, turn.tr), button_name(other, turn.tr)
    pick = partial(PickDirection, turn.form.id)
    return Screen(
        _("Which way did the help go between you and {name}?").format(name=name),
        keyboard(
            [turn.b(_("🤲 I helped {name}").format(name=label), pick(True))],
            [turn.b(_("🙏 {name} helped me").format(name=label), pick(False))],
        ),
    )


async def _picked_direction(turn: Turn[LogAnswers], press: PickDirection) -> None:
    await turn.save(gave=press.gave)
    await turn.next()


async def _minutes_question(turn: Turn[LogAnswers]) -> str:
    return turn.gettext(
        "How long did it take? Tap the hours (¼ is a quarter of an hour), or type it, "
        "for example 1½ or 90 min."
    )


async def _day_question(turn: Turn[LogAnswers]) -> str:
    return turn.gettext("When was it? Tap a day, or type the date.")


async def _note_question(turn: Turn[LogAnswers]) -> str:
    return turn.gettext(
        "What was it for? Type a few words, for example “Lift to the surgery”, so you "
        "both remember. Or tap Skip."
    )


# --- the check, and sending ----------------------------------------------------------------------


async def _ask_review(turn: Turn[LogAnswers]) -> Review:
    tr, answers, services = turn.tr, turn.answers, turn.services
    _ = tr.gettext
    minutes, day = answers.minutes or 0, answers.happened_on or today(services)
    other = await _other(turn)
    name = name_of(other, tr)
    values = {
        "name": name,
        "hours": hours_words(tr, minutes),
        "day": day_words(tr, day, today(services)),
    }
    if answers.gave:
        what = _("You helped {name} for {hours}, {day}.").format(**values)
    else:
        what = _("{name} helped you for {hours}, {day}.").format(**values)
    lines = [_("<b>Please check:</b>"), what]
    if answers.note:
        lines.append(_("What for: {note}").format(note=escape(answers.note)))
    if not answers.gave:
        balance = await services.ledger.balance(turn.member.id)
        floor = services.config.balance_floor_minutes
        if floor_decision(balance, minutes, floor) is FloorDecision.NEEDS_APPROVAL:
            lines += [
                "",
                _(
                    "This would take your balance to {after}, beyond the community's limit of "
                    "{floor}. That's all right: there's no shame in receiving help. Once {name} "
                    "confirms, a coordinator will be asked to say yes."
                ).format(
                    after=hours_words(tr, balance - minutes),
                    floor=hours_words(tr, floor),
                    name=name,
                ),
            ]
    lines += ["", _("I'll ask {name} to confirm it.").format(name=name)]
    return Review("\n".join(lines), _("✅ Send to {name}").format(name=button_name(other, tr)))


async def _send(turn: Turn[LogAnswers], press: Send) -> None:
    services, member, answers = turn.services, turn.member, turn.answers
    if answers.gave is None or not answers.minutes or answers.happened_on is None:
        await turn.next()  # the first question still unanswered
        return
    other = await _other(turn)
    problem = await partner_problem(services, member, other)
    if problem is not None or other is None:
        await turn.save(other_id=None)
        await turn.go(WHO, note=problem)
        return
    helper, helped = (member, other) if answers.gave else (other, member)
    created = await services.ledger.propose(
        key=f"form:{turn.form.id}",
        created_by=member.id,
        helped_id=helped.id,
        helper_id=helper.id,
        minutes=answers.minutes,
        happened_on=answers.happened_on,
        now=services.clock.now(),
        note=answers.note,
        listing_id=answers.listing_id,
        introduction_id=answers.introduction_id,
        then=notices.logged,
    )
    await turn.finish(_sent_screen(services, member, other), outcome=created.transfer.id)


def _sent_screen(services: Services, member: Member, other: Member | None) -> Screen:
    tr = tr_for(services, member)
    return Screen(
        tr.gettext(
            "✅ Sent. I've asked {name} to confirm it, and I'll let you know when they do. "
            "Thank you for logging it!"
        ).format(name=name_of(other, tr)),
        keyboard(back_to_menu(services, member)),
    )


async def _sent_already(turn: Turn[LogAnswers]) -> None:
    """Send tapped twice, or re-delivered: it was sent once; say so again."""
    await turn.show(_sent_screen(turn.services, turn.member, await _other(turn)))


async def _nothing_logged(turn: Turn[LogAnswers]) -> None:
    _ = turn.gettext
    screen = Screen(
        _("Okay, nothing was logged."), keyboard(back_to_menu(turn.services, turn.member))
    )
    await turn.close(screen)


LOG = Form(
    name="log",
    command="log",
    answers=LogAnswers,
    who=details.active_member,
    steps=(
        answer_step(WHO, "other_id", _ask_who, _search, {Who: _picked_who}, NAME_SEARCH_MAX),
        Step(
            DIRECTION,
            ask=_ask_direction,
            buttons={PickDirection: _picked_direction},
            done=lambda turn: turn.answers.gave is not None,
        ),
        amount_step(_minutes_question, name=MINUTES),
        day_step(_day_question, field="happened_on"),
        note_step(_note_question, clear_label=N_("No note"), one_line=False),
        review_step(_ask_review, _send, name=REVIEW),
    ),
    cancel=_nothing_logged,
    finished=_sent_already,
)
