"""/grant: a coordinator gives a member time credits from the community pot (never more than
it holds) or, Spice-style, from an organisation the member volunteered for (which goes below
zero as it gives). The member is told, with the reason.

Steps: where from (only when `[ledger] organisations` is configured), who, how much, why,
and a review whose Grant button gives once per form, however often it is pressed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from html import escape

from telegram import Update

from bot.domain import N_
from bot.domain.ledger import QUARTER_HOUR
from bot.domain.permissions import Action
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers.audit.log import transfer_audited
from handlers.common import Screen, keyboard, say, tr_for
from handlers.coordinators import shared
from handlers.coordinators.notices import GIVEN, told
from handlers.credit_common import day_words, hours_words, name_of, today
from handlers.credit_steps import (
    Review,
    Send,
    Who,
    amount_step,
    keep,
    one_exchange,
    reason_step,
    review_step,
)
from handlers.forms import Form, FormButton, Step, Turn
from storage.audit import AuditAction
from storage.effects import Audit
from storage.ledger import NotEnough, Transfer
from storage.members import Member

COMMANDS = (Command("grant", N_("Give time credits to a member"), Action.MANAGE_CREDITS),)


@dataclass(frozen=True)
class GrantAnswers(shared.Searching):
    organisation: str | None = None  # None: the community pot
    member: int | None = None
    minutes: int | None = None
    reason: str | None = None


class FromPot(FormButton, prefix="gr:pot"):
    pass


class FromOrganisation(FormButton, prefix="gr:org"):
    index: int  # the organisation's place in the configured list, looked up again on arrival


async def pot_most(services: Services) -> tuple[int, int]:
    """What the pot holds, and the most one grant may give (whole quarter-hours)."""
    pot = (await services.ledger.pot()).balance
    most = min(services.config.max_exchange_minutes, pot - pot % QUARTER_HOUR)
    return pot, max(most, 0)


def empty_pot(tr: Translator) -> str:
    return tr.gettext(
        "The community pot is empty at the moment, so there's nothing to give. When members "
        "donate credits to the pot, you can share them out here."
    )


# --- where from ------------------------------------------------------------------------------


async def _ask_source(turn: Turn[GrantAnswers]) -> Screen:
    _ = turn.gettext
    pot, _most = await pot_most(turn.services)
    text = _(
        "<b>Give time credits</b>\nThe community pot holds {pot}.\n\n"
        "Where do the credits come from: the community pot, or an organisation a member "
        "volunteered for?"
    ).format(pot=hours_words(turn.tr, pot))
    rows = [[turn.b(_("🫙 The community pot"), FromPot(turn.form.id))]]
    rows += [
        [turn.b(name, FromOrganisation(turn.form.id, index))]
        for index, name in enumerate(turn.services.config.organisations)
    ]
    return Screen(text, keyboard(*rows))


async def _from_pot(turn: Turn[GrantAnswers], press: FromPot) -> None:
    pot, most = await pot_most(turn.services)
    if most < QUARTER_HOUR:
        await turn.ask(note=empty_pot(turn.tr))
        return
    minutes = turn.answers.minutes
    await turn.save(organisation=None, minutes=minutes if minutes and minutes <= pot else None)
    await turn.next()


async def _from_organisation(turn: Turn[GrantAnswers], press: FromOrganisation) -> None:
    organisations = turn.services.config.organisations
    if not 0 <= press.index < len(organisations):  # an old button, or a forged one
        note = turn.gettext("That organisation isn't on the list any more. Please choose again.")
        await turn.ask(note=note)
        return
    await turn.save(organisation=organisations[press.index])
    await turn.next()


# --- who -------------------------------------------------------------------------------------


async def _ask_member(turn: Turn[GrantAnswers]) -> Screen:
    _ = turn.gettext
    organisation = turn.answers.organisation
    if organisation is not None:
        question = _(
            "<b>Give time credits from {organisation}</b>\n\n"
            "Who would you like to give credits to? Please type part of their name."
        ).format(organisation=escape(organisation))
    else:
        pot, _most = await pot_most(turn.services)
        question = _(
            "<b>Give credits from the community pot</b>\nThe pot holds {pot}.\n\n"
            "Who would you like to give credits to? Please type part of their name."
        ).format(pot=hours_words(turn.tr, pot))
    return await shared.member_question(turn, question, partial(Who, turn.form.id))


async def _grant_to(turn: Turn[GrantAnswers], press: Who) -> None:
    member = await shared.chosen(turn, press.member)
    if member is not None:
        await turn.save(member=member.id, typed=None, typed_at=None)
        await turn.next()


# --- how much --------------------------------------------------------------------------------


async def _amount_question(turn: Turn[GrantAnswers]) -> str:
    tr = turn.tr
    _ = tr.gettext
    member = await turn.services.members.get(turn.answers.member)
    organisation = turn.answers.organisation
    if organisation is not None:  # no pot to limit it
        return _(
            "How much would you like to give {name} from {organisation}?\n"
            "Tap an amount, or type one, for example 1½ or 90 min."
        ).format(name=name_of(member, tr), organisation=escape(organisation))
    pot, _most = await pot_most(turn.services)
    return _(
        "How much would you like to give {name}? The community pot holds {pot}.\n"
        "Tap an amount, or type one, for example 1½ or 90 min."
    ).format(name=name_of(member, tr), pot=hours_words(tr, pot))


async def _most(turn: Turn[GrantAnswers]) -> int:
    """The amounts offered: no more than the pot holds, when it gives."""
    if turn.answers.organisation is not None:
        return await one_exchange(turn)
    return (await pot_most(turn.services))[1]


async def _take_amount(turn: Turn[GrantAnswers], minutes: int) -> None:
    """Never more than the pot holds now, when it gives."""
    if turn.answers.organisation is None:
        pot = (await turn.services.ledger.pot()).balance
        if minutes > pot:
            note = turn.gettext(
                "The community pot holds {pot}, so please choose that much or less."
            ).format(pot=hours_words(turn.tr, pot))
            await turn.ask(note=note)
            return
    await keep(turn, "minutes", minutes)


# --- why, and the review ---------------------------------------------------------------------


async def _reason_question(turn: Turn[GrantAnswers]) -> str:
    tr = turn.tr
    _ = tr.gettext
    member = await turn.services.members.get(turn.answers.member)
    hours = hours_words(tr, turn.answers.minutes or 0)
    organisation = turn.answers.organisation
    if organisation is not None:
        return _(
            "Why is {organisation} giving {name} {hours}? Please type a short reason, for "
            "example “volunteering at the summer fair”. {name} will see it."
        ).format(organisation=escape(organisation), name=name_of(member, tr), hours=hours)
    return _(
        "Why are you giving {name} {hours}? Please type a short reason, for example "
        "“welcome to the time bank” or “housebound this winter”. {name} will see it."
    ).format(name=name_of(member, tr), hours=hours)


async def _review(turn: Turn[GrantAnswers]) -> Review:
    services, tr, answers = turn.services, turn.tr, turn.answers
    _ = tr.gettext
    values = {
        "hours": hours_words(tr, answers.minutes or 0),
        "name": name_of(await services.members.get(answers.member), tr),
        "day": day_words(tr, today(services), today(services)),
    }
    reason = _("Reason: {reason}").format(reason=escape(answers.reason or "—"))
    lines = [_("<b>Please check:</b>")]
    if answers.organisation is not None:
        text = _("{hours} from {organisation} to {name}, {day}.")
        lines += [text.format(organisation=escape(answers.organisation), **values), reason]
    else:
        pot, _most = await pot_most(services)
        lines += [
            _("{hours} from the community pot to {name}, {day}.").format(**values),
            reason,
            _("The pot holds {pot}.").format(pot=hours_words(tr, pot)),
        ]
    return Review("\n".join(lines), _("✅ Grant"))


async def _grant(turn: Turn[GrantAnswers], press: Send) -> None:
    answers = turn.answers
    if answers.member is None or answers.minutes is None or answers.reason is None:
        await turn.next()  # asks what is missing
        return
    member = await shared.chosen(turn, answers.member, step="member")
    if member is None:
        return
    if answers.organisation is not None:
        await _from_organisation_now(turn, member, answers.organisation)
        return
    services, tr = turn.services, turn.tr
    _ = tr.gettext
    try:
        made = await services.ledger.grant(
            f"form:{turn.form.id}",
            turn.member.id,
            member.id,
            answers.minutes,
            answers.reason,
            services.clock.now(),
            today(services),
            pot_floor=0,
            then=lambda made: (
                [_audit(turn, made.transfer), *told(GIVEN, made.transfer, [member])]
                if made.created
                else []
            ),
        )
    except NotEnough as low:
        note = _(
            "The community pot holds {pot} now, which isn't enough for this. Please choose a "
            "smaller amount."
        ).format(pot=hours_words(tr, low.balance))
        await turn.go("amount", note=note)
        return
    pot = (await services.ledger.pot()).balance
    lines = [
        _("✅ Done: {name} has been given {hours} from the community pot.").format(
            name=name_of(member, tr), hours=hours_words(tr, answers.minutes)
        ),
        _("The pot now holds {pot}.").format(pot=hours_words(tr, pot)),
    ]
    # Nobody is told twice when a re-delivered press finds it done.
    await shared.report(turn, lines, [member] if made.created else [], made.transfer.id)


def _audit(turn: Turn[GrantAnswers], transfer: Transfer, organisation: str | None = None) -> Audit:
    """#GRANT: from the pot, or from an organisation."""
    extra = {"organisation": organisation} if organisation is not None else {}
    return transfer_audited(
        turn.services,
        AuditAction.GRANT,
        turn.member.id,
        transfer,
        transfer.to_member_id,
        reason=transfer.reason,
        **extra,
    )


