"""After an event, its organiser credits all the volunteers marked in one action: where from
(the community pot, or the event's organisation when it has one), how long each gave, a review,
then Confirm. Each volunteer is credited once, however often Confirm is pressed, and told in
their own language through the outbox, in the same write."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from telegram import Update

from bot.domain.events import has_started, volunteer_credit
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers import forms
from handlers.audit.log import transfer_audited
from handlers.common import Screen, keyboard, show, tr_for
from handlers.coordinators.grant import FromOrganisation, FromPot, pot_most
from handlers.coordinators.shared import dealt_with, report
from handlers.credit_common import balance_line, hours_words, name_of, today
from handlers.credit_steps import Review, Send, amount_step, review_step
from handlers.events.answers import card_for, manager_of
from handlers.events.buttons import CreditVolunteers
from handlers.events.card import may_manage
from handlers.events.questions import organiser
from handlers.forms import Form, Step, Turn
from handlers.notices import Recipient, register_notice
from storage.attendance import VolunteerCredits
from storage.audit import AuditAction
from storage.effects import Effect, Then
from storage.events import Event
from storage.ledger import AccountKind, NotEnough
from storage.members import Member
from storage.outbox import Notice, OutboxItem

CREDITED = "event.volunteer_credited"  # to each volunteer: about their transfer


@dataclass(frozen=True)
class VolunteerAnswers:
    event_id: int | None = None
    offered: str | None = None  # the event's organisation, offered as the giver
    from_organisation: bool | None = None
    minutes: int | None = None  # how long each volunteer gave


async def _event(turn: Turn[VolunteerAnswers]) -> Event | None:
    return await turn.services.events.get(turn.answers.event_id or 0)


def _giver(turn: Turn[VolunteerAnswers]) -> str | None:
    """The organisation giving (None: the community pot)."""
    return turn.answers.offered if turn.answers.from_organisation else None


@dataclass(frozen=True)
class Volunteers:
    """The volunteers marked, as the person crediting them sees them."""

    to_credit: list[Member]
    credited: list[Member]  # already, by an earlier Confirm
    yourself: Member | None  # marked, but nobody credits themselves: someone else may


async def _volunteers(turn: Turn[VolunteerAnswers]) -> Volunteers:
    services = turn.services
    to_credit, credited, yourself = [], [], None
    for attendee in await services.attendance.volunteers(turn.answers.event_id or 0):
        member = await services.members.get(attendee.member_id)
        if member is None:
            continue
        if attendee.credited:
            credited.append(member)
        elif member.id == turn.member.id:
            yourself = member
        else:
            to_credit.append(member)
    return Volunteers(to_credit, credited, yourself)


def _each(turn: Turn[VolunteerAnswers], event: Event | None) -> int:
    """The credit each volunteer gets, at the event's rate."""
    rate = event.details.credit_minutes if event is not None else None
    return volunteer_credit(turn.answers.minutes or 0, rate)


# --- where from --------------------------------------------------------------------------------


async def _ask_source(turn: Turn[VolunteerAnswers]) -> Screen:
    _ = turn.gettext
    pot, _most = await pot_most(turn.services)
    text = _(
        "<b>Credit the volunteers</b>\n\nWhere do the credits come from: the community pot "
        "(it holds {pot}), or {organisation}?"
    ).format(pot=hours_words(turn.tr, pot), organisation=escape(turn.answers.offered or ""))
    rows = [[turn.b(_("🫙 The community pot"), FromPot(turn.form.id))]]
    organisations = turn.services.config.organisations
    if turn.answers.offered in organisations:  # else the config changed: the pot only
        index = organisations.index(turn.answers.offered)
        rows.append([turn.b(turn.answers.offered or "", FromOrganisation(turn.form.id, index))])
    return Screen(text, keyboard(*rows))


async def _from_pot(turn: Turn[VolunteerAnswers], press: FromPot) -> None:
    await turn.save(from_organisation=False)
    await turn.next()


async def _from_organisation(turn: Turn[VolunteerAnswers], press: FromOrganisation) -> None:
    organisations = turn.services.config.organisations
    if not 0 <= press.index < len(organisations) or organisations[press.index] != (
        turn.answers.offered
    ):
        await turn.ask()  # an old button, or a forged one
        return
    await turn.save(from_organisation=True)
    await turn.next()


def _offers_organisation(turn: Turn[VolunteerAnswers]) -> bool:
    return turn.answers.offered in turn.services.config.organisations


# --- how long each -----------------------------------------------------------------------------


