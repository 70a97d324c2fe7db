"""Flooding a group chat: more than so many messages from one sender within so many seconds.
Counted in memory (a restart forgets the last few seconds, which is harmless)."""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta

PRUNE_ABOVE = 4096  # senders remembered before those quiet for a window are forgotten


class FloodWatch:
    """Each sender's recent messages in each group."""

    def __init__(self) -> None:
        self._heard: dict[tuple[int, int], deque[datetime]] = {}

    def heard(
        self, chat_id: int, sender_id: int, at: datetime, *, messages: int, seconds: float
    ) -> bool:
        """Count one message; True once when the sender has sent more than `messages` within
        `seconds` (their count then starts again, so one flood is acted on once)."""
        window = timedelta(seconds=seconds)
        key = (chat_id, sender_id)
        if key not in self._heard and len(self._heard) >= PRUNE_ABOVE:
            self._prune(at, window)
        times = self._heard.setdefault(key, deque())
        times.append(at)
        while times and times[0] <= at - window:
            times.popleft()
        if len(times) > messages:
            times.clear()
            return True
        return False

    def _prune(self, at: datetime, window: timedelta) -> None:
        for key, times in list(self._heard.items()):
            if not times or times[-1] <= at - window:
                del self._heard[key]
