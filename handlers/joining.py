"""Joining: /start with the Active Offer (Cymraeg / English), consent, pausing and resuming,
and where any other message goes while a member is part-way through."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.domain import N_
from bot.domain.membership import JOIN_ORDER, Status, Step
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import LANGUAGE_KEY, LANGUAGE_NAMES
from handlers import details, forms
from handlers.common import (
    Buttons,
    Screen,
    button_handler,
    buttons_for,
    current_member,
    keyboard,
    say,
    send,
    show,
    translator,
    user_id,
)
from handlers.language import set_language
from handlers.menu import main_menu
from storage.due_work import DueItem
from storage.members import Member

COMMANDS = (Command("cancel", N_("Stop what you're doing (nothing is lost)")),)


def language_screen(services: Services, telegram_id: int) -> Screen:
    """The Active Offer: the very first screen, in Welsh and in English."""
    text = services.catalogs.in_both(
        N_("Welcome to {community}! Which language would you like?"),
        community=escape(services.config.community_name),
    )
    b = Buttons(services, telegram_id)
    return Screen(
        text,
        keyboard(
            [
                b(LANGUAGE_NAMES["cy"], "ob", "lang", "cy"),
                b(LANGUAGE_NAMES["en"], "ob", "lang", "en"),
            ]
        ),
    )


def consent_screen(services: Services, language: str, telegram_id: int) -> Screen:
    _ = services.catalogs[language].gettext
    text = _(
        "<b>Before we start</b>\n"
        "To put you in touch with neighbours, {community} keeps:\n"
        "• the name you'd like to be known by (it doesn't need to be your real name)\n"
        "• your rough area\n"
        "• what you could offer, and what matters to you, if you tell us\n\n"
        "We use these only to run the time bank. Coordinators can see them; other members see "
        "your name, area and offers. You can see everything we hold with /mydata and erase it "
        "with /forget at any time.\n\n"
        "Is that all right with you?"
    ).format(community=escape(services.config.community_name))
    b = Buttons(services, telegram_id)
    return Screen(
        text,
        keyboard(
            [b(_("✅ Yes, I agree"), "ob", "agree"), b(_("No, thanks"), "ob", "decline")],
            [b(_("« Back"), "ob", "back")],
        ),
    )


def paused_screen(services: Services, member: Member) -> Screen:
    assert member.telegram_id is not None
    _ = services.catalogs[member.language].gettext
    text = _(
        "Joining is paused. Everything you've told us so far is kept, so you can carry on "
        "where you left off whenever you like."
    )
    b = Buttons(services, member.telegram_id)
    return Screen(text, keyboard([b(_("Carry on joining"), "ob", "resume")]))


async def start(update: Update, context: AmserContext) -> None:
    member = await current_member(update, context)
    if member is None:
        if context.user_data.get(LANGUAGE_KEY):
            await say(
                update,
                context,
                consent_screen(context.services, context.user_data[LANGUAGE_KEY], user_id(update)),
            )
        else:
            await say(update, context, language_screen(context.services, user_id(update)))
        return
    await _carry_on(update, context, member, new=True)


async def _carry_on(update: Update, context: AmserContext, member: Member, *, new: bool) -> None:
    """Wherever the member is, take them there: their question, the wait, or the menu."""
    services = context.services
    _ = services.catalogs[member.language].gettext
    if member.status is Status.JOINING:
        if member.paused or member.step is None:
            member = await services.members.update(
                member.id, services.clock.now(), paused=False, step=member.step or Step.NAME
            )
        await details.ask(update, context, member, new=new, note=_("Welcome back! Let's carry on."))
    elif member.status is Status.ACTIVE:
        if new and await forms.resume(update, context, member):
            return
        if member.step is not None:
            member = await services.members.update(member.id, services.clock.now(), step=None)
        screen = main_menu(services, member)
        await (say if new else show)(update, context, screen)
    else:
        await details.active_member(update, context)


async def on_join_button(update: Update, context: AmserContext, parts: list[str]) -> None:
    services = context.services
    member = await current_member(update, context)
    uid = user_id(update)
    action = parts[0] if parts else ""
    if action == "lang" and len(parts) == 2 and parts[1] in ("cy", "en"):
        if member is not None:
            member = await set_language(context, member, parts[1])
            await _carry_on(update, context, member, new=False)
            return
        context.user_data[LANGUAGE_KEY] = parts[1]
        await show(update, context, consent_screen(services, parts[1], uid))
    elif action == "back" and (member is None or member.status is Status.JOINING):
        if member is not None:
            await _carry_on(update, context, member, new=False)
            return
        await show(update, context, language_screen(services, uid))
    elif action == "consent" and member is not None and member.status is Status.JOINING:
        await show(update, context, consent_screen(services, member.language, uid))
    elif action == "agree":
        if member is None:
            language = str(
                context.user_data.get(LANGUAGE_KEY) or translator(update, context, None).language
            )
            member = await services.members.join(uid, language, Step.NAME, services.clock.now())
            context.user_data.pop(LANGUAGE_KEY, None)
            await details.schedule_join_reminder(services, member)
            await details.ask(update, context, member)
            return
        await _carry_on(update, context, member, new=False)
    elif action == "decline" and (member is None or member.status is Status.JOINING):
        _ = translator(update, context, member).gettext
        if member is not None:
            await services.members.erase(member.id, services.clock.now())
        context.user_data.clear()
        await show(
            update,
            context,
            Screen(
                _(
                    "That's fine. We haven't kept anything about you. "
                    "If you change your mind, just send /start."
                )
            ),
        )
    elif action == "resume" and member is not None:
        await _carry_on(update, context, member, new=False)
    elif member is not None:
        await _carry_on(update, context, member, new=True)
    else:
        await say(update, context, language_screen(services, uid))


async def cancel(update: Update, context: AmserContext) -> None:
    services = context.services
    member = await current_member(update, context)
    _ = translator(update, context, member).gettext
    if member is None:
        context.user_data.clear()
        await say(
            update,
            context,
            Screen(_("No problem. Nothing has been saved. Send /start whenever you're ready.")),
        )
    elif member.status is Status.JOINING:
        member = await services.members.update(member.id, services.clock.now(), paused=True)
        await say(update, context, paused_screen(services, member))
    elif await forms.cancel(update, context, member):
        pass
    elif member.step is not None:
        member = await services.members.update(member.id, services.clock.now(), step=None)
        await say(update, context, details.profile(services, member).after(_("No changes made.")))
    elif member.status is Status.ACTIVE:
        await say(
            update, context, main_menu(services, member).after(_("There's nothing to cancel."))
        )
    else:
        await details.active_member(update, context)


async def on_message(update: Update, context: AmserContext) -> None:
    """Any message that is not a command: an answer, or a gentle pointer to the buttons."""
    services = context.services
    member = await current_member(update, context)
    if member is None:
        language = context.user_data.get(LANGUAGE_KEY)
        if language:
            _ = services.catalogs[language].gettext
            screen = consent_screen(services, language, user_id(update))
            await say(update, context, screen.after(_("Please tap one of the buttons below.")))
        else:
            await say(update, context, language_screen(services, user_id(update)))
    elif member.status is Status.JOINING and member.paused:
        await say(update, context, paused_screen(services, member))
    elif await forms.take_typed(update, context, member):
        pass
    elif member.step is not None:
        prefix, _sep, _rest = member.step.partition(":")
        handle = context.application.input_handlers.get(prefix, details.handle_input)
        await handle(update, context, member)
    elif member.status is Status.ACTIVE:
        _ = services.catalogs[member.language].gettext
        await say(
            update,
            context,
            main_menu(services, member).after(
                _("Thank you! I can't answer messages here yet, but the buttons below can help.")
            ),
        )
    else:
        await details.active_member(update, context)


async def remind_to_finish(app: AmserApplication, item: DueItem) -> None:
    """A day after a member stopped half-way: a kind nudge with a button to carry on."""
    services = app.services
    member = await services.members.get(item.member_id or 0)
    if member is None or member.status is not Status.JOINING or member.telegram_id is None:
        return
    _ = services.catalogs[member.language].gettext
    text = _(
        "Hello again! You were part-way through joining {community}. "
        "Would you like to carry on? It only takes a minute, and everything you told us is kept."
    ).format(community=escape(services.config.community_name))
    b = Buttons(services, member.telegram_id)
    await app.bot.send_message(
        member.telegram_id, text, reply_markup=keyboard([b(_("Carry on joining"), "ob", "resume")])
    )


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("start", start, filters.ChatType.PRIVATE))
    app.add_handler(CommandHandler("cancel", cancel, filters.ChatType.PRIVATE))
    app.add_handler(button_handler("ob", on_join_button))
    app.due_work_runner.register(details.REMINDER_KIND, remind_to_finish)


def register_fallbacks(app: AmserApplication) -> None:
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & ~filters.COMMAND, on_message))


__all__ = ["JOIN_ORDER", "buttons_for", "register", "send"]
