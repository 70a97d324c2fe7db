"""Every kind of button on introductions, blocking and suggesting a helper: what each carries.

Each is handled by one function (in the module named for what it does), which checks again on
arrival that the presser is part of the introduction and that it is in the right state.
"""

from __future__ import annotations

from enum import StrEnum

from handlers.buttons import ButtonData


class Respond(ButtonData, prefix="in:start"):
    """ "🙋 I can help" / "🙋 I'd like this" on a listing card or a match notice."""

    listing: int


class Accept(ButtonData, prefix="in:acc"):
    intro: int


class Decline(ButtonData, prefix="in:dec"):
    intro: int


class Share(ButtonData, prefix="in:share"):
    """ "📇 Share my Telegram contact"."""

    intro: int


class NotYet(ButtonData, prefix="in:keep"):
    """ "Not yet", or "Don't share after all" once the presser has agreed."""

    intro: int


class Write(ButtonData, prefix="in:msg"):
    """ "💬 Send a message" and "↩️ Reply": starts the relay form."""

    intro: int


class End(ButtonData, prefix="in:end"):
    intro: int


class Target(StrEnum):
    """What a block button names the other member by."""

    INTRO = "intro"
    LISTING = "listing"


class AskBlock(ButtonData, prefix="bl:ask"):
    """ "🚫 Block": asks first."""

    target: Target
    ident: int


class Block(ButtonData, prefix="bl:do"):
    """ "🚫 Yes, block"."""

    target: Target
    ident: int


class KeepUnblocked(ButtonData, prefix="bl:no"):
    """ "No, go back"."""


class UnansweredPage(ButtonData, prefix="brk:page"):
    offset: int


class Suggest(ButtonData, prefix="brk:sug"):
    """ "🤝 Suggest a helper for N": who could help with this request."""

    listing: int


class Introduce(ButtonData, prefix="brk:pick"):
    """ "Introduce Uma": ask the request's owner and the helper."""

    listing: int
    helper: int
