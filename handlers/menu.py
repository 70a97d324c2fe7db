"""The main menu, /help, and what happens with a command or button we don't know."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.domain import N_
from bot.domain.roles import Role
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from handlers.common import (
    Buttons,
    Screen,
    button_handler,
    current_member,
    keyboard,
    pairs,
    refuse_button,
    say,
    show,
    translator,
    user_id,
)
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


def main_menu(services: Services, member: Member) -> Screen:
    """The member's home: what they can do, as buttons."""
    assert member.telegram_id is not None
    _ = services.catalogs[member.language].gettext
    b = Buttons(services, member.telegram_id)
    options = [
        b(_("🙋 Offer help"), "ls", "new", "offer"),
        b(_("🤝 Ask for help"), "ls", "new", "request"),
        b(_("🔎 Browse"), "br", "start"),
        b(_("📋 My listings"), "ml", "list"),
        b(_("⏱ Log time"), "lg", "new"),
        b(_("💰 My time credits"), "bal", "show"),
        b(_("👤 My profile"), "pf", "show"),
        b("🗣 " + _("Cymraeg / English"), "lang", "show"),
        b(_("🔒 Privacy"), "priv", "show"),
        b(_("❓ Help"), "menu", "help"),
    ]
    if services.role_of(member.telegram_id) is Role.ADMIN:
        options.append(b(_("🕊 Waiting to join"), "adm", "pending"))
    text = _("<b>{community}</b>\nWhat would you like to do, {name}?").format(
        community=escape(services.config.community_name), name=escape(member.display_name or "")
    )
    return Screen(text, keyboard(*pairs(options)))


def welcome(services: Services, member: Member) -> Screen:
    _ = services.catalogs[member.language].gettext
    return Screen(
        _(
            "Welcome to {community}, {name}! 🎉\n"
            "You're a member now. Here, an hour of help is worth an hour, whoever gives it, "
            "and everyone has something to give."
        ).format(
            community=escape(services.config.community_name), name=escape(member.display_name or "")
        )
    )


def back_to_menu(services: Services, member: Member) -> list:
    """A row with one button home, for the end of any screen."""
    assert member.telegram_id is not None
    _ = services.catalogs[member.language].gettext
    return [Buttons(services, member.telegram_id)(_("« Back to the menu"), "menu", "home")]


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


async def on_menu_button(update: Update, context: AmserContext, parts: list[str]) -> None:
    member = await current_member(update, context)
    if member is None or member.telegram_id is None:
        await help_command(update, context)
    elif parts == ["help"]:
        role = context.services.role_of(member.telegram_id)
        text = help_text(context.services, role, member.language)
        await show(update, context, Screen(text, keyboard(back_to_menu(context.services, member))))
    else:
        await show(update, context, main_menu(context.services, member))


async def unknown_command(update: Update, context: AmserContext) -> None:
    member = await current_member(update, context)
    _ = translator(update, context, member).gettext
    text = _("Sorry, I don't know that command. Send /help to see what you can do.")
    await say(update, context, Screen(text))


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("help", help_command, filters.ChatType.PRIVATE))
    app.add_handler(button_handler("menu", on_menu_button))


def register_fallbacks(app: AmserApplication) -> None:
    """Registered after every feature, so they only see what nobody else handled."""
    app.add_handler(MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, unknown_command))
    app.add_handler(CallbackQueryHandler(refuse_button))
