"""Offers and requests, by what members call them:

- post.py: /offer and /request, the guided form with a preview (also changing a listing);
- mine.py: /mylistings, to change, pause, close or renew one's own;
- ageing.py: due work, the warning before a listing closes, closing it, and the flag for a
  request nobody answered;
- buttons.py: the buttons other screens use to open these (the menu, cards, the warning).

/browse, to see everyone else's, is handlers/browse.py.
"""

from __future__ import annotations

from bot.domain import N_
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication

COMMANDS = (
    Command("offer", N_("Offer to help with something")),
    Command("request", N_("Ask for help with something")),
    Command("mylistings", N_("Your offers and requests")),
)


def register(app: AmserApplication) -> None:
    # Imported here, not above, so that importing `handlers.listings.buttons` (as the menu
    # does) never pulls in the menu itself through these modules.
    from handlers.listings import ageing, mine, post

    post.register(app)
    mine.register(app)
    ageing.register(app)
