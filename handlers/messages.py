"""Typed messages that are not commands: the answer to the form the member is in, or, when
nothing is waiting for one, a clear "I wasn't expecting that" with the menu. Never silently
to another feature."""

from __future__ import annotations

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.domain.membership import Status
from bot.runtime.context import AmserApplication, AmserContext
from bot.runtime.i18n import LANGUAGE_KEY
from handlers import details, forms, safeguarding
from handlers.common import current_member, say, tr_for, user_id
from handlers.joining.start import consent_screen, language_screen, paused_screen
from handlers.menu import main_menu


async def on_message(update: Update, context: AmserContext) -> None:
    services = context.services
    member = await current_member(update, context)
    if member is None:
        language = context.user_data.get(LANGUAGE_KEY)
        if not language:
            await say(update, context, language_screen(services, user_id(update)))
            return
        await _ask_consent_again(update, context, str(language))
    elif member.status is Status.JOINING and member.paused:
        await say(update, context, paused_screen(services, member))
    elif await forms.take_typed(update, context, member):
        return
    elif member.status is Status.JOINING:  # back at the consent screen, or joined long ago
        await _ask_consent_again(update, context, member.language)
    elif member.status is Status.ACTIVE:
        if safeguarding.has_crisis_words(update, context):
            return  # the helplines have answered it: no "I wasn't expecting that" after them
        _ = tr_for(services, member).gettext
        note = _(
            "I wasn't expecting a message just now, so I haven't done anything with it. "
            "The buttons below can help."
        )
        await say(update, context, main_menu(services, member).after(note))
    else:
        await details.active_member(update, context)


async def _ask_consent_again(update: Update, context: AmserContext, language: str) -> None:
    """Text typed at the consent question: the question again, with its buttons."""
    _ = context.services.catalogs[language].gettext
    screen = consent_screen(context.services, language, user_id(update))
    await say(update, context, screen.after(_("Please tap one of the buttons below.")))


def register_fallbacks(app: AmserApplication) -> None:
    """After every feature: only messages no command handler took come here."""
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & ~filters.COMMAND, on_message))
