"""Flood limits: 429 with retry_after, budgets refilling on the injected clock."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import RetryAfter

from bot.emulator import BotApiEmulator, Limits
from bot.emulator.limits import RateLimiter
from tests.emulator.helpers import FakeClock

# PTB warns about its own RetryAfter.retry_after type change whenever it builds the error.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def test_private_bucket_allows_a_burst_then_refills(clock: FakeClock) -> None:
    limiter = RateLimiter(Limits(private_chat_burst=3, private_chat_per_second=0.5), clock)
    assert [limiter.acquire(7) for _ in range(3)] == [None, None, None]
    assert limiter.acquire(7) == 2  # one token takes 2 s at 0.5/s
    clock.advance(1.0)
    assert limiter.acquire(7) == 1
    clock.advance(1.0)
    assert limiter.acquire(7) is None
    assert limiter.acquire(7) == 2
    assert limiter.acquire(8) is None  # other chats have their own bucket


def test_global_window_slides(clock: FakeClock) -> None:
    limiter = RateLimiter(Limits(global_per_second=2), clock)
    assert limiter.acquire(1) is None
    clock.advance(0.5)
    assert limiter.acquire(2) is None
    assert limiter.acquire(3) == 1
    clock.advance(0.5)  # the first send leaves the window
    assert limiter.acquire(3) is None
    assert limiter.acquire(4) == 1


def test_group_window_is_per_minute(clock: FakeClock) -> None:
    limiter = RateLimiter(Limits(group_per_minute=2), clock)
    assert limiter.acquire(-100) is None
    assert limiter.acquire(-100) is None
    assert limiter.acquire(-100) == 60
    clock.advance(59.5)
    assert limiter.acquire(-100) == 1
    clock.advance(0.5)
    assert limiter.acquire(-100) is None


def test_rejections_do_not_consume_budget(clock: FakeClock) -> None:
    limiter = RateLimiter(Limits(private_chat_burst=1, private_chat_per_second=1.0), clock)
    assert limiter.acquire(5) is None
    for _ in range(5):
        assert limiter.acquire(5) == 1
    clock.advance(1.0)
    assert limiter.acquire(5) is None


@pytest.mark.parametrize("limits", [Limits(private_chat_burst=2)])
async def test_bot_gets_retry_after_and_budget_refills(
    emu: BotApiEmulator, bot: Bot, clock: FakeClock
) -> None:
    await emu.member(1, "Eleri").send("hi")
    await bot.send_message(1, "one")
    await bot.send_message(1, "two")
    with pytest.raises(RetryAfter):
        await bot.send_message(1, "three")
    rejected = emu.calls[-1]
    assert rejected.status == 429
    assert rejected.response == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }
    # Edits and other non-sending methods are not limited.
    await bot.edit_message_text(
        "two, edited", chat_id=1, message_id=emu.member(1, "").last.message_id
    )
    await bot.send_chat_action(1, "typing")
    clock.advance(1.0)
    await bot.send_message(1, "three")
    with pytest.raises(RetryAfter):
        await bot.send_message(1, "four")
    assert [m.text for m in emu.member(1, "Eleri").messages] == ["one", "two, edited", "three"]


@pytest.mark.parametrize("limits", [Limits(global_per_second=3)])
async def test_global_limit_spans_chats(emu: BotApiEmulator, bot: Bot, clock: FakeClock) -> None:
    for user_id in (1, 2, 3, 4):
        await emu.member(user_id, f"M{user_id}").send("hi")
    for user_id in (1, 2, 3):
        await bot.send_message(user_id, "news")
    with pytest.raises(RetryAfter):
        await bot.send_message(4, "news")
    clock.advance(1.0)
    await bot.send_message(4, "news")
    assert emu.member(4, "M4").last.text == "news"
