"""Joining's questions, in order: name, area, what they could offer (tap all that fit, then
Done), in their own words, and what matters. The answers are the member's details, kept on
the member row as they come; the form only keeps which question the member is on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.domain.checkins import DEFAULT_HOUR, Cadence, Schedule
from bot.domain.membership import Status, passed, reminder_key, status_after_joining
from bot.domain.membership import Step as Detail
from bot.runtime import menus
from bot.runtime.context import Services
from handlers import admin
from handlers.common import Row, Screen, keyboard, say, user_id
from handlers.credit_common import today
from handlers.details import DetailQuestions, pending_text
from handlers.forms import FormButton, Step, Turn
from handlers.landing import land
from handlers.menu import main_menu
from storage.effects import Cancel
from storage.members import Member

REMINDER_KIND = "onboarding_reminder"
CHECKINS = "checkins"  # the last question: check-ins, or "Not now"


class OfferCheckins(FormButton, prefix="jn:ci"):
    cadence: Cadence  # OFF: "Not now"


@dataclass(frozen=True)
class JoinAnswers:
    """Each answer goes straight onto the member row; the form keeps only the link the
    newcomer came by (an event's, say), to land on once they have joined."""

    landing: str | None = None


JoinTurn = Turn[JoinAnswers]


async def schedule_join_reminder(services: Services, member: Member) -> None:
    """Remind a member who stops half-way; each answer pushes the reminder back."""
    due_at = services.clock.now() + timedelta(hours=services.config.onboarding_reminder_hours)
    await services.due_work.schedule(
        reminder_key(member.id), REMINDER_KIND, due_at, member_id=member.id
    )


async def _push_reminder_back(turn: JoinTurn) -> None:
    await schedule_join_reminder(turn.services, turn.member)


def _passed(detail: Detail) -> Callable[[JoinTurn], bool]:
    """For `done=`: joining goes on to the question after the one answered, even after Back."""

    def done(turn: JoinTurn) -> bool:
        if turn.form.step == CHECKINS:
            return True  # after every detail
        return passed(detail, Detail(turn.form.step), detail in turn.form.seen)

    return done


async def _ask_checkins(turn: JoinTurn) -> Screen:
    _ = turn.gettext
    b = turn.b

    def offer(label: str, cadence: Cadence) -> Row:
        return [b(label, OfferCheckins(form=turn.form.id, cadence=cadence))]

    return Screen(
        _(
            "One last thing: would you like me to check in with you now and then, to ask how "
            "things are? It's one tap to answer, at 10:00 on this day of the week, and you can "
            "change the day and time, or stop, with /checkins."
        ),
        keyboard(
            offer(_("Every week"), Cadence.WEEKLY),
            offer(_("Every two weeks"), Cadence.FORTNIGHTLY),
            offer(_("Once a month"), Cadence.MONTHLY),
            offer(_("Not now"), Cadence.OFF),
        ),
    )


async def _checkins_picked(turn: JoinTurn, press: OfferCheckins) -> None:
    services = turn.services
    if press.cadence is not Cadence.OFF:
        schedule = Schedule(press.cadence, today(services).weekday(), DEFAULT_HOUR)
        now = services.clock.now()
        await services.checkins.choose(turn.member.id, schedule, now, services.config.timezone)
    await turn.next()


STEPS = (
    *DetailQuestions[JoinAnswers](
        editing=False,
        answered=_push_reminder_back,
        done=_passed,
    ).steps(),
    Step[JoinAnswers](CHECKINS, ask=_ask_checkins, buttons={OfferCheckins: _checkins_picked}),
)


# --- the end -----------------------------------------------------------------------------------


async def finish_joining(turn: JoinTurn) -> None:
    """Every question answered: a member (or waiting for a coordinator), welcomed once."""
    services, update, context = turn.services, turn.update, turn.context
    now = services.clock.now()
    telegram_id = user_id(update)
    status = status_after_joining(services.config.require_approval, services.role_of(telegram_id))
    # Starter credits first: if anything after fails, finishing again gives them no twice, and
    # nobody becomes a member without them.
    member = turn.member
    starter = await admin.give_starter_credits(services, member) if status is Status.ACTIVE else 0
    # Coordinators hear of someone waiting in the same write that makes them wait, once.
    cards = await admin.cards_about(services, member.id) if _newly_waiting(member, status) else []
    member = await services.members.update(
        member.id,
        now,
        then=lambda _: [Cancel(reminder_key(member.id)), *cards],
        status=status,
        paused=False,
        joined_at=now,
        # A link they followed waits with them, for the welcome after approval.
        landing=turn.answers.landing if status is Status.PENDING else None,
    )
    turn.member = member
    await menus.publish_member_menu(context.application, telegram_id, member.language)
    if status is Status.PENDING:
        await turn.finish(Screen(pending_text(services, member)))
        return
    if await turn.finish(admin.welcome_member(services, member, starter)):
        await say(update, context, main_menu(services, member))
        if turn.answers.landing:
            await land(update, context, member, turn.answers.landing)


def _newly_waiting(member: Member, status: Status) -> bool:
    return status is Status.PENDING and member.status is not Status.PENDING


async def joined_already(turn: JoinTurn) -> None:
    """A button of joining pressed again after the end: where the member is now."""
    member = turn.member
    if member.status is Status.ACTIVE:
        await say(turn.update, turn.context, main_menu(turn.services, member))
    elif member.status is Status.PENDING:
        await say(turn.update, turn.context, Screen(pending_text(turn.services, member)))
