"""Scheduled check-ins: the due pass with 100,000 members on schedules, and 5,000 check-ins
delivered at once through the real bot while members keep acting.

(a) The pass. A fresh database with 100,000 active members, each on a weekly check-in on one of
the 7 days at one of the 14 hours members may choose (about 1,020 for each day and hour), each
spread over its hour, seeded directly with SQL. Each pass looks for the check-ins due one hour
later than the last (one hour's slot), queues each as an outbox message and moves its schedule
on: one write (`storage.checkins.due_pass_in`), timed through `Database.write` as the bot runs
it. Between passes the outbox is emptied, untimed, as the sender does once they are sent.
Figures: min / median / p90 / max ms per pass over ~20 passes (each a full slot), and check-ins
queued per pass.
Baseline in the same run: the same work done one member at a time (a scan without the index,
then one write per member: a select, the outbox row and the move), over a few slots.

(b) Delivery. The real bot in its own process against the Bot API emulator (limits on), with
5,000 seeded members whose check-ins all fall due at the same moment (the worst case: the bot
spreads real ones over the hour), while 200 members act at 10 updates/s (the mix of
bench/_harness.py). Figures: time from the moment due to the last check-in arriving, the send
rate, the most sends in any one second, 429s, and the members' reply p50/p99 meanwhile.

Prints one JSON line.
    python bench/checkins.py [--quick] [--pass-only] [--members 100000] [--deliver 5000] [--rate 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench import _harness as h
from bot.domain.checkins import HOURS, Cadence, Schedule, after_pass, next_due, spread_of
from bot.domain.matching import send_after
from storage.checkins import PURPOSE, CheckinRepository, QuietHours, checkin_key
from storage.database import Database, prepare
from storage.outbox import Notice, Priority, queue_in
from storage.timestamps import to_db

LONDON = ZoneInfo("Europe/London")
NO_QUIET = QuietHours(datetime(2000, 1, 1).time(), datetime(2000, 1, 1).time())
START = datetime(2027, 1, 4, 0, 0, tzinfo=UTC)  # a Monday, midnight (GMT)
ACTORS = 200
ASKED = "How are things?"
DELAY = 15  # seconds from seeding until the check-ins are due: the members are acting by then


# --- (a) the pass ------------------------------------------------------------------------------


def seed_schedules(path: Path, members: int) -> None:
    """`members` active members, each weekly on one of the 7 days at one of the 14 hours."""
    prepare(path)
    stamp = to_db(START)
    slots = [(day, hour) for day in range(7) for hour in HOURS]
    schedules = []
    for member_id in range(1, members + 1):
        weekday, hour = slots[member_id % len(slots)]
        schedule = Schedule(Cadence.WEEKLY, weekday, hour)
        due = next_due(schedule, START, LONDON, spread_of(member_id))
        schedules.append((member_id, weekday, hour, to_db(due) if due else None, stamp))
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("BEGIN IMMEDIATE")
        db.executemany(
            "INSERT INTO members (id, telegram_id, language, status, display_name, created_at,"
            " updated_at) VALUES (?, ?, 'en', 'active', 'Member', ?, ?)",
            [(n, 1_000_000 + n, stamp, stamp) for n in range(1, members + 1)],
        )
        db.executemany(
            "INSERT INTO checkin_schedules (member_id, cadence, weekday, hour, next_due_at,"
            " updated_at) VALUES (?, 'weekly', ?, ?, ?, ?)",
            schedules,
        )
        db.execute("COMMIT")


def one_at_a_time_in(tx: sqlite3.Connection, member_id: int, now: datetime) -> int:
    """The baseline's work for one member, in its own write."""
    row = tx.execute(
        "SELECT cadence, weekday, hour, next_due_at FROM checkin_schedules WHERE member_id = ?",
        (member_id,),
    ).fetchone()
    schedule = Schedule(Cadence(row[0]), row[1], row[2])
    due = datetime.fromisoformat(row[3])
    notice = Notice(
        PURPOSE,
        member_id=member_id,
        data={"day": due.astimezone(LONDON).date().isoformat()},
        priority=Priority.BULK,
        key=checkin_key(member_id, row[3]),
        not_before=send_after(due, LONDON, NO_QUIET.start, NO_QUIET.end, 0, 1),
    )
    queue_in(tx, [notice], now)
    upcoming = after_pass(schedule, due, now, LONDON, spread_of(member_id))
    tx.execute(
        "UPDATE checkin_schedules SET next_due_at = ? WHERE member_id = ?",
        (to_db(upcoming) if upcoming else None, member_id),
    )
    return 1


