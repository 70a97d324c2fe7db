"""The audit: every admin and ambassador action, as the log chat and /audit show it.

- log.py: the effect each action adds to its own write, and the log chat's line
- words.py: how one action reads
- screen.py: /audit, paged and filtered
"""

from __future__ import annotations

from bot.domain import N_
from bot.domain.permissions import Action
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication
from handlers.audit import log, screen

COMMANDS = (Command("audit", N_("What coordinators and ambassadors have done"), Action.AUDIT),)


def register(app: AmserApplication) -> None:
    log.register(app)
    screen.register(app)
