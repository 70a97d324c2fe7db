"""Privacy: what we hold and why (/privacy), a copy of it (/mydata), erasure (/forget)."""

from __future__ import annotations

from html import escape

from telegram import InputFile, Update
from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.domain.membership import Status
from bot.domain.personal_data import member_export
from bot.runtime import menus
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext
from handlers.balance import (
    Given,
    already_given_note,
    changed_note,
    donation_token,
    give_from_button,
    given_note,
)
from handlers.common import (
    Buttons,
    Screen,
    button_handler,
    buttons_for,
    current_member,
    keyboard,
    say,
    show,
    translator,
    user_id,
)
from handlers.credit_common import hours_words
from storage.members import Member

COMMANDS = (
    Command("privacy", N_("What we hold about you, and why")),
    Command("mydata", N_("Get a copy of everything we hold about you")),
    Command("forget", N_("Erase your details")),
)


def privacy_screen(update: Update, context: AmserContext, member: Member | None) -> Screen:
    _ = translator(update, context, member).gettext
    text = _(
        "<b>Your privacy</b>\n"
        "{community} keeps only what it needs to run the time bank:\n"
        "• your Telegram id, so the bot can message you\n"
        "• the name you chose, your rough area, and what you could offer: shown to other "
        "members so you can help each other\n"
        "• what matters to you, if you told us: seen only by coordinators and ambassadors\n"
        "• the language you chose\n\n"
        "We never show your phone number or username to anyone unless you agree. "
        "We don't sell or share your details.\n\n"
        "You can get a copy of everything we hold with /mydata, change it with /profile, "
        "and erase it with /forget."
    ).format(community=escape(context.services.config.community_name))
    if member is None:
        return Screen(text + "\n\n" + _("Right now we hold nothing about you."))
    b = buttons_for(update, context)
    return Screen(
        text,
        keyboard(
            [b(_("📄 Send me my data"), "priv", "data")],
            [b(_("🗑 Erase my details"), "priv", "forget")],
            [b(_("« Back to the menu"), "menu", "home")] if member.status is Status.ACTIVE else [],
        ),
    )


def forget_screen(update: Update, context: AmserContext, member: Member) -> Screen:
    _ = context.services.catalogs[member.language].gettext
    b = buttons_for(update, context)
    return Screen(
        _(
            "<b>Erase your details?</b>\n"
            "This removes your name, area, what you offer and everything else we hold about you. "
            "It can't be undone, but you'd be very welcome to join again."
        ),
        keyboard(
            [b(_("Yes, erase my details"), "priv", "erase")], [b(_("No, keep me"), "priv", "keep")]
        ),
    )


def give_first_screen(context: AmserContext, member: Member, balance: int) -> Screen:
    """Before erasing: offer to give a positive balance to the community pot."""
    assert member.telegram_id is not None
    tr = context.services.catalogs[member.language]
    _ = tr.gettext
    hours = hours_words(tr, balance)
    b = Buttons(context.services, member.telegram_id)
    return Screen(
        _(
            "<b>Before you go</b>\n"
            "You have {hours} of time credits. Would you like to give them to the community pot "
            "first? They'd help a neighbour who can't easily earn hours."
        ).format(hours=hours),
        keyboard(
            [
                b(
                    _("🎁 Give my {hours} to the community pot first").format(hours=hours),
                    "priv",
                    "give",
                    balance,
                    donation_token(),
                )
            ],
            [b(_("No, thanks"), "priv", "skip")],
            [b(_("No, keep me"), "priv", "keep")],
        ),
    )


async def before_forgetting(update: Update, context: AmserContext, member: Member) -> Screen:
    """The offer to give hours to the pot when there are any, else the erasure question."""
    balance = await context.services.ledger.balance(member.id)
    if balance > 0 and member.telegram_id is not None:
        return give_first_screen(context, member, balance)
    return forget_screen(update, context, member)


async def _give_then_forget(
    update: Update, context: AmserContext, member: Member, rest: list[str]
) -> None:
    """Give the hours (once, however often the button is pressed), then ask about erasing;
    hours that came in meanwhile are offered again, never erased unasked."""
    tr = context.services.catalogs[member.language]
    asked = await give_from_button(context.services, member, rest)
    screen = await before_forgetting(update, context, member)
    if asked is None:
        await show(update, context, screen)
        return
    minutes, given = asked
    notes = {
        Given.DONE: given_note(tr, minutes),
        Given.ALREADY: already_given_note(tr),
        Given.TOO_MUCH: changed_note(tr),
    }
    await show(update, context, screen.after(notes[given]))


async def privacy_command(update: Update, context: AmserContext) -> None:
    member = await current_member(update, context)
    await say(update, context, privacy_screen(update, context, member))


async def mydata_command(update: Update, context: AmserContext) -> None:
    await _send_data(update, context, await current_member(update, context))


async def forget_command(update: Update, context: AmserContext) -> None:
    member = await current_member(update, context)
    if member is None:
        await say(update, context, _nothing_held(update, context))
        return
    await say(update, context, await before_forgetting(update, context, member))


def _nothing_held(update: Update, context: AmserContext) -> Screen:
    _ = translator(update, context, None).gettext
    return Screen(_("We don't hold anything about you, so there's nothing to send or erase."))


async def _send_data(update: Update, context: AmserContext, member: Member | None) -> None:
    if member is None:
        await say(update, context, _nothing_held(update, context))
        return
    services = context.services
    _ = services.catalogs[member.language].gettext
    content = member_export(
        await services.members.personal_data(member.id),
        services.role_of(user_id(update)).name.lower(),
        services.clock.now(),
    )
    assert update.effective_chat is not None
    await context.bot.send_document(
        update.effective_chat.id,
        InputFile(content, filename="amser-my-data.json"),
        caption=_("Here is everything we hold about you."),
    )


async def on_privacy_button(update: Update, context: AmserContext, parts: list[str]) -> None:
    services = context.services
    member = await current_member(update, context)
    action = parts[0] if parts else ""
    if member is None:
        await show(update, context, privacy_screen(update, context, None))
    elif action == "data":
        await _send_data(update, context, member)
    elif action == "forget":
        await show(update, context, await before_forgetting(update, context, member))
    elif action == "give":
        await _give_then_forget(update, context, member, parts[1:])
    elif action == "skip":
        await show(update, context, forget_screen(update, context, member))
    elif action == "erase":
        _ = services.catalogs[member.language].gettext
        await services.members.erase(member.id, services.clock.now())
        await menus.remove_member_menu(context.application, user_id(update))
        context.user_data.clear()
        await show(
            update,
            context,
            Screen(
                _(
                    "Your details have been erased. Thank you for being part of {community}. "
                    "You're welcome back any time: just send /start."
                ).format(community=escape(services.config.community_name))
            ),
        )
    elif action == "keep":
        _ = services.catalogs[member.language].gettext
        await show(update, context, Screen(_("Good, nothing has changed. We're glad you're here.")))
    else:
        await show(update, context, privacy_screen(update, context, member))


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("privacy", privacy_command, filters.ChatType.PRIVATE))
    app.add_handler(CommandHandler("mydata", mydata_command, filters.ChatType.PRIVATE))
    app.add_handler(CommandHandler("forget", forget_command, filters.ChatType.PRIVATE))
    app.add_handler(button_handler("priv", on_privacy_button))
