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

from bot.domain.ledger import FloorDecision, day_problem, floor_decision, minutes_problem
from bot.domain.membership import Status
from bot.runtime.context import Services
from handlers import details
from handlers.common import Screen, keyboard, tr_for
from handlers.credit_common import (
    NOTE_MAX,
    amount_picker,
    button_name,
    day_picker,
    day_words,
    hours_words,
    name_of,
    today,
    typed_day,
    typed_minutes,
)
from handlers.forms import Back, Cancel, Form, FormButton, Step, Turn, never
from handlers.log import confirm
from handlers.menu import back_to_menu
from storage.members import Member

NAME_SEARCH_MAX = 60
TYPED_MAX = 40  # "2 hours 15 minutes", "dydd Llun diwethaf" and the like, with room to spare
PARTNERS_SHOWN = 6

WHO, DIRECTION, MINUTES, DAY, NOTE, REVIEW = "who", "direction", "minutes", "day", "note", "review"


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


@dataclass(frozen=True)
class PickWho(FormButton, prefix="lg:who"):
    member: int


@dataclass(frozen=True)
class PickDirection(FormButton, prefix="lg:dir"):
    gave: bool


@dataclass(frozen=True)
class PickMinutes(FormButton, prefix="lg:min"):
    minutes: int


@dataclass(frozen=True)
class PickDay(FormButton, prefix="lg:day"):
    day: date


@dataclass(frozen=True)
class SkipNote(FormButton, prefix="lg:skip"):
    pass


@dataclass(frozen=True)
class KeepNote(FormButton, prefix="lg:keep"):
    pass


@dataclass(frozen=True)
class Send(FormButton, prefix="lg:send"):
    pass


# --- who -------------------------------------------------------------------------------------


async def partner_problem(services: Services, member: Member, other: Member) -> str | None:
    """Why this member can't be the other side of an exchange, in the member's words; or None."""
    tr = tr_for(services, member)
    _ = tr.gettext
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


async def _ask_who(turn: Turn[LogAnswers]) -> Screen:
    _ = turn.gettext
    services, member = turn.services, turn.member
    intros = await services.introductions.partners_of(member.id, limit=PARTNERS_SHOWN * 2)
    partners = [
        m
        for intro in intros
        if (m := await services.members.get(intro.other(member.id))) is not None
        and m.status is Status.ACTIVE
    ][:PARTNERS_SHOWN]
    rows = [[turn.b(button_name(m, turn.tr), PickWho(turn.form.id, m.id))] for m in partners]
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
    found = await turn.services.members.find_by_name(words, limit=PARTNERS_SHOWN + 1)
    others = [m for m in found if m.id != turn.member.id]
    if not others:
        note = (
            _("That's you! Please type the name of the person you exchanged time with.")
            if found
            else _("I couldn't find a member called “{words}”. Please check the spelling, or "
                   "type just part of the name.").format(words=escape(words))
        )  # fmt: skip
        await turn.ask(note=note)
        return
    pick = [
        [turn.b(button_name(m, turn.tr), PickWho(turn.form.id, m.id))]
        for m in others[:PARTNERS_SHOWN]
    ]
    text = _("Which of these is the person you exchanged time with?")
    if len(others) > PARTNERS_SHOWN:
        text += "\n" + _("If you can't see them, type more of their name.")
    # The form stays on "who": « Back asks the question of who again, a new name searches again.
    controls = [
        turn.b(_("« Back"), Back(form=turn.form.id, step=WHO)),
        turn.b(_("Cancel"), Cancel(form=turn.form.id)),
    ]
    await turn.show(Screen(text, keyboard(*pick, controls)))


async def _picked_who(turn: Turn[LogAnswers], press: PickWho) -> None:
    services, member = turn.services, turn.member
    other = await services.members.get(press.member)
    problem = (
        await partner_problem(services, member, other)
        if other is not None
        else turn.gettext("Please choose again.")
    )
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


async def _ask_minutes(turn: Turn[LogAnswers]) -> Screen:
    text = turn.gettext(
        "How long did it take? Tap the hours (¼ is a quarter of an hour), or type it, "
        "for example 1½ or 90 min."
    )
    most = turn.services.config.max_exchange_minutes
    return Screen(text, keyboard(*amount_picker(turn, most, partial(PickMinutes, turn.form.id))))


async def _picked_minutes(turn: Turn[LogAnswers], press: PickMinutes) -> None:
    if minutes_problem(press.minutes, turn.services.config.max_exchange_minutes) is not None:
        await turn.ask()  # not a button we sent
        return
    await turn.save(minutes=press.minutes)
    await turn.next()


