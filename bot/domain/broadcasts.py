"""Broadcasts' rules: who they go to, in which language, when a second person must approve,
and how long the rest will take."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

# Telegram takes 4096 characters a message; the footer ("Stop these", who it is from) needs room.
MESSAGE_MAX = 4096
FOOTER_ROOM = 296
TEXT_MAX = MESSAGE_MAX - FOOTER_ROOM


class Hearing(StrEnum):
    """Kinds of notice a member may turn off ("What I hear about"); each is on until they do."""

    NEWS = "news"  # community news: broadcasts
    EVENTS = "events"  # new events announced by their organisers
    CONFIRM_REMINDERS = "confirm_reminders"  # an exchange still waiting for their answer
    REQUEST_NUDGES = "request_nudges"  # their request still open: is it still needed?
    QUIET_NUDGES = "quiet_nudges"  # a while without activity: what could you offer?


NEWS: str = Hearing.NEWS.value  # the notice preference broadcasts honour


class AudienceKind(StrEnum):
    EVERYONE = "everyone"
    AREA = "area"
    INTEREST = "interest"  # members who offer, or want notices about, a listing category


class Status(StrEnum):
    AWAITING_APPROVAL = "awaiting_approval"
    SENDING = "sending"
    PAUSED = "paused"
    CANCELLED = "cancelled"
    DONE = "done"


@dataclass(frozen=True)
class Audience:
    kind: AudienceKind
    key: str | None = None  # the area or category; None for everyone

    def __post_init__(self) -> None:
        if (self.kind is AudienceKind.EVERYONE) != (self.key is None):
            raise ValueError(f"audience {self.kind} with key {self.key!r}")


def telegram_length(text: str) -> int:
    """The length Telegram measures: UTF-16 code units, so an emoji can count as two."""
    return len(text.encode("utf-16-le")) // 2


def text_for(language: str, english: str | None, welsh: str | None) -> str:
    """The text a member gets: Welsh to Welsh speakers when there is Welsh, else English (and
    the Welsh to everyone when that is all there is)."""
    if language == "cy" and welsh:
        return welsh
    if english:
        return english
    if welsh:
        return welsh
    raise ValueError("a broadcast needs at least one text")


def needs_approval(recipients: int, approval_above: int) -> bool:
    """The two-person rule: a broadcast to more than this many waits for a second person."""
    return recipients > approval_above


@dataclass(frozen=True)
class Progress:
    """How far a broadcast has got: what is still in the outbox, and what was delivered."""

    total: int
    pending: int
    unreachable: int
    failed: int
    dropped: int  # not sent because it was cancelled
    delivered: int = 0  # Telegram took it (counted as each is sent)

    @property
    def sent(self) -> int:
        """Dealt with: no longer waiting, unreachable, failed or dropped."""
        return max(self.total - self.pending - self.unreachable - self.failed - self.dropped, 0)

    @property
    def skipped(self) -> int:
        """Dealt with but not delivered: the member stopped community news, left or was
        erased after it was queued."""
        return max(self.sent - self.delivered, 0)

    def minutes_left(self, per_second: float) -> int:
        """About how many minutes the pending messages will take at this rate (rounded up)."""
        if self.pending <= 0:
            return 0
        return math.ceil(self.pending / max(per_second, 1.0) / 60)
