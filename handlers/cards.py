"""How a listing is shown to members: on cards, in lists, in match notices and introductions."""

from __future__ import annotations

from html import escape
from typing import Protocol

from bot.domain.listings import AVAILABILITY, REMOTE, Kind
from bot.runtime.context import Services
from bot.runtime.i18n import Translator
from storage.members import ELSEWHERE


class Shown(Protocol):
    """What a card shows: a posted listing, or the answers of one being written."""

    @property
    def kind(self) -> str: ...
    @property
    def category(self) -> str | None: ...
    @property
    def title(self) -> str | None: ...
    @property
    def details(self) -> str | None: ...
    @property
    def place(self) -> str | None: ...
    @property
    def availability(self) -> str | None: ...


def place_label(services: Services, place: str | None, tr: Translator) -> str:
    if place == REMOTE:
        return tr.gettext("Remotely or by phone")
    if place == ELSEWHERE:
        return tr.gettext("Somewhere else")
    area = services.config.area(place or "")
    return area.label(tr.language) if area else "—"


def card_text(services: Services, listing: Shown, tr: Translator, author: str | None) -> str:
    """A listing as members see it; every piece a member wrote is escaped."""
    _ = tr.gettext
    category = services.config.category(listing.category or "")
    kind = _("Offer of help") if listing.kind == Kind.OFFER else _("Request for help")
    when = listing.availability
    lines = [
        f"<b>{escape(listing.title or '—')}</b>",
        f"{kind} · {escape(category.label(tr.language) if category else '—')}",
        "📍 "
        + escape(place_label(services, listing.place, tr))
        + " · 🕐 "
        + (_(AVAILABILITY[when]) if when in AVAILABILITY else _("Any time")),
    ]
    if author:
        lines.append(_("From {name}").format(name=escape(author)))
    lines += ["", escape(listing.details or "—")]
    return "\n".join(lines)


def category_label(services: Services, key: str, language: str) -> str:
    category = services.config.category(key)
    return category.label(language) if category else key
