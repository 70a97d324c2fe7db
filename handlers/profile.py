"""/profile: a member's details as others see them, and changing one of them at a time.

Each change is a short form with one question: the detail the member tapped (its step applies
`when` that is the detail chosen). Answering, « Back and /cancel all return to the profile."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.domain.membership import Step as Detail
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from handlers import forms
from handlers.broadcasts.delivery import ShowNews
from handlers.buttons import ButtonData, Buttons, add_presses
from handlers.common import Screen, keyboard, pairs, say, show, tr_for
from handlers.details import DetailQuestions, active_member, area_label, offers_label
from handlers.forms import Form, Turn
from handlers.matches import ShowNotices
from handlers.menu import back_to_menu
from storage.members import Member

COMMANDS = (Command("profile", N_("See and change your details")),)


class ShowProfile(ButtonData, prefix="pf:show"):
    pass


class EditDetail(ButtonData, prefix="pf:edit"):
    detail: Detail


@dataclass(frozen=True)
class ProfileAnswers:
    detail: Detail = Detail.NAME  # the one being changed


ProfileTurn = Turn[ProfileAnswers]


def profile_screen(services: Services, member: Member) -> Screen:
    tr = tr_for(services, member)
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
        b(_("📣 What I hear about"), ShowNews()),
    ]
    return Screen("\n".join(lines), keyboard(*pairs(options), back_to_menu(services, member)))


# --- the form ----------------------------------------------------------------------------------


def _editing(detail: Detail) -> Callable[[ProfileTurn], bool]:
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
    steps=DetailQuestions[ProfileAnswers](editing=True, when=_editing).steps(),
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
    add_presses(app, {ShowProfile: on_show_profile, EditDetail: on_edit})
    forms.register(app, PROFILE)
