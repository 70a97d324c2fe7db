"""Announcing an event: to whom it may go, and the notice preference members turn it off with."""

from __future__ import annotations

from enum import StrEnum

from bot.domain.broadcasts import Audience, AudienceKind, Hearing
from bot.domain.events import ONLINE

EVENTS: str = Hearing.EVENTS.value  # the notice preference announcements honour


class Target(StrEnum):
    """Whom an organiser announces an event to: each at most once per event."""

    EVERYONE = "everyone"
    AREA = "area"  # members in the event's area
    INTEREST = "interest"  # members who offer, or follow, the event's kind
    GROUP = "group"  # the community group chats of the config


def audience_for(target: Target, area: str, kind: str) -> Audience | None:
    """The members an announcement reaches, as a broadcast audience (None for group chats, and
    for the area of an online event, which has none)."""
    if target is Target.EVERYONE:
        return Audience(AudienceKind.EVERYONE)
    if target is Target.AREA:
        return Audience(AudienceKind.AREA, area) if area != ONLINE else None
    if target is Target.INTEREST:
        return Audience(AudienceKind.INTEREST, kind)
    return None


def targets(area: str, has_groups: bool) -> tuple[Target, ...]:
    """What an organiser may choose for an event: its area only when it has one, the groups
    only when the config names some."""
    found = [Target.EVERYONE]
    if area != ONLINE:
        found.append(Target.AREA)
    found.append(Target.INTEREST)
    if has_groups:
        found.append(Target.GROUP)
    return tuple(found)
