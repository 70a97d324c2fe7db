"""/log: logging time given or received, and the other member's answer to it.

- `start.py`: the command and the buttons that start /log (the menu, /balance, an
  introduction); `buttons.py` holds those buttons and the card's, for the screens that show them.
- `form.py`: the /log form (who, which way, how long, which day, what for, then Send).
- `confirm.py`: the presses on the card the other member answers (Confirm, Change the time,
  Something's wrong), and the follow-ups: reminders, and the hand-over to a coordinator after
  a week; `screens.py` words the card and where an exchange stands.
- `notices.py`: what members are told through the outbox (the request to confirm, reminders,
  "X has confirmed", ...), queued with the ledger's change, and what happens when the member
  asked can't be reached.
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