async def _from_organisation_now(
    turn: Turn[GrantAnswers], member: Member, organisation: str
) -> None:
    """Spice-style credits: the organisation gives, going below zero as it does."""
    services, tr, answers = turn.services, turn.tr, turn.answers
    _ = tr.gettext
    if organisation not in services.config.organisations:  # the config changed meanwhile
        text = _(
            "{organisation} isn't one of this time bank's organisations any more, so nothing "
            "has been given. Please start again with /grant."
        )
        await turn.close(Screen(text.format(organisation=escape(organisation))))
        return
    now = services.clock.now()
    made = await services.ledger.from_organisation(
        f"form:{turn.form.id}",
        turn.member.id,
        organisation,
        member.id,
        answers.minutes or 0,
        answers.reason or "",
        now,
        today(services),
        then=lambda made: (
            [_audit(turn, made.transfer, organisation), *told(GIVEN, made.transfer, [member])]
            if made.created
            else []
        ),
    )
    given = -(await services.ledger.organisation(organisation, now)).balance
    values = {"organisation": escape(organisation), "name": name_of(member, tr)}
    lines = [
        _("✅ Done: {name} has been given {hours} from {organisation}.").format(
            hours=hours_words(tr, made.transfer.amount), **values
        ),
        _("{organisation} has given {hours} in all.").format(
            hours=hours_words(tr, given), **values
        ),
    ]
    await shared.report(turn, lines, [member] if made.created else [], made.transfer.id)


GRANT = Form(
    name="grant",
    command="grant",
    answers=GrantAnswers,
    who=shared.coordinator,
    steps=(
        Step(
            "source",
            ask=_ask_source,
            buttons={FromPot: _from_pot, FromOrganisation: _from_organisation},
            when=lambda turn: bool(turn.services.config.organisations),
        ),
        shared.member_step("member", _ask_member, {Who: _grant_to}),
        amount_step(_amount_question, most=_most, take=_take_amount, limit=shared.TYPED_MAX),
        reason_step(_reason_question),
        review_step(_review, _grant),
    ),
    finished=shared.dealt_with,
)


async def _something_to_give(update: Update, context: AmserContext, me: Member) -> bool:
    """/grant starts when there is a pot to give from, or an organisation."""
    services = context.services
    if not services.config.organisations and (await pot_most(services))[1] < QUARTER_HOUR:
        await say(update, context, Screen(empty_pot(tr_for(services, me))))
        return False
    return True


def register(app: AmserApplication) -> None:
    shared.register_form(app, GRANT, ready=_something_to_give)
