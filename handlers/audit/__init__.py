"""The audit: every admin and ambassador action, as the log chat and /audit show it.

- log.py: the effect each action adds to its own write, and the log chat's line
- words.py: how one action reads
(/audit, which shows them, is a moderation command: handlers/moderation/audit.py.)
"""

from __future__ import annotations

from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication
from handlers.audit import log

COMMANDS: tuple[Command, ...] = ()


def register(app: AmserApplication) -> None:
    log.register(app)
