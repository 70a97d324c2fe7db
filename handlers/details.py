"""A member's details (name, area, what they offer, what matters): how they read, the questions
that ask for them as a form's steps (the same when joining and from /profile), and
`active_member`, which every feature asks before it acts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from html import escape
from typing import Any, Generic, TypeVar

from telegram import InlineKeyboardButton, Update

from bot.domain.membership import Status
from bot.domain.membership import Step as Detail
from bot.domain.text import NAME_MAX, SHORT_TEXT_MAX, TextRejected, clean_line
from bot.runtime.context import AmserContext, Services
from bot.runtime.i18n import Translator
from handlers.buttons import ButtonData, Buttons
from handlers.common import (
    Screen,
    current_member,
    keyboard,
    pairs,
    say,
    tr_for,
    translator,
)
from handlers.forms import FormButton, Step, StepAsk, Turn
from storage.members import ELSEWHERE, Member
from storage.moderation import SanctionKind

A = TypeVar("A")
Row = list[InlineKeyboardButton]
Check = Callable[[Turn[A]], bool]


def area_label(services: Services, member: Member, tr: Translator) -> str:
    if member.area == ELSEWHERE:
        return tr.gettext("Somewhere else")
    area = services.config.area(member.area or "")
    return area.label(tr.language) if area else "—"


def offers_label(services: Services, member: Member, tr: Translator) -> str:
    labels = [
        category.label(tr.language)
        for category in services.config.categories
        if category.key in member.offer_categories
    ]
    return ", ".join(labels) or "—"


def known_area(services: Services, key: str) -> bool:
    return key == ELSEWHERE or services.config.area(key) is not None


def pending_text(services: Services, member: Member) -> str:
    _ = tr_for(services, member).gettext
    return _(
        "Thank you, {name}! A coordinator will look at your request to join soon, and we'll "
        "message you here. You don't need to do anything else."
    ).format(name=escape(member.display_name or ""))


# --- the questions ------------------------------------------------------------------------------


def suggested_name(update: Update) -> str | None:
    """The member's Telegram first name, if it would do as the name members see."""
    first_name = update.effective_user.first_name if update.effective_user else ""
    try:
        return clean_line(first_name, NAME_MAX)
    except TextRejected:
        return None


def name_question(tr: Translator, b: Buttons, suggestion: str | None, use: ButtonData) -> Screen:
    _ = tr.gettext
    text = _(
        "What name would you like other members to see?\n"
        "It doesn't need to be your full name: a first name or a nickname is fine "
        "(up to {limit} characters). Type it below."
    ).format(limit=NAME_MAX)
    rows = [[b(_("Use “{name}”").format(name=suggestion), use)]] if suggestion else []
    return Screen(text, keyboard(*rows))


def area_question(
    services: Services, member: Member, b: Buttons, pick: Callable[[str], ButtonData]
) -> Screen:
    tr = tr_for(services, member)
    _ = tr.gettext
    choices = [
        b(("✓ " if member.area == area.key else "") + area.label(tr.language), pick(area.key))
        for area in services.config.areas
    ]
    elsewhere = ("✓ " if member.area == ELSEWHERE else "") + _("Somewhere else")
    choices.append(b(elsewhere, pick(ELSEWHERE)))
    text = _("Which area are you in? It helps us find people near you.")
    return Screen(text, keyboard(*pairs(choices)))


def offers_question(
    services: Services,
    member: Member,
    b: Buttons,
    toggle: Callable[[str, bool], ButtonData],
    done: ButtonData,
) -> Screen:
    tr = tr_for(services, member)
    _ = tr.gettext
    text = _(
        "Everyone has something to give. What could you offer others?\n"
        "Tap all that fit, then tap Done."
    )
    # Each button says what the tap will make true, so a repeated tap changes nothing.
    offered = set(member.offer_categories)
    choices = [
        b(
            ("✓ " if category.key in offered else "") + category.label(tr.language),
            toggle(category.key, category.key not in offered),
        )
        for category in services.config.categories
    ]
    return Screen(text, keyboard(*pairs(choices), [b(_("Done ✅"), done)]))


