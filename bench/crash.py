"""`kill -9` at random moments under mixed load: is anything lost, doubled or left wrong?

The real bot in its own process against the Bot API emulator (limits on), with 200 seeded
members acting at 20 updates/s (the mix of bench/_harness.py, which posts requests whose
notices go to 500 receivers). 20 times, at a random moment 1-4 s after it last started, the bot
is killed with SIGKILL and started again on the same database. Then the load stops and the bot
has a minute to catch up. Counted: updates never answered (each member waits for the answer to
its last update, so each is one lost update), match notices recorded in the database but never
sent, notices sent more than once, requests posted that nobody was told about, and the ledger's
invariants.

Prints one JSON line.
    python bench/crash.py [--quick] [--kills 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import sqlite3
import tempfile
import time
from collections import Counter
from contextlib import closing
from pathlib import Path

from bench import _harness as h
from storage.database import Database
from storage.ledger import LedgerRepository

ACTORS = 200
RECEIVERS = 500
RATE = 20.0
CATCH_UP = 60.0


def intended(database: Path) -> tuple[set[tuple[int, str]], int]:
    """(receiver's chat, listing title) for every notice recorded; requests with none."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        pairs = {
            (row[0], row[1])
            for row in db.execute(
                "SELECT m.telegram_id, l.title FROM match_notices AS n"
                " JOIN members AS m ON m.id = n.member_id JOIN listings AS l ON l.id = n.listing_id"
            )
        }
        unannounced = db.execute(
            "SELECT count(*) FROM listings AS l WHERE l.kind = 'request'"
            " AND NOT EXISTS (SELECT 1 FROM match_notices AS n WHERE n.listing_id = l.id)"
        ).fetchone()[0]
    return pairs, unannounced


def delivered(calls: list[h.ApiCall], receivers: set[int]) -> Counter[tuple[int, str]]:
    told: Counter[tuple[int, str]] = Counter()
    for call in calls:
        chat = h.chat_of(call)
        if call.method == "sendMessage" and call.status == 200 and chat in receivers:
            text = str(call.params.get("text", ""))
            title = next((line for line in text.splitlines() if "request" in line), None)
            if title is not None:
                told[(chat, _plain(title))] += 1
    return told


def _plain(line: str) -> str:
    for tag in ("<b>", "</b>", "<i>", "</i>"):
        line = line.replace(tag, "")
    return line.strip()


async def killer(bot: h.BotProcess, kills: int, rng: random.Random) -> None:
    for _ in range(kills):
        await asyncio.sleep(rng.uniform(1.0, 4.0))
        bot.kill()
        await bot.wait()
        await bot.start()


async def measure(kills: int, keep_log: Path | None) -> dict:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as directory:
        async with h.amser_bot(Path(directory), ACTORS, RECEIVERS) as (emulator, bot, database):
            members = h.known(emulator, h.actor_ids(ACTORS))
            receivers = set(h.receiver_ids(RECEIVERS))
            load = h.Load(emulator, members, h.amser_mix, seed=7)
            started = time.monotonic()
            running = asyncio.ensure_future(load.run(RATE, 3600.0, warmup=2.0, drain=CATCH_UP))
            await killer(bot, kills, rng)
            load.stop()
            result = await running
            # Every notice recorded should go out eventually: give the sender the same minute.
            deadline = time.monotonic() + CATCH_UP
            while time.monotonic() < deadline:
                wanted, _ = intended(database)
                if wanted <= set(delivered(emulator.calls, receivers)):
                    break
                await asyncio.sleep(0.5)
            await bot.stop()
            if keep_log is not None:
                shutil.copyfile(Path(directory) / "amser.log", keep_log)
            wanted, unannounced = intended(database)
            told = delivered(emulator.calls, receivers)
            db = await Database.open(database)
            try:
                problems = await LedgerRepository(db).check_invariants()
            finally:
                await db.close()
            duplicates = sum(count - 1 for count in told.values() if count > 1)
            return {
                "kills": kills,
                "seconds": round(time.monotonic() - started),
                "updates": result.posted,
                "updates_lost": result.unanswered,
                "requests_posted": result.requests_posted,
                "requests_nobody_told": unannounced,
                "notices_recorded": len(wanted),
                "notices_lost": len(wanted - set(told)),
                "notices_duplicated": duplicates,
                "rejected_429": h.rejected(emulator.calls, started),
                "ledger_invariants_hold": not problems,
                "reply_p99_ms": result.figures()["p99_ms"],
                "restart_s_max": round(max(bot.startup_seconds), 1),
                "targets_met": {
                    "no_update_lost": result.unanswered == 0,
                    "no_notice_lost": not (wanted - set(told)) and unannounced == 0,
                    "duplicates_le_1_per_kill": duplicates <= kills,
                    "ledger_invariants_hold": not problems,
                },
            }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 kills")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--keep-log", type=Path, help="copy the bot's log here")
    args = parser.parse_args()
    figures = await measure(5 if args.quick else args.kills, args.keep_log)
    print(json.dumps({"benchmark": "crash", **figures}))


if __name__ == "__main__":
    asyncio.run(main())
