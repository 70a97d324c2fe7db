"""Reply latency under open-loop load, with Telegram-like limits, against a bare echo bot.

At each rate (20, 50, 100 updates/s) the real bot runs in its own process against the Bot API
emulator (limits on) with 300+ seeded members acting and 1,000 receiving match notices; updates
arrive as a Poisson process following the mix in bench/_harness.py (menus, browsing, /balance,
/help, and posting requests whose notices fan out). Then the same arrivals for a bare
python-telegram-bot echo bot (same aiohttp client), answering texts with sendMessage and presses
with answerCallbackQuery + editMessageText. Figures: reply p50/p99, 429s, replies and background
sends per second during the load, and how long the notices took to all go out.

Prints one JSON line.
    python bench/delivery_load.py [--quick] [--seconds 25] [--rates 20,50,100]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import tempfile
import time
from contextlib import closing
from pathlib import Path

from bench import _harness as h

RECEIVERS = 1000
NOTICE_WAIT = 60.0  # seconds to wait, after the load, for every notice to have gone out


def actors_for(rate: float) -> int:
    return max(300, int(rate * 4))


def intended_notices(database: Path) -> int:
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        return db.execute("SELECT count(*) FROM match_notices").fetchone()[0]


async def measure_amser(rate: float, seconds: float, seed: int) -> dict:
    actors = actors_for(rate)
    with tempfile.TemporaryDirectory() as directory:
        async with h.amser_bot(Path(directory), actors, RECEIVERS) as (emulator, _bot, database):
            members = h.known(emulator, h.actor_ids(actors))
            receivers = set(h.receiver_ids(RECEIVERS))
            actor_chats = set(h.actor_ids(actors))
            load = h.Load(emulator, members, h.amser_mix, seed=seed)
            start = time.monotonic()
            result = await load.run(rate, seconds)
            end = start + seconds
            # The notices still queued when the load stops: wait for them all to go out.
            deadline = time.monotonic() + NOTICE_WAIT
            # The database is another process's: look every so often.
            while (  # noqa: ASYNC110
                len(h.sends(emulator.calls, start, float("inf"), receivers))
                < intended_notices(database)
                and time.monotonic() < deadline
            ):
                await asyncio.sleep(0.2)
            calls = emulator.calls
            background = h.sends(calls, start, float("inf"), receivers)
            during = [t for t in background if t < end]
            return {
                **result.figures(),
                "actors": actors,
                "requests_posted": result.requests_posted,
                "rejected_429": h.rejected(calls, start),
                "reply_sends_per_s": round(
                    len(h.sends(calls, start, end, actor_chats)) / seconds, 1
                ),
                "background_sends_per_s": round(len(during) / seconds, 1),
                "notices_intended": intended_notices(database),
                "notices_sent": len(background),
                "notices_done_after_load_s": round(max(background, default=end) - end, 1),
                "most_sends_in_a_second": h.most_in_a_second(h.sends(calls, start, float("inf"))),
            }


async def measure_echo(rate: float, seconds: float, seed: int) -> dict:
    actors = actors_for(rate)
    with tempfile.TemporaryDirectory() as directory:
        async with h.echo_bot(Path(directory)) as (emulator, _bot):
            members = h.known(emulator, h.actor_ids(actors))
            load = h.Load(emulator, members, h.echo_mix, seed=seed, echo=True)
            start = time.monotonic()
            result = await load.run(rate, seconds)
            figures = result.figures()
            figures["rejected_429"] = h.rejected(emulator.calls, start)
            figures["reply_sends_per_s"] = round(
                len(h.sends(emulator.calls, start, start + seconds)) / seconds, 1
            )
            return figures


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="8 s per rate")
    parser.add_argument("--seconds", type=float, default=25.0)
    parser.add_argument("--rates", default="20,50,100")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    seconds = 8.0 if args.quick else args.seconds
    rates = [float(r) for r in args.rates.split(",")]
    figures = []
    for rate in rates:
        echo = await measure_echo(rate, seconds, args.seed)
        amser = await measure_amser(rate, seconds, args.seed)
        figures.append(
            {
                "rate": rate,
                "amser": amser,
                "ptb_echo": echo,
                "ratio_p50": h.ratio(amser["p50_ms"], echo["p50_ms"]),
                "ratio_p99": h.ratio(amser["p99_ms"], echo["p99_ms"]),
            }
        )
    by_rate = {f["rate"]: f["amser"] for f in figures}
    targets = {
        "no_429s": all(a["rejected_429"] == 0 for a in by_rate.values()),
        "p99_50_le_100ms": h.within(by_rate[50.0]["p99_ms"], 100) if 50.0 in by_rate else None,
        "p99_100_le_250ms": h.within(by_rate[100.0]["p99_ms"], 250) if 100.0 in by_rate else None,
    }
    print(
        json.dumps(
            {
                "benchmark": "delivery_load",
                "seconds_per_rate": seconds,
                "rates": figures,
                "targets_met": targets,
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
