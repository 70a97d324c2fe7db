"""Failures are told kindly and recorded; members are served at once, each in order."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import ApplicationHandlerStop, MessageHandler, TypeHandler, filters

from bot.emulator import BotApiEmulator
from bot.runtime.context import AmserApplication, AmserContext
from tests.helpers import join


async def test_a_failing_handler_is_logged_recorded_and_told_kindly(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    async def broken(update: Update, context: AmserContext) -> None:
        raise RuntimeError("broken on purpose")

    bot.add_handler(MessageHandler(filters.Regex("^break$"), broken), group=-1)
    await join(eira := emulator.member(501, "Eira"), language="cy")
    await eira.send("break")
    # The apology comes first; the ordinary handlers (group 0) still answer after it.
    assert "aeth rhywbeth o'i le ar ein hochr ni" in eira.messages[-2].text
    assert [str(error) for error in bot.services.errors] == ["broken on purpose"]
    bot.services.errors.clear()  # expected here; the fixture fails on any other


async def test_one_slow_member_does_not_hold_up_another(bot: AmserApplication, emulator) -> None:
    """While Ann's update is stuck, Ben is answered; Ann's next update waits for her first."""
    release = asyncio.Event()
    order: list[str] = []

    async def gate(update: Update, context: AmserContext) -> None:
        text = update.message.text if update.message else ""
        if text == "slow":
            await release.wait()
        order.append(text or "")
        raise ApplicationHandlerStop

    bot.add_handler(TypeHandler(Update, gate), group=-1)
    ann, ben = emulator.member(502, "Ann"), emulator.member(503, "Ben")
    first = asyncio.create_task(ann.send("slow"))
    second = asyncio.create_task(ann.send("after"))
    try:
        await emulator.wait_until_fetched(2)  # both of Ann's updates (ids 1, 2) are with the bot
        await ben.send("hello")  # returns once Ben's update is fully handled
        assert order == ["hello"]
    finally:
        release.set()
        await asyncio.gather(first, second)
    assert order == ["hello", "slow", "after"]


async def test_the_bot_waits_out_telegrams_429_and_loses_nothing(config, clock) -> None:
    from bot.emulator import Limits
    from bot.runtime.harness import running_bot

    strict = Limits(private_chat_burst=2, private_chat_per_second=1.0)
    async with (
        BotApiEmulator(limits=strict) as emulator,
        running_bot(config, emulator, clock) as app,
    ):
        dewi = emulator.member(504, "Dewi")
        for _ in range(4):
            await dewi.send("/help")
        refused = [call for call in emulator.calls_to("sendMessage") if call.status == 429]
        delivered = [call for call in emulator.calls_to("sendMessage") if call.ok]
        assert refused and refused[0].response["parameters"]["retry_after"] >= 1
        assert (
            len(delivered) == 4
            and sum("What you can do here" in m.text for m in dewi.messages) == 4
        )
        assert not app.services.errors
