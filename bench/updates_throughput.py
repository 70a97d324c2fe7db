"""Updates per second and handler latency of the real bot, against a bare PTB echo bot.

Both run in this process against the Bot API emulator over real HTTP on 127.0.0.1, with the
emulator's rate limits lifted (this measures the bot, not Telegram's limits). Simulated members
act concurrently, each one step at a time; a step's latency runs from the member's action to
the bot having fully handled the update (fetch by long poll, handler, every API call it made).

Prints one JSON line: both sets of figures and their ratios.
    python bench/updates_throughput.py [--members 100]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.config import Config
from bot.emulator import BotApiEmulator, Limits, SimulatedMember
from bot.runtime.harness import running_bot
from bot.runtime.tracking import TrackedApplication

UNLIMITED = Limits(
    global_per_second=10**9,
    private_chat_burst=10**9,
    private_chat_per_second=10**9,
    group_per_minute=10**9,
)
Step = Callable[[SimulatedMember], Awaitable[int]]


class EchoApplication(TrackedApplication):
    """PTB's own Application, saying when each update is done (Amser's inbox does that)."""

    async def process_update(self, update: object) -> None:
        try:
            await super().process_update(update)
        finally:
            if isinstance(update, Update):
                self.mark_processed(update.update_id)


def amser_script(member: SimulatedMember) -> list[Step]:
    """Join, edit the profile, ask for help: commands, typed answers and button presses."""
    return [
        lambda m: m.send("/start"),
        lambda m: m.press("English"),
        lambda m: m.press("Yes, I agree"),
        lambda m: m.send(f"Member {m.user_id}"),
        lambda m: m.press("Canton"),
        lambda m: m.press("Gardening"),
        lambda m: m.press("Done"),
        lambda m: m.send("I can fix bikes"),
        lambda m: m.press("Skip"),
        lambda m: m.press("Not now"),
        lambda m: m.send("/profile"),
        lambda m: m.press("Area"),
        lambda m: m.press("Splott"),
        lambda m: m.send("/help"),
    ]


def echo_script(member: SimulatedMember) -> list[Step]:
    """The same number of steps, alternating messages and button presses."""
    return [
        (lambda m: m.send("hello")) if index % 2 == 0 else (lambda m: m.press("Again"))
        for index in range(len(amser_script(member)))
    ]


async def drive(
    members: list[SimulatedMember], script: Callable[[SimulatedMember], list[Step]]
) -> dict:
    latencies: list[float] = []

    async def act(member: SimulatedMember) -> None:
        for step in script(member):
            started = time.perf_counter()
            await step(member)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(act(member) for member in members))
    elapsed = time.perf_counter() - started
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "updates": len(latencies),
        "updates_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(quantiles[49] * 1000, 2),
        "p99_ms": round(quantiles[98] * 1000, 2),
    }


async def measure_amser(count: int) -> dict:
    with tempfile.TemporaryDirectory() as directory:
        config = Config(
            database_path=Path(directory) / "bench.db",
            max_messages_per_second=10**6,
            member_burst=10**6,  # scripted members act far faster than people
        )
        async with (
            BotApiEmulator(limits=UNLIMITED) as emulator,
            running_bot(config, emulator) as app,
        ):
            members = [emulator.member(10_000 + i, f"M{i}") for i in range(count)]
            figures = await drive(members, amser_script)
            assert not app.services.errors, list(app.services.errors)
            return figures


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Again", callback_data="again")]])
    if update.callback_query:
        await update.callback_query.answer()
        await update.callback_query.edit_message_text("again", reply_markup=keyboard)
    elif update.message and update.message.text:
        await update.message.reply_text(update.message.text, reply_markup=keyboard)


async def measure_echo(count: int) -> dict:
    async with BotApiEmulator(limits=UNLIMITED) as emulator:
        app = (
            ApplicationBuilder()
            .application_class(EchoApplication)
            .token(emulator.token)
            .base_url(emulator.base_url)
            .concurrent_updates(True)
            .build()
        )
        app.add_handler(MessageHandler(filters.TEXT, echo))
        app.add_handler(CallbackQueryHandler(echo))
        assert isinstance(app, EchoApplication)
        app.track_processing()
        emulator.settle = app.wait_processed
        async with app:
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0.0, timeout=1)
            members = [emulator.member(10_000 + i, f"M{i}") for i in range(count)]
            figures = await drive(members, echo_script)
            await app.updater.stop()
            await app.stop()
        return figures


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100)
    members = parser.parse_args().members
    baseline = await measure_echo(members)
    amser = await measure_amser(members)
    print(
        json.dumps(
            {
                "benchmark": "updates_throughput",
                "members": members,
                "amser": amser,
                "ptb_echo": baseline,
                "ratio_updates_per_s": round(amser["updates_per_s"] / baseline["updates_per_s"], 3),
                "ratio_p99": round(amser["p99_ms"] / baseline["p99_ms"], 3),
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
