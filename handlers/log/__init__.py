"""/log: logging time given or received, and the other member's answer to it.

- `start.py`: the command and the buttons that start /log (the menu, /balance, an
  introduction); `buttons.py` holds those buttons, for the screens that show them.
- `form.py`: the /log form (who, which way, how long, which day, what for, then Send).
- `confirm.py`: the card the other member answers (Confirm, Change the time, Something's
  wrong), the reminders and the hand-over to a coordinator after a week.
- `change.py`: "Change the time", a small form of its own.
"""

from __future__ import annotations

from bot.domain import N_
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication

COMMANDS = (Command("log", N_("Log time you gave or received")),)


def register(app: AmserApplication) -> None:
    # Imported here, not above, so that importing `handlers.log.buttons` (as the menu does)
    # never pulls in the menu itself through these modules.
    from handlers.log import start

    start.register(app)
