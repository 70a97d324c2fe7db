"""One member floods the bot with 2,000 messages in a second: do the others notice?

The real bot in its own process against the Bot API emulator (limits on). 100 seeded members act
at 20 updates/s (the mix of bench/_harness.py) throughout; after a quiet spell one more member
sends 2,000 plain messages within one second. Figures: the others' reply p50/p99 in the quiet
spell and in the same length of time from the start of the flood, their ratio, and what the
flooder got back.

Prints one JSON line.
    python bench/flood.py [--quick] [--messages 2000] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

from bench import _harness as h

ACTORS = 100
RATE = 20.0
WARMUP = 5.0


async def flood(member: h.SimulatedMember, messages: int, within: float) -> float:
    """Send `messages` texts spread evenly over `within` seconds; when it began."""
    began = time.monotonic()
    for index in range(messages):
        delay = began + within * index / messages - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        await member.send(f"message {index}")
    return began


async def measure(messages: int, seconds: float) -> dict:
    with tempfile.TemporaryDirectory() as directory:
        async with h.amser_bot(Path(directory), ACTORS + 1, 0) as (emulator, _bot, _database):
            ids = h.actor_ids(ACTORS + 1)
            members = h.known(emulator, ids[:-1])
            flooder = h.known(emulator, ids[-1:])[0]
            load = h.Load(emulator, members, h.amser_mix, seed=5)
            started = time.monotonic()
            running = asyncio.ensure_future(load.run(RATE, 2 * seconds, warmup=WARMUP))
            quiet_from = started + WARMUP
            await asyncio.sleep(quiet_from + seconds - time.monotonic())
            flood_from = await flood(flooder, messages, 1.0)
            result = await running
            quiet = result.between(quiet_from, quiet_from + seconds)
            during = result.between(flood_from, flood_from + seconds)
            to_flooder = [
                call
                for call in emulator.calls
                if call.at >= flood_from and h.chat_of(call) == flooder.user_id
            ]
            quiet_p99 = h.percentile(quiet, 0.99)
            flood_p99 = h.percentile(during, 0.99)
            return {
                "messages": messages,
                "seconds": seconds,
                "quiet": _p(quiet),
                "during_flood": _p(during),
                "ratio_p99": h.ratio(flood_p99, quiet_p99),  # None if some never came
                "others_unanswered": result.unanswered,
                "rejected_429": h.rejected(emulator.calls, started),
                "flooder_sent_to": sum(1 for c in to_flooder if c.status == 200),
                "flooder_429s": sum(1 for c in to_flooder if c.status == 429),
            }


def _p(values: list[float]) -> dict:
    never = sum(1 for v in values if v == float("inf"))
    return {
        "updates": len(values),
        "never_answered": never,
        "p50_ms": h.ms(h.percentile(values, 0.5)),
        "p99_ms": h.ms(h.percentile(values, 0.99)),
        "max_ms": h.ms(max(values, default=float("nan"))),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 s spells")
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    figures = await measure(args.messages, 10.0 if args.quick else args.seconds)
    ratio = figures["ratio_p99"]
    figures["targets_met"] = {"p99_le_2x_quiet": ratio is not None and ratio <= 2.0}
    print(json.dumps({"benchmark": "flood", **figures}))


if __name__ == "__main__":
    asyncio.run(main())
