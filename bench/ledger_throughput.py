"""Confirmed transfers per second and confirmation latency through the ledger's storage layer.

A fresh database (WAL, synchronous=FULL, as the bot opens it) with 200 members and pending
exchanges between them. Each confirmation is one BEGIN IMMEDIATE transaction: read and check
the transfer, compare-and-set it to confirmed, write its two entries, update both balances,
commit. Measured one at a time, then with 20 concurrent writers (each confirming its own
exchanges, one after another; a latency runs from the call to its commit). The baseline, in
the same run and through the same Database, is the same number of plain single-row INSERT
transactions, one at a time and then 20 at once.

Prints one JSON line.
    python bench/ledger_throughput.py [--transfers 2000] [--writers 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path

from storage.database import Database
from storage.ledger import LedgerRepository, Outcome
from storage.members import MemberRepository

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
MEMBERS = 200


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def timed_sequential(calls: list[Callable[[], Awaitable[object]]]) -> dict:
    latencies = []
    start = time.perf_counter()
    for call in calls:
        began = time.perf_counter()
        await call()
        latencies.append(time.perf_counter() - began)
    elapsed = time.perf_counter() - start
    return summary(latencies, elapsed)


async def timed_concurrent(calls: list[Callable[[], Awaitable[object]]], writers: int) -> dict:
    latencies: list[float] = []

    async def writer(share: list[Callable[[], Awaitable[object]]]) -> None:
        for call in share:
            began = time.perf_counter()
            await call()
            latencies.append(time.perf_counter() - began)

    start = time.perf_counter()
    await asyncio.gather(*(writer(calls[i::writers]) for i in range(writers)))
    elapsed = time.perf_counter() - start
    return summary(latencies, elapsed)


def summary(latencies: list[float], elapsed: float) -> dict:
    return {
        "per_second": round(len(latencies) / elapsed),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
    }


async def run(transfers: int, writers: int) -> dict:
    with tempfile.TemporaryDirectory() as directory:
        db = await Database.open(Path(directory) / "bench.db")
        try:
            members = MemberRepository(db)
            ledger = LedgerRepository(db)
            ids = [(await members.join(1000 + i, "en", NOW)).id for i in range(MEMBERS)]
            pending = []
            for n in range(2 * transfers):
                helped, helper = ids[n % MEMBERS], ids[(n * 7 + 1) % MEMBERS]
                if helped == helper:
                    helper = ids[(n + 1) % MEMBERS]
                created = await ledger.propose(
                    key=f"bench:{n}",
                    created_by=helper,
                    helped_id=helped,
                    helper_id=helper,
                    minutes=15 * (1 + n % 8),
                    happened_on=date(2026, 11, 23),
                    now=NOW,
                )
                pending.append(created.transfer)
            await db.write(
                lambda tx: tx.execute(
                    "CREATE TABLE bench_baseline (id INTEGER PRIMARY KEY, v INTEGER)"
                )
            )
            sync = await db.fetch_one("PRAGMA synchronous")
            assert sync is not None and sync[0] == 2, "expected synchronous=FULL"

            outcomes: list[Outcome] = []

            def confirm(transfer) -> Callable[[], Awaitable[object]]:
                async def call() -> None:
                    result = await ledger.confirm(transfer.id, transfer.from_member_id, NOW)
                    outcomes.append(result.outcome)

                return call

            def insert(value: int) -> Callable[[], Awaitable[object]]:
                async def call() -> None:
                    await db.write(
                        lambda tx: tx.execute("INSERT INTO bench_baseline (v) VALUES (?)", (value,))
                    )

                return call

            first, second = pending[:transfers], pending[transfers:]
            sequential = await timed_sequential([confirm(t) for t in first])
            concurrent = await timed_concurrent([confirm(t) for t in second], writers)
            base_sequential = await timed_sequential([insert(i) for i in range(transfers)])
            base_concurrent = await timed_concurrent([insert(i) for i in range(transfers)], writers)
            problems = await ledger.check_invariants()
            entries = await db.fetch_one("SELECT count(*) FROM entries")
        finally:
            await db.close()
    assert outcomes.count(Outcome.DONE) == 2 * transfers and not problems
    assert entries is not None and entries[0] == 4 * transfers
    return {
        "bench": "ledger_throughput",
        "synchronous": "FULL",
        "transfers": transfers,
        "writers": writers,
        "confirmed_per_second": sequential["per_second"],
        "confirm_p50_ms": sequential["p50_ms"],
        "confirm_p99_ms": sequential["p99_ms"],
        "concurrent_confirmed_per_second": concurrent["per_second"],
        "concurrent_confirm_p50_ms": concurrent["p50_ms"],
        "concurrent_confirm_p99_ms": concurrent["p99_ms"],
        "baseline_inserts_per_second": base_sequential["per_second"],
        "baseline_p99_ms": base_sequential["p99_ms"],
        "baseline_concurrent_inserts_per_second": base_concurrent["per_second"],
        "baseline_concurrent_p99_ms": base_concurrent["p99_ms"],
        "ratio_confirm_to_insert": round(
            sequential["per_second"] / base_sequential["per_second"], 2
        ),
        "ratio_concurrent_confirm_to_insert": round(
            concurrent["per_second"] / base_concurrent["per_second"], 2
        ),
        "invariants_ok": not problems,
        "targets_met": sequential["per_second"] >= 1000
        and concurrent["per_second"] >= 1000
        and concurrent["p99_ms"] <= 20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transfers", type=int, default=2000)
    parser.add_argument("--writers", type=int, default=20)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.transfers, args.writers))))


if __name__ == "__main__":
    main()