async def _typed_minutes(turn: Turn[LogAnswers], text: str) -> None:
    most = turn.services.config.max_exchange_minutes
    minutes, problem = typed_minutes(turn.tr, text, most)
    if problem is not None:
        await turn.ask(note=problem)
        return
    await turn.save(minutes=minutes)
    await turn.next()


async def _ask_day(turn: Turn[LogAnswers]) -> Screen:
    pick = partial(PickDay, turn.form.id)
    rows = day_picker(turn, today(turn.services), pick)
    return Screen(turn.gettext("When was it? Tap a day, or type the date."), keyboard(*rows))


async def _picked_day(turn: Turn[LogAnswers], press: PickDay) -> None:
    if day_problem(press.day, today(turn.services)) is not None:
        await turn.ask()  # an old button from days ago: the days offered now
        return
    await turn.save(happened_on=press.day)
    await turn.next()


async def _typed_day(turn: Turn[LogAnswers], text: str) -> None:
    day, problem = typed_day(turn.tr, text, today(turn.services))
    if problem is not None:
        await turn.ask(note=problem)  # said once, over the question and its day buttons
        return
    await turn.save(happened_on=day)
    await turn.next()


async def _ask_note(turn: Turn[LogAnswers]) -> Screen:
    _ = turn.gettext
    text = _(
        "What was it for? Type a few words, for example “Lift to the surgery”, so you "
        "both remember. Or tap Skip."
    )
    choices = [turn.b(_("Skip"), SkipNote(turn.form.id))]
    if turn.answers.note:
        text += "\n\n" + _("Your note now: “{note}”").format(note=escape(turn.answers.note))
        choices = [
            turn.b(_("Keep this note"), KeepNote(turn.form.id)),
            turn.b(_("No note"), SkipNote(turn.form.id)),
        ]
    return Screen(text, keyboard(choices))


async def _typed_note(turn: Turn[LogAnswers], text: str) -> None:
    await turn.save(note=text)
    await turn.next()


async def _skip_note(turn: Turn[LogAnswers], press: SkipNote) -> None:
    await turn.save(note=None)
    await turn.next()


async def _keep_note(turn: Turn[LogAnswers], press: KeepNote) -> None:
    await turn.next()


# --- the check, and sending ----------------------------------------------------------------------


async def _ask_review(turn: Turn[LogAnswers]) -> Screen:
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
    send = turn.b(_("✅ Send to {name}").format(name=button_name(other, tr)), Send(turn.form.id))
    return Screen("\n".join(lines), keyboard([send]))


async def _send(turn: Turn[LogAnswers], press: Send) -> None:
    services, member, answers = turn.services, turn.member, turn.answers
    if answers.gave is None or not answers.minutes or answers.happened_on is None:
        await turn.next()  # the first question still unanswered
        return
    other = await _other(turn)
    problem = (
        await partner_problem(services, member, other)
        if other is not None
        else turn.gettext("Please choose again.")
    )
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
    )
    await turn.finish(_sent_screen(services, member, other), outcome=created.transfer.id)
    if created.created:
        await confirm.ask_to_confirm(turn.context, created.transfer)


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
        Step(
            WHO,
            ask=_ask_who,
            typed=_search,
            limit=NAME_SEARCH_MAX,
            buttons={PickWho: _picked_who},
            done=lambda turn: turn.answers.other_id is not None,
        ),
        Step(
            DIRECTION,
            ask=_ask_direction,
            buttons={PickDirection: _picked_direction},
            done=lambda turn: turn.answers.gave is not None,
        ),
        Step(
            MINUTES,
            ask=_ask_minutes,
            typed=_typed_minutes,
            limit=TYPED_MAX,
            buttons={PickMinutes: _picked_minutes},
            done=lambda turn: turn.answers.minutes is not None,
        ),
        Step(
            DAY,
            ask=_ask_day,
            typed=_typed_day,
            limit=TYPED_MAX,
            buttons={PickDay: _picked_day},
            done=lambda turn: turn.answers.happened_on is not None,
        ),
        # Optional, so asked once in order (done once seen); « Back from the check reaches it.
        Step(
            NOTE,
            ask=_ask_note,
            typed=_typed_note,
            limit=NOTE_MAX,
            one_line=False,
            buttons={SkipNote: _skip_note, KeepNote: _keep_note},
        ),
        Step(REVIEW, ask=_ask_review, buttons={Send: _send}, done=never),
    ),
    cancel=_nothing_logged,
    finished=_sent_already,
)
