"""The rules of listings: kinds, places, availability, limits and how long they stay open."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain import N_

TITLE_MAX = 80
DETAILS_MAX = 1000
REMOTE = "remote"


class Kind(StrEnum):
    OFFER = "offer"
    REQUEST = "request"


class ListingStatus(StrEnum):
    OPEN = "open"
    PAUSED = "paused"
    MATCHED = "matched"
    CLOSED = "closed"
    EXPIRED = "expired"


# When someone is free; None means any time. Labels are msgids, translated where shown.
AVAILABILITY = {
    "weekday_mornings": N_("Weekday mornings"),
    "weekday_afternoons": N_("Weekday afternoons"),
    "weekday_evenings": N_("Weekday evenings"),
    "weekends": N_("Weekends"),
}


def expiry(now: datetime, days: int) -> datetime:
    return now + timedelta(days=days)
