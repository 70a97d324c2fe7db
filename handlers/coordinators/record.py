"""/record: a coordinator records an exchange for members who are not on Telegram (added here
under the name typed, if they are new). It counts as confirmed, shows who recorded it, and
anyone on Telegram is told.

Steps: who helped, who was helped, how long, which day (any past day: coordinators may
record further back than members can), a note (optional), and a review whose Record button
records once per form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from html import escape

from bot.domain import N_
from bot.domain.permissions import Action
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication
from handlers.audit.log import transfer_audited
from handlers.common import Screen
from handlers.coordinators import shared
from handlers.coordinators.notices import RECORDED, told
from handlers.credit_common import NOTE_MAX, day_words, hours_words, name_of, today
from handlers.credit_steps import Review, Send, amount_step, day_step, note_step, review_step
from handlers.forms import Form, FormButton, Turn
from storage.audit import AuditAction

COMMANDS = (
    Command("record", N_("Record an exchange for members not on Telegram"), Action.MANAGE_CREDITS),
)


@dataclass(frozen=True)
class RecordAnswers(shared.Searching):
    giver: int | None = None
    taker: int | None = None
    minutes: int | None = None
    day: date | None = None
    note: str | None = None


class Giver(FormButton, prefix="rc:giver"):
    member: int


class AddGiver(FormButton, prefix="rc:addg"):
    pass


class Taker(FormButton, prefix="rc:taker"):
    member: int


class AddTaker(FormButton, prefix="rc:addt"):
    pass


async def _names(turn: Turn[RecordAnswers]) -> dict[str, str]:
    members = turn.services.members
    return {
        "giver": name_of(await members.get(turn.answers.giver), turn.tr),
        "receiver": name_of(await members.get(turn.answers.taker), turn.tr),
    }


# --- who helped whom -------------------------------------------------------------------------


async def _ask_giver(turn: Turn[RecordAnswers]) -> Screen:
    question = turn.gettext(
        "<b>Record an exchange</b> for members who aren't on Telegram. It counts as "
        "confirmed, and shows that you recorded it.\n\n"
        "Who gave the help? Please type part of their name."
    )
    return await shared.member_question(
        turn, question, partial(Giver, turn.form.id), add=AddGiver(turn.form.id)
    )


async def _ask_taker(turn: Turn[RecordAnswers]) -> Screen:
    question = turn.gettext("Who did {giver} help? Please type part of their name.").format(
        **await _names(turn)
    )
    besides = (turn.answers.giver,) if turn.answers.giver is not None else ()
    return await shared.member_question(
        turn, question, partial(Taker, turn.form.id), besides=besides, add=AddTaker(turn.form.id)
    )


async def _giver(turn: Turn[RecordAnswers], member_id: int) -> None:
    member = await shared.chosen(turn, member_id)
    if member is None:
        return
    taker = None if turn.answers.taker == member.id else turn.answers.taker
    await turn.save(giver=member.id, taker=taker, typed=None, typed_at=None)
    await turn.next()


async def _taker(turn: Turn[RecordAnswers], member_id: int) -> None:
    if member_id == turn.answers.giver:
        note = turn.gettext(
            "The person who helped and the person helped need to be two different people."
        )
        await turn.ask(note=note)
        return
    member = await shared.chosen(turn, member_id)
    if member is None:
        return
    await turn.save(taker=member.id, typed=None, typed_at=None)
    await turn.next()


async def _added(turn: Turn[RecordAnswers]) -> int | None:
    """A new member who isn't on Telegram, named as the coordinator typed at this step."""
    words = shared.typed_here(turn)
    if not words:  # a button from before another search: nothing to add
        await turn.ask()
        return None
    services = turn.services
    member = await services.members.add_offline(words, turn.member.language, services.clock.now())
    return member.id


async def _pick_giver(turn: Turn[RecordAnswers], press: Giver) -> None:
    await _giver(turn, press.member)


async def _add_giver(turn: Turn[RecordAnswers], press: AddGiver) -> None:
    if (member_id := await _added(turn)) is not None:
        await _giver(turn, member_id)


async def _pick_taker(turn: Turn[RecordAnswers], press: Taker) -> None:
    await _taker(turn, press.member)


