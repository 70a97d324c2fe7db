"""The one sending budget: never more than its share in any second, replies before the queue."""

from __future__ import annotations

import asyncio
import time
from itertools import pairwise
from typing import Any

from telegram.error import RetryAfter

from bot.runtime.ratelimit import SendingBudget
from storage.outbox import Priority

PER_SECOND = 50


class Recorder:
    """Stands in for the Bot API: remembers when each send went, and what it was. (The call
    runs in the same step as the budget's yes, so its time is the budget's.)"""

    def __init__(self) -> None:
        self.sent: list[tuple[float, str]] = []
        self.first_background = asyncio.Event()

    def send(self, label: str) -> Any:
        async def call() -> bool:
            self.sent.append((time.monotonic(), label))
            if label.startswith("background"):
                self.first_background.set()
            return True

        return call


async def through(
    budget: SendingBudget, recorder: Recorder, label: str, chat: int, priority: Priority | None
) -> None:
    await budget.process_request(
        recorder.send(label), (), {}, "sendMessage", {"chat_id": chat}, priority
    )


def most_in_any_second(times: list[float]) -> int:
    return max(sum(1 for t in times if start <= t < start + 1.0) for start in times)


async def test_no_second_holds_more_than_the_budget_and_a_reply_goes_before_the_queue() -> None:
    budget = SendingBudget(PER_SECOND)
    recorder = Recorder()
    queue = [
        asyncio.create_task(through(budget, recorder, f"background {n}", 1000 + n, Priority.BULK))
        for n in range(2 * PER_SECOND)
    ]
    await recorder.first_background.wait()
    await through(budget, recorder, "reply", 1, None)
    await asyncio.gather(*queue)
    labels = [label for _, label in recorder.sent]
    assert labels.index("reply") < PER_SECOND  # it did not wait for the queue
    assert most_in_any_second([t for t, _ in recorder.sent]) < PER_SECOND


async def test_background_sends_leave_room_for_replies_and_keep_to_the_pace() -> None:
    budget = SendingBudget(PER_SECOND)
    recorder = Recorder()
    await asyncio.gather(
        *(
            through(budget, recorder, f"background {n}", 1000 + n, Priority.PERSONAL)
            for n in range(PER_SECOND)
        )
    )
    times = [t for t, _ in recorder.sent]
    assert most_in_any_second(times) <= PER_SECOND - 2  # one short, and one left for replies
    gaps = [later - earlier for earlier, later in pairwise(times)]
    assert min(gaps) >= 1 / PER_SECOND * 0.9  # evenly spaced, not a burst


async def test_a_429_for_a_background_send_is_left_to_the_outbox_and_pauses_that_chat() -> None:
    budget = SendingBudget(PER_SECOND)

    async def refused() -> bool:
        raise RetryAfter(3)

    try:
        await budget.process_request(
            refused, (), {}, "sendMessage", {"chat_id": 7}, Priority.PERSONAL
        )
    except RetryAfter:
        pass
    else:
        raise AssertionError("a background 429 should reach the outbox, to be rescheduled")
    assert budget.chat_wait(7, Priority.PERSONAL) > 2
    assert budget.chat_wait(8, Priority.PERSONAL) == 0  # other chats carry on
