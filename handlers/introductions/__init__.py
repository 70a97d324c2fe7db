"""Introductions between members, one module per thing members do:

- respond.py: "I can help" / "I'd like this", Accept and Decline, the safety advice
- cards.py: the one live card each member has for an introduction
- messages.py: writing to each other through the bot (the "relay" form)
- contact.py: sharing Telegram contacts when both agree
- block.py: ending an introduction, blocking, /block
- suggest.py: /unanswered, where ambassadors and coordinators suggest a helper
- list.py: /introductions
- presses.py: every kind of button here, and what it carries
"""

from __future__ import annotations

from bot.domain import N_
from bot.domain.permissions import Action
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication
from handlers.introductions import block, cards, contact, messages, respond, suggest
from handlers.introductions import list as mine

COMMANDS = (
    Command("introductions", N_("Your introductions to other members")),
    Command("block", N_("How to block someone")),
    Command("unanswered", N_("Requests still waiting for a helper"), Action.SUGGEST_INTRODUCTION),
)


def register(app: AmserApplication) -> None:
    for part in (mine, block, suggest, respond, contact, messages, cards):
        part.register(app)
