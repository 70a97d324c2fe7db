"""Gentle nudges' rules: when a member's request is asked about, and when a quiet member is
asked what they could offer (once per quiet spell)."""

from __future__ import annotations

from datetime import datetime, timedelta


def request_nudge_at(created_at: datetime, days: int, now: datetime) -> datetime | None:
    """When to ask whether a request is still needed: `days` after it was posted, or never if
    that has passed (a renewal or a change after then asks nothing more)."""
    when = created_at + timedelta(days=days)
    return when if when > now else None


def quiet_since(now: datetime, days: int) -> datetime:
    """Members last active at or before this have been quiet long enough for a nudge."""
    return now - timedelta(days=days)


def quiet_nudge_due(
    active_at: datetime, nudged_at: datetime | None, now: datetime, days: int
) -> bool:
    """Quiet for `days` and not nudged since they were last active: once per quiet spell. (A
    nudge is only ever later than the activity it follows, so activity at the very moment of
    the nudge starts a new spell.)"""
    if active_at > quiet_since(now, days):
        return False
    return nudged_at is None or nudged_at <= active_at


def still_quiet(active_at_then: datetime, active_at_now: datetime) -> bool:
    """At send time: nothing done since the nudge was queued."""
    return active_at_now <= active_at_then
