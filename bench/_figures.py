"""Figures for the delivery benchmarks: percentiles and what the emulator recorded."""

from __future__ import annotations

from bot.emulator import ApiCall

SENDS = frozenset({"sendMessage", "sendDocument", "sendPhoto", "copyMessage", "forwardMessage"})


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def ms(seconds: float) -> float | None:
    """Milliseconds; None for an answer that never came (inf) or no answers at all (nan)."""
    if seconds != seconds or seconds == float("inf"):
        return None
    return round(seconds * 1000, 1)


def sends(
    calls: list[ApiCall], since: float, until: float, chats: set[int] | None = None
) -> list[float]:
    """When successful sends (to these chats, if given) were recorded in [since, until)."""
    return [
        call.at
        for call in calls
        if call.method in SENDS
        and call.status == 200
        and since <= call.at < until
        and (chats is None or chat_of(call) in chats)
    ]


def chat_of(call: ApiCall) -> int | None:
    try:
        return int(call.params.get("chat_id"))
    except (TypeError, ValueError):
        return None


def rejected(calls: list[ApiCall], since: float = 0.0) -> int:
    """429s the emulator answered (Telegram's limits hit)."""
    return sum(1 for call in calls if call.status == 429 and call.at >= since)


def most_in_a_second(times: list[float]) -> int:
    """The most sends in any one-second window."""
    ordered = sorted(times)
    best, first = 0, 0
    for last, at in enumerate(ordered):
        while at - ordered[first] >= 1.0:
            first += 1
        best = max(best, last - first + 1)
    return best


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or not b or a != a or b != b or float("inf") in (a, b):
        return None
    return round(a / b, 2)


def within(value: float | None, limit: float) -> bool:
    """A figure meets its ceiling (a missing one, e.g. an answer that never came, does not)."""
    return value is not None and value <= limit
