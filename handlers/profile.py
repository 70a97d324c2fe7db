"""/profile: a member's details as others see them, and changing one of them at a time.

Each change is a short form with one question: the detail the member tapped (its step applies
`when` that is the detail chosen). Answering, « Back and /cancel all return to the profile."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.domain.membership import Step as Detail
from bot.domain.text import NAME_MAX, SHORT_TEXT_MAX
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from handlers import forms
from handlers.buttons import ButtonData, Buttons, on_press
from handlers.common import Screen, keyboard, pairs, say, show
from handlers.details import (
    active_member,
    area_label,
    area_question,
    known_area,
    name_question,
    offers_label,
    offers_question,
    suggested_name,
    words_question,
)
from handlers.forms import Form, FormButton, Step, Turn
from handlers.matches import ShowNotices
from handlers.menu import back_to_menu
from storage.members import Member

COMMANDS = (Command("profile", N_("See and change your details")),)


@dataclass(frozen=True)
class ShowProfile(ButtonData, prefix="pf:show"):
    pass


@dataclass(frozen=True)
class EditDetail(ButtonData, prefix="pf:edit"):
    detail: Detail


@dataclass(frozen=True)
class ProfileAnswers:
    detail: Detail = Detail.NAME  # the one being changed


@dataclass(frozen=True)
class UseName(FormButton, prefix="pf:name"):
    pass


@dataclass(frozen=True)
class PickArea(FormButton, prefix="pf:area"):
    area: str


@dataclass(frozen=True)
class Offer(FormButton, prefix="pf:offer"):
    category: str
    on: bool


@dataclass(frozen=True)
class OffersDone(FormButton, prefix="pf:offered"):
    pass


@dataclass(frozen=True)
class Words(FormButton, prefix="pf:words"):
    clear: bool  # "Remove it"; otherwise "Keep it as it is"


@dataclass(frozen=True)
class Matters(FormButton, prefix="pf:matters"):
    clear: bool


ProfileTurn = Turn[ProfileAnswers]


def profile_screen(services: Services, member: Member) -> Screen:
    tr = services.catalogs[member.language]
    _ = tr.gettext
    b = Buttons(services, member.telegram_id or 0)
    lines = [
        _("<b>Your profile</b>"),
        _("Name: {name}").format(name=escape(member.display_name or "—")),
        _("Area: {area}").format(area=escape(area_label(services, member, tr))),
        _("You could offer: {offers}").format(offers=escape(offers_label(services, member, tr))),
        _("In your words: {text}").format(text=escape(member.offers_text or "—")),
        _("What matters to you: {text}").format(text=escape(member.what_matters or "—")),
        "",
        _("Tap what you'd like to change."),
    ]
    options = [
        b(_("Name"), EditDetail(Detail.NAME)),
        b(_("Area"), EditDetail(Detail.AREA)),
        b(_("What I offer"), EditDetail(Detail.OFFERS)),
        b(_("In my words"), EditDetail(Detail.OFFERS_TEXT)),
        b(_("What matters"), EditDetail(Detail.MATTERS)),
        b(_("🔔 Match notices"), ShowNotices()),
    ]
    return Screen("\n".join(lines), keyboard(*pairs(options), back_to_menu(services, member)))


# --- the form ----------------------------------------------------------------------------------


async def _ask_name(turn: ProfileTurn) -> Screen:
    return name_question(turn.tr, turn.b, suggested_name(turn.update), UseName(turn.form.id))


async def _ask_area(turn: ProfileTurn) -> Screen:
    return area_question(
        turn.services, turn.member, turn.b, lambda key: PickArea(turn.form.id, key)
    )


async def _ask_offers(turn: ProfileTurn) -> Screen:
    return offers_question(
        turn.services,
        turn.member,
        turn.b,
        lambda key, on: Offer(turn.form.id, key, on),
        OffersDone(turn.form.id),
    )


async def _ask_words(turn: ProfileTurn) -> Screen:
    keep, clear = Words(turn.form.id, False), Words(turn.form.id, True)
    return words_question(turn.tr, turn.member, Detail.OFFERS_TEXT, turn.b, keep, clear)


async def _ask_matters(turn: ProfileTurn) -> Screen:
    keep, clear = Matters(turn.form.id, False), Matters(turn.form.id, True)
    return words_question(turn.tr, turn.member, Detail.MATTERS, turn.b, keep, clear)


async def _change(turn: ProfileTurn, **details: Any) -> None:
    services = turn.services
    if details:
        turn.member = await services.members.update(turn.member.id, services.clock.now(), **details)
    await turn.next()


async def _name_typed(turn: ProfileTurn, text: str) -> None:
    await _change(turn, display_name=text)


async def _use_name(turn: ProfileTurn, press: UseName) -> None:
    name = suggested_name(turn.update)
    if name is None:
        await turn.ask()
        return
    await _change(turn, display_name=name)


async def _area_picked(turn: ProfileTurn, press: PickArea) -> None:
    if not known_area(turn.services, press.area):
        await turn.ask()
        return
    await _change(turn, area=press.area)


async def _offer_tapped(turn: ProfileTurn, press: Offer) -> None:
    services = turn.services
    if services.config.category(press.category) is not None:
        turn.member = await services.members.set_offer_category(
            turn.member.id, press.category, press.on, services.clock.now()
        )
    await turn.ask()


async def _offers_done(turn: ProfileTurn, press: OffersDone) -> None:
    await _change(turn)


async def _words_typed(turn: ProfileTurn, text: str) -> None:
    await _change(turn, offers_text=text)


async def _words_pressed(turn: ProfileTurn, press: Words) -> None:
    await _change(turn, **({"offers_text": None} if press.clear else {}))


async def _matters_typed(turn: ProfileTurn, text: str) -> None:
    await _change(turn, what_matters=text)


async def _matters_pressed(turn: ProfileTurn, press: Matters) -> None:
    await _change(turn, **({"what_matters": None} if press.clear else {}))


def _editing(detail: Detail) -> Any:
    """For `when=`: the one step of the detail the member chose."""
    return lambda turn: turn.answers.detail is detail


async def _saved(turn: ProfileTurn) -> None:
    await turn.finish(profile_screen(turn.services, turn.member))


async def _back_to_profile(turn: ProfileTurn) -> None:
    await turn.close(profile_screen(turn.services, turn.member))


async def _not_changed(turn: ProfileTurn) -> None:
    screen = profile_screen(turn.services, turn.member)
    await turn.close(screen.after(turn.gettext("No changes made.")))


async def _shown_again(turn: ProfileTurn) -> None:
    """A button pressed again after the change was made: the profile, as it is now."""
    await turn.show(profile_screen(turn.services, turn.member))


PROFILE = Form(
    name="profile",
    command="profile",
    answers=ProfileAnswers,
    who=active_member,
    steps=(
        Step(
            Detail.NAME.value,
            ask=_ask_name,
            typed=_name_typed,
            limit=NAME_MAX,
            buttons={UseName: _use_name},
            when=_editing(Detail.NAME),
        ),
        Step(
            Detail.AREA.value,
            ask=_ask_area,
            buttons={PickArea: _area_picked},
            when=_editing(Detail.AREA),
        ),
        Step(
            Detail.OFFERS.value,
            ask=_ask_offers,
            buttons={Offer: _offer_tapped, OffersDone: _offers_done},
            when=_editing(Detail.OFFERS),
        ),
        Step(
            Detail.OFFERS_TEXT.value,
            ask=_ask_words,
            typed=_words_typed,
            limit=SHORT_TEXT_MAX,
            one_line=False,
            buttons={Words: _words_pressed},
            when=_editing(Detail.OFFERS_TEXT),
        ),
        Step(
            Detail.MATTERS.value,
            ask=_ask_matters,
            typed=_matters_typed,
            limit=SHORT_TEXT_MAX,
            one_line=False,
            buttons={Matters: _matters_pressed},
            when=_editing(Detail.MATTERS),
        ),
    ),
    complete=_saved,
    back_out=_back_to_profile,
    cancel=_not_changed,
    cancel_button=False,  # « Back and "Keep it as it is" already leave it unchanged
    finished=_shown_again,
)


# --- commands and buttons ----------------------------------------------------------------------


async def profile_command(update: Update, context: AmserContext) -> None:
    member = await active_member(update, context)
    if member is not None:
        await say(update, context, profile_screen(context.services, member))


async def on_show_profile(update: Update, context: AmserContext, press: ShowProfile) -> None:
    member = await active_member(update, context)
    if member is not None:
        await show(update, context, profile_screen(context.services, member))


async def on_edit(update: Update, context: AmserContext, press: EditDetail) -> None:
    member = await active_member(update, context)
    if member is not None:
        await forms.start(update, context, member, PROFILE, ProfileAnswers(press.detail))


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("profile", profile_command, filters.ChatType.PRIVATE))
    app.add_handler(on_press(ShowProfile, on_show_profile))
    app.add_handler(on_press(EditDetail, on_edit))
    forms.register(app, PROFILE)