async def _amount_question(turn: Turn[VolunteerAnswers]) -> str:
    _ = turn.gettext
    to_credit = (await _volunteers(turn)).to_credit
    event = await _event(turn)
    text = turn.tr.ngettext(
        "How long did the volunteer give? ({n} volunteer to credit)",
        "How long did each volunteer give? ({n} volunteers to credit)",
        len(to_credit),
    ).format(n=len(to_credit))
    rate = event.details.credit_minutes if event is not None else None
    if rate:
        text += "\n" + _("Each hour given is credited {hours}.").format(
            hours=hours_words(turn.tr, rate)
        )
    return text + "\n" + _("Tap an amount, or type one, for example 1½ or 90 min.")


async def _take_amount(turn: Turn[VolunteerAnswers], minutes: int) -> None:
    """Never more from the pot, in all, than it holds now."""
    event = await _event(turn)
    each = volunteer_credit(minutes, event.details.credit_minutes if event else None)
    if each <= 0:
        await turn.ask(note=turn.gettext("That's too short to credit. Please choose more."))
        return
    if _giver(turn) is None:
        to_credit = (await _volunteers(turn)).to_credit
        pot = (await turn.services.ledger.pot()).balance
        if each * len(to_credit) > pot:
            note = turn.gettext(
                "The community pot holds {pot}, which isn't enough for {total}. Please choose "
                "less, or give from an organisation."
            ).format(
                pot=hours_words(turn.tr, pot),
                total=hours_words(turn.tr, each * len(to_credit)),
            )
            await turn.ask(note=note)
            return
    await turn.save(minutes=minutes)
    await turn.next()


# --- the review, and Confirm -------------------------------------------------------------------


def source_words(tr: Translator, giver: str | None) -> str:
    """Where credits come from, with its preposition (Welsh says "o'r gronfa" but "gan" a
    giver)."""
    if giver is None:
        return tr.gettext("from the community pot")
    return tr.gettext("from {organisation}").format(organisation=escape(giver))


def _source_words(turn: Turn[VolunteerAnswers]) -> str:
    giver = _giver(turn)
    return source_words(turn.tr, giver)


async def _review(turn: Turn[VolunteerAnswers]) -> Review:
    _ = turn.gettext
    tr = turn.tr
    event = await _event(turn)
    volunteers = await _volunteers(turn)
    to_credit = volunteers.to_credit
    each = _each(turn, event)
    lines = [
        _("<b>Please check:</b>"),
        _("Credit the volunteers of <b>{title}</b>, {hours} each, {source}:").format(
            title=escape(event.details.title if event else "—"),
            hours=hours_words(tr, each),
            source=_source_words(turn),
        ),
    ]
    lines += [f"• {name_of(member, tr)}" for member in to_credit]
    lines += [
        "• " + _("{name} (credited already: skipped)").format(name=name_of(member, tr))
        for member in volunteers.credited
    ]
    if volunteers.yourself is not None:
        lines.append(
            "• "
            + _("{name} (that's you: another coordinator can credit you)").format(
                name=name_of(volunteers.yourself, tr)
            )
        )
    lines.append(
        _("In all: {hours}.").format(hours=hours_words(tr, each * len(to_credit)))
        if to_credit
        else _("Everyone marked has been credited already.")
    )
    if _giver(turn) is None:
        pot, _most = await pot_most(turn.services)
        lines.append(_("The pot holds {pot}.").format(pot=hours_words(tr, pot)))
    return Review("\n".join(lines), _("✅ Confirm"))


def _told(
    services: Services, event_id: int, by: Member, organisation: str | None
) -> Then[VolunteerCredits]:
    """Each volunteer credited now (not those credited before) is told, and audited (#GRANT),
    in the same write."""

    def then(done: VolunteerCredits) -> list[Effect]:
        extra = {"organisation": organisation} if organisation is not None else {}
        audits: list[Effect] = [
            transfer_audited(
                services,
                AuditAction.GRANT,
                by.id,
                credit.transfer,
                credit.member_id,
                reason=credit.transfer.reason,
                event=event_id,
                **extra,
            )
            for credit in done.made
        ]
        return audits + [
            Notice(
                CREDITED,
                member_id=credit.member_id,
                about=credit.transfer.id,
                data={"event": event_id},
                key=f"{CREDITED}:{credit.transfer.id}",
            )
            for credit in done.made
        ]

    return then