def words_question(
    tr: Translator,
    member: Member,
    detail: Detail,
    b: Buttons,
    leave: ButtonData,
    clear: ButtonData | None = None,
) -> Screen:
    """ "In your own words" or "what matters": Skip while joining; when editing (given
    `clear`), the answer now, Keep it as it is, and Remove it."""
    _ = tr.gettext
    if detail is Detail.OFFERS_TEXT:
        text = _(
            "Anything else you could offer, in your own words? "
            "For example: “I can help with letters in Welsh”.\n"
            "Type it below (up to {limit} characters), or tap Skip."
        ).format(limit=SHORT_TEXT_MAX)
        current = member.offers_text
    else:
        text = _(
            "Last one, and it's up to you: what matters to you? "
            "For example: meeting people, getting out more, learning something new. "
            "There's no need to tell us anything about your health.\n"
            "Type it below (up to {limit} characters), or tap Skip."
        ).format(limit=SHORT_TEXT_MAX)
        current = member.what_matters
    editing = clear is not None
    if editing and current:
        text += "\n\n" + _("Now: <i>{text}</i>").format(text=escape(current))
    skip = b(_("Keep it as it is") if editing else _("Skip"), leave)
    removing: Row = [b(_("Remove it"), clear)] if clear is not None and current else []
    return Screen(text, keyboard([skip], removing))


# --- the questions as a form's steps -----------------------------------------------------------
# Their kinds of button are declared once and shared by joining and /profile: a press names its
# form, and acts only if that form's step takes it.


class UseName(FormButton, prefix="dt:name"):
    """Use the suggested name (the member's Telegram first name)."""


class PickArea(FormButton, prefix="dt:area"):
    area: str


class Offer(FormButton, prefix="dt:offer"):
    category: str
    on: bool  # what the tap makes true, so a repeated tap changes nothing


class OffersDone(FormButton, prefix="dt:offered"):
    pass


class LeaveWords(FormButton):
    """Skip, or Keep it as it is; with `clear`, Remove it."""

    clear: bool


# Two kinds, as joining asks both questions: a Skip left over from one never answers the other.
class Words(LeaveWords, prefix="dt:words"):
    """In their own words."""


class Matters(LeaveWords, prefix="dt:matters"):
    """What matters to them."""


