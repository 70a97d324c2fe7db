"""What a report is about, why the reporter made it, and how it ended (reports wait in the
support queue: storage/support.py)."""

from __future__ import annotations

from enum import StrEnum


class ReportAbout(StrEnum):
    """What a report is about (kept in `reason`)."""

    MEMBER = "member"
    LISTING = "listing"
    MESSAGE = "message"


class ReportReason(StrEnum):
    """Why, as the reporter chose it (kept in `category`)."""

    UNKIND = "unkind"  # unkind or unsafe
    SPAM = "spam"  # spam or selling
    MISLEADING = "misleading"  # not what it says
    OTHER = "other"


class Outcome(StrEnum):
    """How a report ended."""

    DISMISSED = "dismissed"
    TAKEN_DOWN = "taken_down"
    HANDLED = "handled"
    WARNED = "warned"  # the member it is about was warned
    SUSPENDED = "suspended"  # the member it is about was suspended
