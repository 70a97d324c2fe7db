"""Typed messages that are not commands: the answer to the form the member is in, or, when
nothing is waiting for one, a clear "I wasn't expecting that" with the menu. Never silently
to another feature."""

from __future__ import annotations

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.domain.membership import Status
from bot.runtime.context import AmserApplication, AmserContext
from bot.runtime.i18n import LANGUAGE_KEY
from handlers import details, forms
from handlers.common import current_member, say, translator, user_id
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
        _ = services.catalogs[language].gettext
        screen = consent_screen(services, language, user_id(update))
        await say(update, context, screen.after(_("Please tap one of the buttons below.")))
    elif member.status is Status.JOINING and member.paused:
        await say(update, context, paused_screen(services, member))
    elif await forms.take_typed(update, context, member):
        return
    elif member.status is Status.JOINING:  # back at the consent screen, or joined long ago
        _ = translator(update, context, member).gettext
        screen = consent_screen(services, member.language, user_id(update))
        await say(update, context, screen.after(_("Please tap one of the buttons below.")))
    elif member.status is Status.ACTIVE:
        _ = services.catalogs[member.language].gettext
        note = _(
            "I wasn't expecting a message just now, so I haven't done anything with it. "
            "The buttons below can help."
        )
        await say(update, context, main_menu(services, member).after(note))
    else:
        await details.active_member(update, context)


def register_fallbacks(app: AmserApplication) -> None:
    """After every feature: only messages no command handler took come here."""
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & ~filters.COMMAND, on_message))
