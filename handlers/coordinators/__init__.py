"""The coordinators' time-credit tools, one module per command: /grant (grant.py), /record
(record.py), /reverse (reverse.py) and /exchanges, the queue of exchanges to decide
(exchanges.py); what members are told is in notices.py, and what the three forms share (who may
use them, finding a member by name, telling members) in shared.py."""

from __future__ import annotations

from bot.runtime.context import AmserApplication
from handlers.coordinators import exchanges, grant, notices, record, reverse

COMMANDS = (*grant.COMMANDS, *record.COMMANDS, *reverse.COMMANDS, *exchanges.COMMANDS)


def register(app: AmserApplication) -> None:
    for command in (grant, record, reverse, exchanges):
        command.register(app)
    notices.register(app)
