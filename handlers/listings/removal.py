"""Taking a listing down, as a step of a write: the one way, for the take-down form
(handlers/moderation/listings.py) and for a report acted on (handlers/support/reports.py)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from bot.runtime.context import Services
from bot.runtime.i18n import Translator
from handlers.audit.log import audited
from handlers.listings.post import LIVE
from handlers.support.buttons import REASONS
from storage.audit import AuditAction, AuditEntry
from storage.effects import apply_in
from storage.listings import Listing, set_status_if_in
from storage.outbox import Notice
from storage.reports import ReportReason

TAKEN_DOWN = "moderation.taken_down"  # to the listing's owner: which listing, and why


def reason_words(tr: Translator, preset: str | None, words: str | None) -> str | None:
    """The reason as this reader reads it: a preset in their language, or the words typed."""
    if preset is not None:
        return tr.gettext(REASONS[ReportReason(preset)])
    return words


def taking_down_in(
    services: Services,
    listing: Listing,
    actor_id: int,
    now: datetime,
    *,
    preset: str | None = None,
    words: str | None = None,
    report: int | None = None,
) -> Callable[[sqlite3.Connection], bool]:
    """The one way a listing is taken down, as a step of the caller's write (the take-down
    form's own, or a report's): closed if still live, with its audit row and its owner told
    why; False if it had closed already (then nothing else is written)."""
    tr = services.catalogs[services.config.log_language]
    entry = AuditEntry(
        AuditAction.REMOVE_LISTING,
        actor_id,
        listing.member_id,
        reason_words(tr, preset, words),
        subject=listing.id,
        details={"report": report} if report is not None else {},
    )
    told = Notice(
        TAKEN_DOWN,
        member_id=listing.member_id,
        about=listing.id,
        data={"preset": preset, "words": words},
        key=f"{TAKEN_DOWN}:{listing.id}",
    )

    def write(tx: sqlite3.Connection) -> bool:
        moved = set_status_if_in(tx, listing.id, LIVE, "closed", now)
        if moved:
            apply_in(tx, [audited(services, entry), told], now)
        return moved

    return write
