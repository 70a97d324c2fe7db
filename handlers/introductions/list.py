"""/introductions: a member's open introductions, each as its one live card."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.runtime.context import AmserApplication, AmserContext
from handlers import details
from handlers.common import Screen, say, tr_for
from handlers.introductions.cards import card_screen, say_card

PAGE_SIZE = 10


async def introductions_command(update: Update, context: AmserContext) -> None:
    member = await details.active_member(update, context)
    if member is None:
        return
    services = context.services
    _ = tr_for(services, member).gettext
    active = await services.introductions.active_for(member.id, limit=PAGE_SIZE)
    if not active:
        await say(update, context, Screen(_("You have no introductions at the moment.")))
        return
    for intro in active:
        screen = await card_screen(services, intro, member)
        if screen is None:
            continue
        if screen.markup is None:  # waiting for the other's answer: nothing to press
            await say(update, context, screen)
        else:  # shown again here, so any older copy loses its buttons
            await say_card(update, context, intro, member, screen)


def register(app: AmserApplication) -> None:
    app.add_handler(
        CommandHandler("introductions", introductions_command, filters.ChatType.PRIVATE)
    )
