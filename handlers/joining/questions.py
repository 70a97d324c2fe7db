"""Joining's questions, in order: name, area, what they could offer (tap all that fit, then
Done), in their own words, and what matters. The answers are the member's details, kept on
the member row as they come; the form only keeps which question the member is on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.domain.membership import Status, passed, reminder_key, status_after_joining
from bot.domain.membership import Step as Detail
from bot.domain.text import NAME_MAX, SHORT_TEXT_MAX
from bot.runtime import menus
from bot.runtime.context import Services
from handlers import admin
from handlers.common import Screen, say, user_id
from handlers.details import (
    area_question,
    known_area,
    name_question,
    offers_question,
    pending_text,
    suggested_name,
    words_question,
)
from handlers.forms import FormButton, Step, Turn
from handlers.menu import main_menu
from storage.members import Member

REMINDER_KIND = "onboarding_reminder"


@dataclass(frozen=True)
class JoinAnswers:
    """Nothing of its own: each answer goes straight onto the member row."""


@dataclass(frozen=True)
class UseName(FormButton, prefix="jn:name"):
    pass


@dataclass(frozen=True)
class PickArea(FormButton, prefix="jn:area"):
    area: str


@dataclass(frozen=True)
class Offer(FormButton, prefix="jn:offer"):
    category: str
    on: bool


@dataclass(frozen=True)
class OffersDone(FormButton, prefix="jn:offered"):
    pass


@dataclass(frozen=True)
class SkipWords(FormButton, prefix="jn:words"):
    pass


@dataclass(frozen=True)
class SkipMatters(FormButton, prefix="jn:matters"):
    pass


JoinTurn = Turn[JoinAnswers]


async def schedule_join_reminder(services: Services, member: Member) -> None:
    """Remind a member who stops half-way; each answer pushes the reminder back."""
    due_at = services.clock.now() + timedelta(hours=services.config.onboarding_reminder_hours)
    await services.due_work.schedule(
        reminder_key(member.id), REMINDER_KIND, due_at, member_id=member.id
    )


# --- asking ------------------------------------------------------------------------------------


async def _ask_name(turn: JoinTurn) -> Screen:
    return name_question(turn.tr, turn.b, suggested_name(turn.update), UseName(turn.form.id))


async def _ask_area(turn: JoinTurn) -> Screen:
    return area_question(
        turn.services, turn.member, turn.b, lambda key: PickArea(turn.form.id, key)
    )


async def _ask_offers(turn: JoinTurn) -> Screen:
    return offers_question(
        turn.services,
        turn.member,
        turn.b,
        lambda key, on: Offer(turn.form.id, key, on),
        OffersDone(turn.form.id),
    )


async def _ask_words(turn: JoinTurn) -> Screen:
    return words_question(turn.tr, turn.member, Detail.OFFERS_TEXT, turn.b, SkipWords(turn.form.id))


async def _ask_matters(turn: JoinTurn) -> Screen:
    return words_question(turn.tr, turn.member, Detail.MATTERS, turn.b, SkipMatters(turn.form.id))


# --- answers -----------------------------------------------------------------------------------


async def _answered(turn: JoinTurn) -> None:
    await schedule_join_reminder(turn.services, turn.member)
    await turn.next()


async def _keep(turn: JoinTurn, **details: Any) -> None:
    services = turn.services
    turn.member = await services.members.update(turn.member.id, services.clock.now(), **details)
    await _answered(turn)


async def _name_typed(turn: JoinTurn, text: str) -> None:
    await _keep(turn, display_name=text)


async def _use_name(turn: JoinTurn, press: UseName) -> None:
    name = suggested_name(turn.update)
    if name is None:
        await turn.ask()
        return
    await _keep(turn, display_name=name)


async def _area_picked(turn: JoinTurn, press: PickArea) -> None:
    if not known_area(turn.services, press.area):
        await turn.ask()
        return
    await _keep(turn, area=press.area)


async def _offer_tapped(turn: JoinTurn, press: Offer) -> None:
    services = turn.services
    if services.config.category(press.category) is not None:
        turn.member = await services.members.set_offer_category(
            turn.member.id, press.category, press.on, services.clock.now()
        )
    await turn.ask()


async def _skipped(turn: JoinTurn, press: FormButton) -> None:
    await _answered(turn)


async def _words_typed(turn: JoinTurn, text: str) -> None:
    await _keep(turn, offers_text=text)


async def _matters_typed(turn: JoinTurn, text: str) -> None:
    await _keep(turn, what_matters=text)


def _passed(detail: Detail) -> Any:
    """For `done=`: joining goes on to the question after the one answered, even after Back."""

    def done(turn: JoinTurn) -> bool:
        return passed(detail, Detail(turn.form.step), detail in turn.form.seen)

    return done


STEPS = (
    Step(
        Detail.NAME.value,
        ask=_ask_name,
        typed=_name_typed,
        limit=NAME_MAX,
        buttons={UseName: _use_name},
        done=_passed(Detail.NAME),
    ),
    Step(
        Detail.AREA.value,
        ask=_ask_area,
        buttons={PickArea: _area_picked},
        done=_passed(Detail.AREA),
    ),
    Step(
        Detail.OFFERS.value,
        ask=_ask_offers,
        buttons={Offer: _offer_tapped, OffersDone: _skipped},
        done=_passed(Detail.OFFERS),
    ),
    Step(
        Detail.OFFERS_TEXT.value,
        ask=_ask_words,
        typed=_words_typed,
        limit=SHORT_TEXT_MAX,
        one_line=False,
        buttons={SkipWords: _skipped},
        done=_passed(Detail.OFFERS_TEXT),
    ),
    Step(
        Detail.MATTERS.value,
        ask=_ask_matters,
        typed=_matters_typed,
        limit=SHORT_TEXT_MAX,
        one_line=False,
        buttons={SkipMatters: _skipped},
        done=_passed(Detail.MATTERS),
    ),
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
    member = await services.members.update(
        member.id, now, status=status, paused=False, joined_at=now
    )
    turn.member = member
    await services.due_work.cancel(reminder_key(member.id))
    await menus.publish_member_menu(context.application, telegram_id, member.language)
    if status is Status.PENDING:
        if await turn.finish(Screen(pending_text(services, member))):
            await admin.tell_admins_about(context, member)
        return
    if await turn.finish(admin.welcome_member(services, member, starter)):
        await say(update, context, main_menu(services, member))


async def joined_already(turn: JoinTurn) -> None:
    """A button of joining pressed again after the end: where the member is now."""
    member = turn.member
    if member.status is Status.ACTIVE:
        await say(turn.update, turn.context, main_menu(turn.services, member))
    elif member.status is Status.PENDING:
        await say(turn.update, turn.context, Screen(pending_text(turn.services, member)))