async def _add_taker(turn: Turn[RecordAnswers], press: AddTaker) -> None:
    if (member_id := await _added(turn)) is not None:
        await _taker(turn, member_id)


# --- how long, and when ----------------------------------------------------------------------


async def _amount_question(turn: Turn[RecordAnswers]) -> str:
    return turn.gettext(
        "How long did {giver} help {receiver} for? Tap the hours, or type it, "
        "for example 1½ or 90 min."
    ).format(**await _names(turn))


async def _day_question(turn: Turn[RecordAnswers]) -> str:
    return turn.gettext(
        "When did {giver} help {receiver}? Tap a day, or type the date, like {example}."
    ).format(example=today(turn.services).strftime("%d/%m/%Y"), **await _names(turn))


# --- the note --------------------------------------------------------------------------------


async def _note_question(turn: Turn[RecordAnswers]) -> str:
    return turn.gettext(
        "Would you like to add a note about what the help was, for example “shopping”? "
        "Please type it (up to {limit} characters), or tap Skip."
    ).format(limit=NOTE_MAX)


# --- the review ------------------------------------------------------------------------------


async def _review(turn: Turn[RecordAnswers]) -> Review:
    services, tr, answers = turn.services, turn.tr, turn.answers
    _ = tr.gettext
    values = {
        **await _names(turn),
        "hours": hours_words(tr, answers.minutes or 0),
        "day": day_words(tr, answers.day or today(services), today(services)),
    }
    lines = [
        _("<b>Please check:</b>"),
        _("{giver} helped {receiver} for {hours}, {day}.").format(**values),
    ]
    if answers.note:
        lines.append(_("Note: {note}").format(note=escape(answers.note)))
    lines += [
        "",
        _(
            "{giver} will earn {hours} and {receiver} will spend them. It will be marked as "
            "recorded by you, and anyone on Telegram will be told."
        ).format(**values),
    ]
    return Review("\n".join(lines), _("✅ Record"))


async def _record(turn: Turn[RecordAnswers], press: Send) -> None:
    answers = turn.answers
    if not (answers.giver and answers.taker and answers.minutes and answers.day):
        await turn.next()  # asks what is missing
        return
    giver = await shared.chosen(turn, answers.giver, step="giver")
    taker = await shared.chosen(turn, answers.taker, step="taker") if giver is not None else None
    if giver is None or taker is None:
        return
    services, tr = turn.services, turn.tr
    made = await services.ledger.record_exchange(
        key=f"form:{turn.form.id}",
        by_coordinator_id=turn.member.id,
        helped_id=taker.id,
        helper_id=giver.id,
        minutes=answers.minutes,
        happened_on=answers.day,
        now=services.clock.now(),
        note=answers.note,
        then=lambda made: (
            [
                transfer_audited(
                    services,
                    AuditAction.RECORD,
                    turn.member.id,
                    made.transfer,
                    giver.id,
                    reason=answers.note,
                    helped=taker.id,
                ),
                *told(RECORDED, made.transfer, [giver, taker]),
            ]
            if made.created
            else []
        ),
    )
    values = {
        "giver": name_of(giver, tr),
        "receiver": name_of(taker, tr),
        "hours": hours_words(tr, answers.minutes),
        "day": day_words(tr, answers.day, today(services)),
    }
    line = tr.gettext("✅ Recorded: {giver} helped {receiver} for {hours}, {day}.").format(**values)
    # Nobody is told twice when a re-delivered press finds it done.
    told_now = [giver, taker] if made.created else []
    await shared.report(turn, [line], told_now, made.transfer.id)


RECORD = Form(
    name="record",
    command="record",
    answers=RecordAnswers,
    who=shared.coordinator,
    steps=(
        shared.member_step("giver", _ask_giver, {Giver: _pick_giver, AddGiver: _add_giver}),
        shared.member_step("taker", _ask_taker, {Taker: _pick_taker, AddTaker: _add_taker}),
        amount_step(_amount_question, limit=shared.TYPED_MAX),
        # A coordinator may record further back than the year members can.
        day_step(_day_question, long_ago=True, limit=shared.TYPED_MAX),
        note_step(_note_question, now=N_("The note now: “{note}”")),
        review_step(_review, _record),
    ),
    finished=shared.dealt_with,
)


def register(app: AmserApplication) -> None:
    shared.register_form(app, RECORD)
