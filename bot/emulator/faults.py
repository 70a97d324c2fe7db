"""Injected failures: which calls fail, and how (scripted, or a random share of calls)."""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from bot.emulator.errors import ApiError, forbidden, too_many_requests

# Telegram answers these; the call is not carried out.
ERROR_KINDS = frozenset({"429", "500", "502", "403"})
# The call is carried out, but the bot never hears back (see ApiServer).
CARRIED_OUT_KINDS = frozenset({"timeout", "drop_after"})
FAULT_KINDS = ERROR_KINDS | CARRIED_OUT_KINDS | {"drop"}
DEFAULT_TIMEOUT_DELAY = 30.0
_POLLING = "getupdates"
_NOTES = {
    "timeout": "injected timeout: carried out, response held back",
    "drop": "injected drop: connection closed, not carried out",
    "drop_after": "injected drop_after: carried out, then the connection closed",
}


def fault_error(kind: str) -> ApiError:
    """The Telegram error an error kind stands for."""
    if kind == "429":
        return too_many_requests(1)
    if kind == "403":
        return forbidden("bot was blocked by the user")
    if kind == "500":
        return ApiError(500, "Internal Server Error")
    if kind == "502":
        return ApiError(502, "Bad Gateway")
    raise ValueError(f"{kind!r} is not answered with an error")


def fault_note(kind: str) -> str:
    """How an injected fault is described in `emulator.calls`."""
    return _NOTES.get(kind, f"injected {kind}")


def _check_kind(kind: str) -> None:
    if kind not in FAULT_KINDS:
        raise ValueError(f"unknown fault kind {kind!r}; one of {sorted(FAULT_KINDS)}")


def _chat_id(params: dict[str, Any]) -> int | None:
    value = params.get("chat_id")
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return value if isinstance(value, int) else None


@dataclass
class _Scripted:
    method: str | None  # lower-case; None: any method but getUpdates
    kind: str
    remaining: int
    chat_id: int | None

    def matches(self, method: str, chat_id: int | None) -> bool:
        wanted = method == self.method if self.method else method != _POLLING
        return wanted and (self.chat_id is None or self.chat_id == chat_id)


class FaultPlan:
    """Decides, call by call, whether a request fails and with which kind."""

    def __init__(self) -> None:
        self.timeout_delay = DEFAULT_TIMEOUT_DELAY
        self._scripted: list[_Scripted] = []
        self._share = 0.0
        self._kinds: tuple[str, ...] = ()
        self._methods: frozenset[str] | None = None
        self._random = random.Random(0)

    def fail(
        self, method: str | None, *, kind: str, times: int = 1, chat_id: int | None = None
    ) -> None:
        """The next `times` matching calls fail with `kind`."""
        _check_kind(kind)
        if times < 1:
            raise ValueError("times is at least 1")
        self._scripted.append(_Scripted(method.lower() if method else None, kind, times, chat_id))

    def fail_share(
        self,
        share: float,
        *,
        kinds: Sequence[str],
        methods: Collection[str] | None = None,
        seed: int = 0,
    ) -> None:
        """From now on a random `share` of matching calls fail; share 0 turns it off."""
        if not 0 <= share <= 1:
            raise ValueError("share is between 0 and 1")
        for kind in kinds:
            _check_kind(kind)
        if share and not kinds:
            raise ValueError("name the kinds of failure to inject")
        self._share = float(share)
        self._kinds = tuple(kinds)
        self._methods = frozenset(m.lower() for m in methods) if methods is not None else None
        self._random = random.Random(seed)

    def take(self, method: str, params: dict[str, Any]) -> str | None:
        """The kind this call fails with, or None; a scripted fault is used up by it."""
        lower = method.lower()
        chat_id = _chat_id(params)
        for rule in self._scripted:
            if rule.matches(lower, chat_id):
                rule.remaining -= 1
                if rule.remaining == 0:
                    self._scripted.remove(rule)
                return rule.kind
        if not self._share or not self._is_shared(lower):
            return None
        if self._random.random() >= self._share:
            return None
        return self._random.choice(self._kinds)

    def _is_shared(self, method: str) -> bool:
        if self._methods is None:
            return method != _POLLING
        return method in self._methods