def slot_hour(now: datetime) -> int:
    """The local hour whose slot a pass at `now` takes: the hour just gone."""
    return (now - timedelta(hours=1)).astimezone(LONDON).hour


async def measure_pass(members: int, passes: int, baseline_passes: int) -> dict:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "pass.db"
        seed_schedules(path, members)
        db = await Database.open(path)
        try:
            checkins = CheckinRepository(db)
            # Start at 07:00 on the Monday: each pass then takes the next hour's slot.
            now = START + timedelta(hours=7)
            timings, queued = [], []
            while len(timings) < passes:
                now += timedelta(hours=1)
                if slot_hour(now) not in HOURS:
                    continue  # nothing due overnight: not a pass worth timing
                began = time.perf_counter()
                result = await checkins.due_pass(now, LONDON, NO_QUIET)
                timings.append(time.perf_counter() - began)
                queued.append(result.queued)
                # By the next hour the sender has sent these and deleted their rows (untimed).
                await db.write(lambda tx: tx.execute("DELETE FROM outbox"))
            baseline = []
            for _ in range(baseline_passes):
                now += timedelta(hours=1)
                while slot_hour(now) not in HOURS:
                    now += timedelta(hours=1)
                began = time.perf_counter()
                due = await db.fetch_all(
                    "SELECT member_id FROM checkin_schedules NOT INDEXED"
                    " WHERE next_due_at IS NOT NULL AND next_due_at <= ?",
                    (to_db(now),),
                )
                for row in due:
                    member_id = row["member_id"]
                    await db.write(lambda tx, m=member_id, at=now: one_at_a_time_in(tx, m, at))
                baseline.append(time.perf_counter() - began)
                await db.write(lambda tx: tx.execute("DELETE FROM outbox"))
            plan = await db.fetch_all(
                "EXPLAIN QUERY PLAN SELECT member_id FROM checkin_schedules"
                " WHERE next_due_at IS NOT NULL AND next_due_at <= ? ORDER BY next_due_at",
                ("x",),
            )
        finally:
            await db.close()
    return {
        "members": members,
        "passes": len(timings),
        "queued_per_pass": {
            "min": min(queued),
            "median": int(statistics.median(queued)),
            "max": max(queued),
        },
        "pass_ms": {
            "min": h.ms(min(timings)),
            "median": h.ms(statistics.median(timings)),
            "p90": h.ms(statistics.quantiles(timings, n=10)[-1]),
            "max": h.ms(max(timings)),
        },
        "baseline_per_member_ms": {
            "passes": len(baseline),
            "median": h.ms(statistics.median(baseline)) if baseline else None,
        },
        "uses_index": any("checkin_schedules_due" in row["detail"] for row in plan),
    }


# --- (b) delivery ------------------------------------------------------------------------------


def ten_oclock_zone(due: datetime) -> str:
    """A whole-hour time zone in which `due` falls in the 10:00 hour: the check-in is sent only
    if it still matches the member's chosen day and hour, and that must be a daytime hour."""
    east = (10 - due.hour) % 24  # hours ahead of UTC, as 0..23
    if east == 0:
        return "Etc/GMT"
    # Etc zones are named the POSIX way round: Etc/GMT-5 is five hours ahead of UTC.
    return f"Etc/GMT-{east}" if east <= 14 else f"Etc/GMT+{24 - east}"


