"""The buttons that open offers and requests from elsewhere (the menu, match notices, cards,
the expiry warning). They import nothing else of ours but the codec, so any screen can use
them without an import cycle; their handlers are in post.py, mine.py and handlers/browse.py.
"""

from __future__ import annotations

from bot.domain.listings import Kind
from handlers.buttons import ButtonData


class StartPosting(ButtonData, prefix="ls:new"):
    """/offer or /request from a button: the guided form with a preview."""

    kind: Kind


class StartBrowsing(ButtonData, prefix="br:start"):
    """/browse from a button."""


class ShowMine(ButtonData, prefix="ml:list"):
    """/mylistings from a button: the member's own offers and requests."""


class OpenMine(ButtonData, prefix="ml:card"):
    """One of the member's own listings, with what they can do to it."""

    listing: int


class ChangeMine(ButtonData, prefix="ml:edit"):
    listing: int


class PauseMine(ButtonData, prefix="ml:pause"):
    listing: int


class ResumeMine(ButtonData, prefix="ml:resume"):
    listing: int


class CloseMine(ButtonData, prefix="ml:close"):
    listing: int


class RenewMine(ButtonData, prefix="ml:renew"):
    listing: int


class TakeDown(ButtonData, prefix="md:td"):
    """A coordinator takes a listing down, with a reason (handlers/moderation/listings.py)."""

    listing: int