async def _confirm(turn: Turn[VolunteerAnswers], press: Send) -> None:
    services, tr = turn.services, turn.tr
    _ = tr.gettext
    event = await _event(turn)
    if event is None or not may_manage(services, turn.member, event):
        text = _("Sorry, only its organiser or a coordinator can change that event.")
        await turn.close(Screen(text))
        return
    if turn.answers.minutes is None:
        await turn.next()
        return
    giver = _giver(turn)
    if giver is not None and giver not in services.config.organisations:
        text = _(
            "{organisation} isn't one of this time bank's organisations any more, so nothing "
            "has been given. Please start again from the event's card, with 🎁 Credit volunteers."
        )
        await turn.close(Screen(text.format(organisation=escape(giver))))
        return
    each = _each(turn, event)
    try:
        done = await services.attendance.credit_volunteers(
            event.id,
            turn.member.id,
            each,
            event.details.title,
            services.clock.now(),
            today(services),
            organisation=giver,
            pot_floor=0,
            then=_told(services, event.id, turn.member, giver),
        )
    except NotEnough as low:
        note = _(
            "The community pot holds {pot} now, which isn't enough for this. Please choose a "
            "smaller amount."
        ).format(pot=hours_words(tr, low.balance))
        await turn.go("amount", note=note)
        return
    if done is None:
        await turn.close(Screen(_("Sorry, that event is no longer here.")))
        return
    made = [await services.members.get(credit.member_id) for credit in done.made]
    told = [member for member in made if member is not None]
    lines = [
        tr.ngettext(
            "✅ Done: {n} volunteer has been given {hours} {source}.",
            "✅ Done: {n} volunteers have each been given {hours} {source}.",
            len(done.made),
        ).format(n=len(done.made), hours=hours_words(tr, each), source=_source_words(turn))
    ]
    for credit in done.skipped:
        skipped = await services.members.get(credit.member_id)
        lines.append(_("{name} had been credited already.").format(name=name_of(skipped, tr)))
    await report(turn, lines, told, event.id)


VOLUNTEER_CREDITS = Form(
    name="event_volunteers",
    command="events",
    answers=VolunteerAnswers,
    who=organiser,
    steps=(
        Step(
            "source",
            ask=_ask_source,
            buttons={FromPot: _from_pot, FromOrganisation: _from_organisation},
            done=lambda turn: turn.answers.from_organisation is not None,
            when=_offers_organisation,
        ),
        amount_step(_amount_question, take=_take_amount),
        review_step(_review, _confirm),
    ),
    finished=dealt_with,
)


async def on_credit(update: Update, context: AmserContext, press: CreditVolunteers) -> None:
    """The card's "Credit volunteers": the form, once the event has started and someone has
    been marked as volunteering."""
    found = await manager_of(update, context, press.event)
    if found is None:
        return
    member, event = found
    services = context.services
    _ = tr_for(services, member).gettext
    note = None
    if not has_started(event.starts_at, services.clock.now()):
        note = _("You can credit the volunteers once the event has started.")
    else:
        volunteers = await services.attendance.volunteers(event.id)
        if not volunteers:
            note = _("Nobody has been marked as volunteering yet: tap “Who came” first.")
        elif all(volunteer.credited for volunteer in volunteers):
            note = _("Every volunteer marked has been credited already.")
        elif all(v.credited or v.member_id == member.id for v in volunteers):
            note = _(
                "You're the only volunteer left to credit, and nobody credits themselves: "
                "another coordinator can do it for you."
            )
    if note is not None:
        await show(update, context, await card_for(context, member, event, None, note))
        return
    answers = VolunteerAnswers(event_id=event.id, offered=event.details.organisation)
    await forms.start(update, context, member, VOLUNTEER_CREDITS, answers)


# --- what each volunteer is told -----------------------------------------------------------------


async def _render_credited(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    member = recipient.member
    transfer = await services.ledger.get(item.about or 0)
    event = await services.events.get(int(item.data.get("event", 0)))
    if member is None or transfer is None or event is None:
        return None
    tr = recipient.tr
    _ = tr.gettext
    account = await services.ledger.get_account(transfer.from_account_id)
    giver = (
        account.name if account is not None and account.kind is AccountKind.ORGANISATION else None
    )
    text = _(
        "🙋 <b>Thank you for volunteering at {title}!</b> You've been given {hours} of time "
        "credits {source}."
    ).format(
        title=escape(event.details.title),
        hours=hours_words(tr, transfer.amount),
        source=source_words(tr, giver),
    )
    balance = balance_line(tr, await services.ledger.balance(member.id))
    return Screen(f"{text}\n{balance}")


def register(app: AmserApplication) -> None:
    forms.register(app, VOLUNTEER_CREDITS)
    register_notice(app, CREDITED, _render_credited)
