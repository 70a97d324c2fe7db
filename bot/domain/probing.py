"""Repeated refusals: the third within a window is worth an audit row, and no more until the
window has passed."""

from __future__ import annotations

from datetime import datetime, timedelta

WINDOW = timedelta(minutes=10)
AUDITED_AT = 3  # the refusal, within the window, that is audited


class Probing:
    """Each member's recent refusals, in memory: a restart forgets at most one window's count,
    and a refusal then costs no write (so probing cannot make the bot write at will)."""

    def __init__(self, window: timedelta = WINDOW, audited_at: int = AUDITED_AT) -> None:
        self._window = window
        self._audited_at = audited_at
        self._seen: dict[int, list[datetime]] = {}
        self._audited: dict[int, datetime] = {}

    def refused(self, who: int, now: datetime) -> bool:
        """Count one refusal; True when it is the one to audit."""
        self._forget_before(now - self._window)
        times = self._seen.setdefault(who, [])
        times.append(now)
        if len(times) < self._audited_at or who in self._audited:
            return False
        self._audited[who] = now
        return True

    def _forget_before(self, since: datetime) -> None:
        for who in list(self._seen):
            kept = [at for at in self._seen[who] if at > since]
            if kept:
                self._seen[who] = kept
            else:
                del self._seen[who]
        for who, at in list(self._audited.items()):
            if at <= since:
                del self._audited[who]
