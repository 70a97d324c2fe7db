"""The main menu, /help, and what happens with a command or button we don't know."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.domain import N_
from bot.domain.listings import Kind
from bot.domain.permissions import Action
from bot.domain.roles import Role
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from handlers.access import may_do
from handlers.buttons import ButtonData, Buttons, add_presses
from handlers.common import (
    Screen,
    current_member,
    keyboard,
    pairs,
    say,
    show,
    tr_for,
    translator,
    user_id,
)
from handlers.listings.buttons import ShowMine, StartBrowsing, StartPosting
from handlers.log.buttons import StartLog
from storage.members import Member

COMMANDS = (
    Command("start", N_("Start, or go back to the main menu")),
    Command("help", N_("What you can do here")),
)

ROLE_INTROS = {
    Role.MEMBER: N_("Everyone here has something to give, and something to gain."),
    Role.AMBASSADOR: N_("You're a community ambassador. Thank you for welcoming people!"),
    Role.ADMIN: N_("You're a coordinator: you also have the tools to look after the community."),
}


class ShowMenu(ButtonData, prefix="menu:home"):
    pass


class ShowHelp(ButtonData, prefix="menu:help"):
    pass


def main_menu(services: Services, member: Member) -> Screen:
    """The member's home: what they can do, as buttons."""
    # Each feature's screens end with back_to_menu, so the menu finds their buttons only now.
    from handlers.admin import ShowPending
    from handlers.balance import ShowBalance
    from handlers.events.buttons import ListEvents
    from handlers.language import ShowLanguages
    from handlers.privacy import ShowPrivacy
    from handlers.profile import ShowProfile

    telegram_id = member.telegram_id or 0
    _ = tr_for(services, member).gettext
    b = Buttons(services, telegram_id)
    options = [
        b(_("🙋 Offer help"), StartPosting(Kind.OFFER)),
        b(_("🤝 Ask for help"), StartPosting(Kind.REQUEST)),
        b(_("🔎 Browse"), StartBrowsing()),
        b(_("📅 Events"), ListEvents(0)),
        # TRANSLATORS: a listing is "hysbyseb" (plural "hysbysebion"), not "rhestr" (a list).
        b(_("📋 My listings"), ShowMine()),
        b(_("⏱ Log time"), StartLog()),
        b(_("💰 My time credits"), ShowBalance()),
        b(_("👤 My profile"), ShowProfile()),
        # TRANSLATORS: the same in both catalogs: each language is offered by its own name.
        b("🗣 " + _("Cymraeg / English"), ShowLanguages()),
        b(_("🔒 Privacy"), ShowPrivacy()),
        b(_("❓ Help"), ShowHelp()),
    ]
    if may_do(services, telegram_id, Action.APPROVE_MEMBERS):
        options.append(b(_("🕊 Waiting to join"), ShowPending()))
    text = _("<b>{community}</b>\nWhat would you like to do, {name}?").format(
        community=escape(services.config.community_name), name=escape(member.display_name or "")
    )
    return Screen(text, keyboard(*pairs(options)))


def welcome(services: Services, member: Member) -> Screen:
    _ = tr_for(services, member).gettext
    return Screen(
        _(
            "Welcome to {community}, {name}! 🎉\n"
            "You're a member now. Here, an hour of help is worth an hour, whoever gives it, "
            "and everyone has something to give."
        ).format(
            community=escape(services.config.community_name), name=escape(member.display_name or "")
        )
    )


def back_to_menu(services: Services, member: Member) -> list[InlineKeyboardButton]:
    """A row with one button home, for the end of any screen."""
    _ = tr_for(services, member).gettext
    return [Buttons(services, member.telegram_id or 0)(_("« Back to the menu"), ShowMenu())]


def help_text(services: Services, role: Role, language: str) -> str:
    _ = services.catalogs[language].gettext
    lines = [_("<b>What you can do here</b>"), _(ROLE_INTROS[role]), ""]
    lines += [
        f"/{command.name} — {_(command.description)}"
        for command in services.commands
        if command.for_role(role, ambassadors_manage_credits=services.config.ambassadors_may_grant)
    ]
    return "\n".join(lines)


async def help_command(update: Update, context: AmserContext) -> None:
    member = await current_member(update, context)
    language = translator(update, context, member).language
    role = context.services.role_of(user_id(update))
    await say(update, context, Screen(help_text(context.services, role, language)))


async def on_show_menu(update: Update, context: AmserContext, press: ShowMenu) -> None:
    member = await current_member(update, context)
    if member is None:
        await help_command(update, context)
    else:
        await show(update, context, main_menu(context.services, member))


async def on_show_help(update: Update, context: AmserContext, press: ShowHelp) -> None:
    member = await current_member(update, context)
    if member is None:
        await help_command(update, context)
        return
    role = context.services.role_of(user_id(update))
    text = help_text(context.services, role, member.language)
    await show(update, context, Screen(text, keyboard(back_to_menu(context.services, member))))


async def unknown_command(update: Update, context: AmserContext) -> None:
    member = await current_member(update, context)
    _ = translator(update, context, member).gettext
    text = _("Sorry, I don't know that command. Send /help to see what you can do.")
    await say(update, context, Screen(text))


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("help", help_command, filters.ChatType.PRIVATE))
    add_presses(app, {ShowMenu: on_show_menu, ShowHelp: on_show_help})


def register_fallbacks(app: AmserApplication) -> None:
    """Registered after every feature, so they only see what nobody else handled."""
    app.add_handler(MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, unknown_command))
