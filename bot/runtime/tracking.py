"""An Application that can say when an update has been fully handled (tests, demo, bench)."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram.ext import Application


class TrackedApplication(Application[Any, Any, Any, Any, Any, Any]):
    _processed: dict[int, asyncio.Event] | None = None

    def track_processing(self) -> None:
        """Start remembering which updates are fully handled, for `wait_processed`."""
        self._processed = {}

    async def wait_processed(self, update_id: int) -> None:
        if self._processed is None:
            raise RuntimeError("call track_processing() first")
        event = self._processed.setdefault(update_id, asyncio.Event())
        await event.wait()
        del self._processed[update_id]

    def mark_processed(self, update_id: int) -> None:
        """The update is done with: handled, or skipped (unreadable, or one too many)."""
        if self._processed is not None:
            self._processed.setdefault(update_id, asyncio.Event()).set()
