"""Fairness: each member may send a burst, then a steady rate; beyond it updates are dropped."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from telegram import Update

from bot.runtime.answering import answer_press
from bot.runtime.context import AmserApplication
from bot.runtime.i18n import N_

SLOW_DOWN = N_(
    "You're sending messages faster than I can read them, so I've skipped some. "
    "Please wait a moment, then carry on."
)
# Past this many members remembered, those whose bucket has refilled are forgotten.
PRUNE_ABOVE = 1024


class Verdict(Enum):
    ADMIT = "admit"
    DROP = "drop"
    DROP_AND_TELL = "drop and tell"  # the first drop of a flood: say so, once


@dataclass
class _Bucket:
    tokens: float
    at: float
    told: bool = False


class FloodGate:
    """A token bucket per member: `burst` at once, refilled at `per_second`."""

    def __init__(
        self, burst: int, per_second: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._burst = float(burst)
        self._per_second = per_second
        self._clock = clock
        self._buckets: dict[int, _Bucket] = {}

    def admit(self, key: int) -> Verdict:
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= PRUNE_ABOVE:
                self._prune(now)
            bucket = self._buckets[key] = _Bucket(self._burst, now)
        bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.at) * self._per_second)
        bucket.at = now
        if bucket.tokens >= self._burst:
            bucket.told = False  # refilled: the flood, if there was one, is over
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return Verdict.ADMIT
        if bucket.told:
            return Verdict.DROP
        bucket.told = True
        return Verdict.DROP_AND_TELL

    def _prune(self, now: float) -> None:
        for key, bucket in list(self._buckets.items()):
            if bucket.tokens + (now - bucket.at) * self._per_second >= self._burst:
                del self._buckets[key]


async def drop(app: AmserApplication, update: Update, *, tell: bool) -> None:
    """Skip an update: a press still stops spinning; the first skip of a flood says why."""
    if update.callback_query is not None:
        await answer_press(update.callback_query)
    chat = update.effective_chat
    if not tell or chat is None:
        return
    services = app.services
    user = update.effective_user
    member = await services.members.by_telegram_id(user.id) if user is not None else None
    if member is not None:
        language = member.language
    else:
        code = user.language_code if user is not None else None
        language = "cy" if code and code.startswith("cy") else "en"
    await app.bot.send_message(chat.id, services.catalogs[language].gettext(SLOW_DOWN))
