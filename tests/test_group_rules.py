"""Pure rules for group chats: counting a flood, reading `/mute 2h reason`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.group_flood import FloodWatch
from bot.domain.targets import DurationAndReason, duration_and_reason

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_more_than_the_limit_within_the_window_is_a_flood_once() -> None:
    watch = FloodWatch()
    second = timedelta(seconds=1)
    heard = [watch.heard(-1, 7, T0 + i * second, messages=3, seconds=10) for i in range(8)]
    assert heard == [False, False, False, True, False, False, False, True]


def test_messages_spread_out_are_no_flood_and_each_sender_and_group_counts_apart() -> None:
    watch = FloodWatch()
    spread = [
        watch.heard(-1, 7, T0 + timedelta(seconds=4 * i), messages=3, seconds=10) for i in range(10)
    ]
    assert not any(spread)
    for sender, chat in [(7, -2), (8, -1), (9, -1)]:
        assert not watch.heard(chat, sender, T0, messages=1, seconds=10)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2h spamming", DurationAndReason(120, "spamming")),
        ("3d", DurationAndReason(3 * 24 * 60, None)),
        ("1w too loud", DurationAndReason(7 * 24 * 60, "too loud")),
        ("an hour and a half later", DurationAndReason(90, "later")),
        ("dwy wythnos yn ddigywilydd", DurationAndReason(14 * 24 * 60, "yn ddigywilydd")),
        ("rude to everyone", DurationAndReason(None, "rude to everyone")),
        ("", DurationAndReason(None, None)),
        ("5x nope", DurationAndReason(None, None, unreadable="5x")),
    ],
)
def test_a_duration_then_a_reason(typed: str, expected: DurationAndReason) -> None:
    assert duration_and_reason(typed) == expected