@dataclass(frozen=True)
class DetailQuestions(Generic[A]):
    """The questions about a member's details as one step each, for joining and /profile.

    `editing` shows the answer now with "Keep it as it is" and "Remove it" (else Skip);
    `answered` is done after each answer is kept, before the form moves on (joining pushes its
    reminder back); `done` and `when` make each step's own, for its detail.
    """

    editing: bool
    answered: Callable[[Turn[A]], Awaitable[None]] | None = None
    done: Callable[[Detail], Check[A]] | None = None
    when: Callable[[Detail], Check[A]] | None = None

    def steps(self) -> tuple[Step[A], ...]:
        return (
            self._step(
                Detail.NAME,
                self._ask_name,
                typed=self._name_typed,
                limit=NAME_MAX,
                buttons={UseName: self._use_name},
            ),
            self._step(Detail.AREA, self._ask_area, buttons={PickArea: self._area_picked}),
            self._step(
                Detail.OFFERS,
                self._ask_offers,
                buttons={Offer: self._offer_tapped, OffersDone: self._offers_done},
            ),
            self._words_step(Detail.OFFERS_TEXT, "offers_text", Words),
            self._words_step(Detail.MATTERS, "what_matters", Matters),
        )

    def _step(self, detail: Detail, ask: StepAsk[A], **options: Any) -> Step[A]:
        return Step(
            detail.value,
            ask=ask,
            done=self.done(detail) if self.done is not None else None,
            when=self.when(detail) if self.when is not None else None,
            **options,
        )

    def _words_step(self, detail: Detail, field: str, kind: type[LeaveWords]) -> Step[A]:
        """In their own words, or what matters: typed, or left as it is, or (editing) removed."""

        async def ask(turn: Turn[A]) -> Screen:
            leave, clear = kind(turn.form.id, False), kind(turn.form.id, True)
            return words_question(
                turn.tr, turn.member, detail, turn.b, leave, clear if self.editing else None
            )

        async def typed(turn: Turn[A], text: str) -> None:
            await self._keep(turn, **{field: text})

        async def left(turn: Turn[A], press: LeaveWords) -> None:
            await self._keep(turn, **({field: None} if press.clear else {}))

        return self._step(
            detail, ask, typed=typed, limit=SHORT_TEXT_MAX, one_line=False, buttons={kind: left}
        )

    async def _keep(self, turn: Turn[A], **details: Any) -> None:
        """Keep what was answered (if anything) on the member row, and move the form on."""
        services = turn.services
        if details:
            turn.member = await services.members.update(
                turn.member.id, services.clock.now(), **details
            )
        if self.answered is not None:
            await self.answered(turn)
        await turn.next()

    async def _ask_name(self, turn: Turn[A]) -> Screen:
        use = UseName(turn.form.id)
        return name_question(turn.tr, turn.b, suggested_name(turn.update), use)

    async def _name_typed(self, turn: Turn[A], text: str) -> None:
        await self._keep(turn, display_name=text)

    async def _use_name(self, turn: Turn[A], press: UseName) -> None:
        name = suggested_name(turn.update)
        if name is None:
            await turn.ask()
            return
        await self._keep(turn, display_name=name)

    async def _ask_area(self, turn: Turn[A]) -> Screen:
        pick = partial(PickArea, turn.form.id)
        return area_question(turn.services, turn.member, turn.b, pick)

    async def _area_picked(self, turn: Turn[A], press: PickArea) -> None:
        if not known_area(turn.services, press.area):
            await turn.ask()
            return
        await self._keep(turn, area=press.area)

    async def _ask_offers(self, turn: Turn[A]) -> Screen:
        form = turn.form.id
        return offers_question(
            turn.services, turn.member, turn.b, partial(Offer, form), OffersDone(form)
        )

    async def _offer_tapped(self, turn: Turn[A], press: Offer) -> None:
        services = turn.services
        if services.config.category(press.category) is not None:
            turn.member = await services.members.set_offer_category(
                turn.member.id, press.category, press.on, services.clock.now()
            )
        await turn.ask()

    async def _offers_done(self, turn: Turn[A], press: OffersDone) -> None:
        await self._keep(turn)


# --- who may use a member's features ----------------------------------------------------------


async def active_member(update: Update, context: AmserContext) -> Member | None:
    """The member if they have finished joining; otherwise tell them where they are."""
    member = await current_member(update, context)
    _ = translator(update, context, member).gettext
    if member is None:
        await say(update, context, Screen(_("You haven't joined yet. Send /start to join.")))
        return None
    if member.status is Status.JOINING:
        # Joining asks these details' questions, so it imports this module: looked up here.
        from handlers.joining.start import carry_on

        note = _("Let's finish joining first. Here's where we were:")
        await carry_on(update, context, member, note=note, new=True)
        return None
    if member.status is Status.PENDING:
        await say(update, context, Screen(pending_text(context.services, member)))
        return None
    if member.status is Status.SUSPENDED:
        held = await context.services.moderation.in_force(member.id)
        if held is not None and held.kind is SanctionKind.BAN:
            text = _(
                "You're no longer a member of {community}. You can still use /privacy, "
                "/mydata and /forget."
            ).format(community=escape(context.services.config.community_name))
        else:
            text = _(
                "Your membership is paused at the moment. A coordinator will be in touch; "
                "you can still use /privacy, /mydata and /forget."
            )
        await say(update, context, Screen(text))
        return None
    return member
