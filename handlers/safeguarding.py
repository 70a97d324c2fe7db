"""Safeguarding: crisis words in anything a member types get, at once, a kind private reply with
the helplines and the offer of a person to get in touch. The message still does whatever it
would have done (answer a form, reach an introduction): this looks, replies and lets it pass.

The reply is the direct answer to the member's own message, so it is sent straight away, never
through the outbox and never held by quiet hours. Phone numbers are written in the text as
people dial them ("116 123"): Telegram's apps make numbers in a message tappable, and a button
cannot hold a `tel:` link.
"""

from __future__ import annotations

import logging
from html import escape

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.domain.crisis import crisis_in
from bot.domain.helplines import Helpline
from bot.domain.membership import Status
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from handlers.buttons import ButtonData, Buttons, add_presses
from handlers.common import Screen, current_member, keyboard, language_of, say, show
from handlers.support.contact import ask_for_contact
from storage.members import Member
from storage.support import ContactReason

logger = logging.getLogger(__name__)

# Before every feature's handlers (group 0) and after the sender check: a group of its own, so
# it sees every private message and, raising nothing, lets the features handle it as before.
WATCH_GROUP = -500

COMMANDS: tuple[Command, ...] = ()


class AskForContact(ButtonData, prefix="sg:contact"):
    reason: ContactReason


class NoContact(ButtonData, prefix="sg:nothanks"):
    reason: ContactReason


def helpline_lines(helplines: tuple[Helpline, ...], language: str) -> str:
    """One line per helpline: its name, its number to tap, and its note."""
    lines = []
    for helpline in helplines:
        note = helpline.note(language)
        line = f"📞 <b>{escape(helpline.name(language))}</b>: {escape(helpline.number)}"
        lines.append(f"{line} ({escape(note)})" if note else line)
    return "\n".join(lines)


def helplines_text(services: Services, language: str, reason: ContactReason) -> str:
    _ = services.catalogs[language].gettext
    if reason is ContactReason.CRISIS:
        opening = _(
            "Thank you for telling us. It sounds like things may be really hard right now, "
            "and you don't have to face this alone."
        )
    else:
        opening = _(
            "Thank you for your answer. It sounds like things may be hard at the moment, "
            "and you don't have to face that alone."
        )
    return "\n\n".join(
        (
            opening,
            _("You can talk to someone now, free, at any time:"),
            helpline_lines(services.config.helplines, language),
        )
    )


def helplines_screen(
    services: Services, member: Member | None, language: str, reason: ContactReason
) -> Screen:
    """The helplines and, for a member, the offer of someone from the community."""
    _ = services.catalogs[language].gettext
    text = helplines_text(services, language, reason)
    if member is None or member.telegram_id is None or member.status is Status.ERASED:
        return Screen(text)
    offer = _(
        "Would you like someone from {community} to get in touch with you? Only the people "
        "who look after members would know, and only that you asked."
    ).format(community=escape(services.config.community_name))
    b = Buttons(services, member.telegram_id)
    return Screen(
        f"{text}\n\n{offer}",
        keyboard(
            [b(_("Yes, please ask someone to get in touch"), AskForContact(reason))],
            [b(_("No, thanks"), NoContact(reason))],
        ),
    )


def has_crisis_words(update: Update, context: AmserContext) -> bool:
    """Whether the message has crisis words (so the helplines reply has answered it)."""
    message = update.effective_message
    text = (message.text or message.caption) if message is not None else None
    return bool(text) and crisis_in(text or "", context.services.config.crisis_words) is not None


async def watch(update: Update, context: AmserContext) -> None:
    """Any private text or caption: if it has crisis words, the helplines reply first, once
    for each message (the same update delivered again, or an edit, is not answered again)."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None or not has_crisis_words(update, context):
        return
    services = context.services
    if await services.helpline_replies.answered(chat.id, message.message_id):
        return
    member = await current_member(update, context)
    language = language_of(update, context, member)
    # Logged without who or what: the words are about their health.
    logger.info("crisis words: helplines sent")
    screen = helplines_screen(services, member, language, ContactReason.CRISIS)
    await say(update, context, screen)
    # Recorded once sent, as the outbox marks a message sent: a crash in between may answer
    # twice, but never leaves crisis words unanswered.
    await services.helpline_replies.record(chat.id, message.message_id, services.clock.now())


async def _pressing_member(update: Update, context: AmserContext) -> Member | None:
    member = await current_member(update, context)
    if member is None or member.status is Status.ERASED:
        language = language_of(update, context, None)
        _ = context.services.catalogs[language].gettext
        await show(
            update,
            context,
            Screen(
                helplines_text(context.services, language, ContactReason.CRISIS)
                + "\n\n"
                + _("Send /start to join, and then someone can get in touch.")
            ),
        )
        return None
    return member


async def on_ask_for_contact(update: Update, context: AmserContext, press: AskForContact) -> None:
    """Yes: one "please get in touch" for the ambassadors (a second tap asks nothing twice)."""
    if (member := await _pressing_member(update, context)) is None:
        return
    services = context.services
    await ask_for_contact(services, member.id, press.reason)
    _ = services.catalogs[member.language].gettext
    note = _(
        "Thank you. We've asked someone from {community} to get in touch with you soon. "
        "If things get worse before then, please call one of the numbers above."
    ).format(community=escape(services.config.community_name))
    text = helplines_text(services, member.language, press.reason)
    await show(update, context, Screen(f"{text}\n\n{note}"))


async def on_no_contact(update: Update, context: AmserContext, press: NoContact) -> None:
    if (member := await _pressing_member(update, context)) is None:
        return
    services = context.services
    _ = services.catalogs[member.language].gettext
    note = _("That's fine. The numbers above are there whenever you need them.")
    text = helplines_text(services, member.language, press.reason)
    await show(update, context, Screen(f"{text}\n\n{note}"))


def register(app: AmserApplication) -> None:
    app.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & (filters.TEXT | filters.CAPTION), watch),
        group=WATCH_GROUP,
    )
    add_presses(app, {AskForContact: on_ask_for_contact, NoContact: on_no_contact})
