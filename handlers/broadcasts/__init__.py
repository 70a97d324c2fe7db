"""/broadcast: ambassadors' community notices to everyone, an area or an interest, in English
and Welsh, through the outbox as bulk sends, with live progress, Pause / Resume / Cancel, a
two-person rule for big ones, and "Stop these" on every message."""

from __future__ import annotations

from bot.domain import N_
from bot.domain.permissions import Action
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication
from handlers.broadcasts import approval, delivery, form, progress

COMMANDS = (Command("broadcast", N_("Send a community notice"), Action.BROADCAST),)


def register(app: AmserApplication) -> None:
    form.register(app)
    delivery.register(app)
    approval.register(app)
    progress.register(app)