def schedule_all(receivers: int, due: datetime) -> Callable[[Path], Awaitable[None]]:
    """Every receiver on a weekly check-in at 10:00 that falls due at `due` (written as the bot
    would, in the zone of `ten_oclock_zone`)."""

    async def write(path: Path) -> None:
        weekday = due.astimezone(ZoneInfo(ten_oclock_zone(due))).weekday()
        stamp = to_db(datetime.now(UTC))
        with closing(sqlite3.connect(path, isolation_level=None)) as db:
            db.execute("BEGIN IMMEDIATE")
            db.executemany(
                "INSERT INTO checkin_schedules (member_id, cadence, weekday, hour, next_due_at,"
                " updated_at) SELECT id, 'weekly', ?, 10, ?, ? FROM members WHERE telegram_id = ?",
                [(weekday, to_db(due), stamp, tid) for tid in h.receiver_ids(receivers)],
            )
            db.execute("COMMIT")

    return write


async def measure_delivery(receivers: int, rate: float, limit: float) -> dict:
    with tempfile.TemporaryDirectory() as directory:
        due = datetime.now(UTC) + timedelta(seconds=DELAY)
        async with h.amser_bot(
            Path(directory),
            ACTORS,
            receivers,
            before_start=schedule_all(receivers, due),
            config_extra="[scheduler]\ndue_work_interval_seconds = 2\n"
            f'[community]\ntimezone = "{ten_oclock_zone(due)}"\n',
        ) as (emulator, _bot, _database):
            members = h.known(emulator, h.actor_ids(ACTORS))
            wanted = set(h.receiver_ids(receivers))
            load = h.Load(emulator, members, h.amser_mix, seed=5)
            started = time.monotonic()
            due_at = started + (due - datetime.now(UTC)).total_seconds()

            def asked() -> list[float]:
                return [
                    call.at
                    for call in emulator.calls
                    if call.method == "sendMessage"
                    and call.status == 200
                    and ASKED in str(call.params.get("text", ""))
                    and h.chat_of(call) in wanted
                ]

            running = asyncio.ensure_future(load.run(rate, limit))
            while len(asked()) < receivers and not running.done():  # noqa: ASYNC110
                await asyncio.sleep(0.2)
            load.stop()
            result = await running
            times = asked()
            first, last = min(times, default=due_at), max(times, default=due_at)
            spread = last - first
            replies = load.result.between(first, last)
            chats = [h.chat_of(call) for call in emulator.calls if ASKED in str(call.params)]
            return {
                "checkins": receivers,
                "delivered": len(times),
                "twice": len(chats) - len(set(chats)),
                "took_s_from_due": round(last - due_at, 1),
                "checkin_rate_per_s": round((len(times) - 1) / spread, 1) if spread else None,
                "most_sends_in_a_second": h.most_in_a_second(
                    h.sends(emulator.calls, started, float("inf"))
                ),
                "rejected_429": h.rejected(emulator.calls, started),
                "members": result.figures(),
                "members_while_sending": {
                    "answered": len(replies),
                    "p50_ms": h.ms(h.percentile(replies, 0.5)),
                    "p99_ms": h.ms(h.percentile(replies, 0.99)),
                },
            }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 members, 500 check-ins")
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--passes", type=int, default=20)
    parser.add_argument("--deliver", type=int, default=5_000)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--limit", type=float, default=600.0, help="seconds at most")
    parser.add_argument("--pass-only", action="store_true", help="(a) alone")
    args = parser.parse_args()
    members = 20_000 if args.quick else args.members
    deliver = 500 if args.quick else args.deliver
    passing = await measure_pass(members, args.passes, baseline_passes=2 if args.quick else 3)
    if args.pass_only:
        print(json.dumps({"benchmark": "checkins", "pass": passing}))
        return
    delivery = await measure_delivery(deliver, args.rate, args.limit)
    figures = {
        "pass": passing,
        "delivery": delivery,
        "ratio_baseline_to_pass": h.ratio(
            passing["baseline_per_member_ms"]["median"], passing["pass_ms"]["median"]
        ),
        "targets_met": {
            "pass_le_50ms": h.within(passing["pass_ms"]["max"], 50),
            "all_delivered_once": delivery["delivered"] == deliver and delivery["twice"] == 0,
            "most_in_a_second_le_25": delivery["most_sends_in_a_second"] <= 25,
            "no_429s": delivery["rejected_429"] == 0,
            "reply_p99_le_250ms": h.within(delivery["members_while_sending"]["p99_ms"], 250),
        },
    }
    print(json.dumps({"benchmark": "checkins", **figures}))


if __name__ == "__main__":
    asyncio.run(main())
