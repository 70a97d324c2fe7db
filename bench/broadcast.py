"""A 10,000-recipient bilingual broadcast while members keep acting, with a kill -9 half-way.

The real bot in its own process against the Bot API emulator (limits on): 10,000 seeded
recipients (a tenth of them Welsh speakers) and 200 members acting at 10 updates/s (the mix of
bench/_harness.py). A coordinator sends the broadcast through chat, as anyone would: /broadcast,
an interest (gardening, which every recipient offers), the English and the Welsh text, Send. At
a random moment while it goes out the bot is killed with SIGKILL and started again on the same
database; the broadcast carries on.

Figures: the broadcast's average send rate (first message to last, the restart's gap left out),
all sends a second, the most sends in any one second, 429s, the members' reply p99 while it goes,
and recipients never sent it or sent it twice. Baseline in the same run: a bare PTB bot with
PTB's `AIORateLimiter` sending the same recipients in a plain loop while answering the same
members (its peak second, 429s, losses and reply p99).

Prints one JSON line.
    python bench/broadcast.py [--quick] [--recipients 10000] [--rate 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import tempfile
import time
from collections import Counter
from contextlib import closing
from pathlib import Path

from bench import _harness as h
from bot.emulator import BotApiEmulator, Limits, SimulatedMember

ACTORS = 200
ENGLISH = "Community news: the repair café opens on Saturday at 10."
WELSH = "Newyddion y gymuned: mae'r caffi trwsio yn agor ddydd Sadwrn am 10."
# Words of each text that HTML escaping leaves alone, to recognise the messages by.
MARKS = ("repair café opens", "caffi trwsio yn agor")
WELSH_SHARE = 10  # one recipient in this many speaks Welsh
LIMIT = 1200.0  # seconds at most for the broadcast to go out
CATCH_UP = 5.0  # seconds after a restart counted with the restart


def coordinator_id() -> int:
    return h.actor_ids(ACTORS + 1)[-1]  # seeded with the actors, never one of the load's


def speak_welsh(database: Path, recipients: int) -> None:
    welsh = [tid for tid in h.receiver_ids(recipients) if tid % WELSH_SHARE == 0]
    with closing(sqlite3.connect(database, isolation_level=None)) as db:
        db.execute("BEGIN IMMEDIATE")
        db.executemany(
            "UPDATE members SET language = 'cy' WHERE telegram_id = ?", [(t,) for t in welsh]
        )
        db.execute("COMMIT")


def shows(member: SimulatedMember, words: str) -> bool:
    """The member's latest message from the bot says these words or has a button with them."""
    if not member.messages:
        return False
    last = member.last
    return words in last.text or any(words in label for label in last.button_texts)


async def send_broadcast(coordinator: SimulatedMember) -> None:
    """/broadcast through chat: to those interested in gardening (every recipient, and none of
    the members acting, whose chats must hold only the answers to their own updates), in
    English and Welsh, then Send; each step once the bot's answer to the last has come."""
    steps = [
        (coordinator.send, "/broadcast", "An interest"),
        (coordinator.press, "An interest", "Gardening"),
        (coordinator.press, "Gardening", "The notice in English"),
        (coordinator.send, ENGLISH, "The notice in Welsh"),
        (coordinator.send, WELSH, "📣 Send it"),
    ]
    for act, what, then in steps:
        await act(what)
        deadline = time.monotonic() + 30
        # The bot is another process: look for its answer every so often.
        while not shows(coordinator, then):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the bot did not show {then!r} after {what!r}")
            await asyncio.sleep(0.05)
    await coordinator.press("📣 Send it")


def broadcast_times(emulator: BotApiEmulator, receivers: set[int]) -> list[tuple[float, int]]:
    """(when, chat) of every broadcast message the emulator accepted."""
    found = []
    for call in emulator.calls:
        if call.method != "sendMessage" or call.status != 200:
            continue
        text = str(call.params.get("text", ""))
        chat = h.chat_of(call)
        if chat in receivers and any(mark in text for mark in MARKS):
            found.append((call.at, chat))
    return found


def delivery(times: list[tuple[float, int]], receivers: set[int], gap: float) -> dict:
    counts = Counter(chat for _, chat in times)
    moments = sorted(t for t, _ in times)
    spread = (moments[-1] - moments[0] - gap) if len(moments) > 1 else 0.0
    return {
        "sent": len(times),
        "never_sent": len(receivers - set(counts)),
        "sent_twice_or_more": sum(1 for n in counts.values() if n > 1),
        "took_s": round(spread, 1),
        "rate_per_s": round((len(moments) - 1) / spread, 1) if spread > 0 else None,
    }


async def measure_amser(recipients: int, rate: float, seed: int) -> dict:
    with tempfile.TemporaryDirectory() as directory:

        async def prepare(database: Path) -> None:
            speak_welsh(database, recipients)

        extra = (
            f"[roles]\nadmins = [{coordinator_id()}]\n"
            f"[broadcasts]\napproval_above = {recipients + 1}\n"
        )
        async with h.amser_bot(
            Path(directory), ACTORS + 1, recipients, before_start=prepare, config_extra=extra
        ) as (emulator, bot, _database):
            receivers = set(h.receiver_ids(recipients))
            members = h.known(emulator, h.actor_ids(ACTORS))
            coordinator = h.known(emulator, [coordinator_id()])[0]
            load = h.Load(emulator, members, h.amser_mix, seed=seed)
            running = asyncio.ensure_future(load.run(rate, LIMIT))
            await asyncio.sleep(6)  # past the load's warm-up
            await send_broadcast(coordinator)
            # A kill -9 at a random point while it goes out, then a restart on the same database.
            kill_after = random.Random(seed).uniform(0.2, 0.8) * recipients / 22
            await asyncio.sleep(kill_after)
            bot.kill()
            await bot.wait()
            killed = time.monotonic()
            await bot.start()
            started = time.monotonic()
            while (  # noqa: ASYNC110
                len({chat for _, chat in broadcast_times(emulator, receivers)}) < recipients
                and time.monotonic() - started < LIMIT
            ):
                await asyncio.sleep(0.5)
            await asyncio.sleep(3)  # anything sent twice shows up by now
            load.stop()
            result = await running
            times = broadcast_times(emulator, receivers)
            first, last = min(t for t, _ in times), max(t for t, _ in times)
            # The restart's gap: from the last send before the kill to the first after it.
            every = h.sends(emulator.calls, 0, float("inf"))
            resumed = min((t for t in every if t > killed), default=killed)
            gap = resumed - max((t for t in every if t <= killed), default=killed)
            # Updates posted while the bot was down (and in the seconds after, while it caught
            # up) waited for the restart: reported on their own, beside the p99 of the rest.
            back = resumed + CATCH_UP
            replies = result.between(first, killed) + result.between(back, last)
            restart = result.between(killed, back)
            return {
                **delivery(times, receivers, gap),
                "restart_replies": len(restart),
                "restart_reply_max_ms": h.ms(max(restart, default=None)),
                "restart_gap_s": round(gap, 1),
                "all_sends_per_s": round(
                    len(h.sends(emulator.calls, first, last)) / (last - first - gap), 1
                ),
                "most_sends_in_a_second": h.most_in_a_second(
                    h.sends(emulator.calls, 0, float("inf"))
                ),
                "rejected_429": h.rejected(emulator.calls, 0),
                "reply_p50_ms": h.ms(h.percentile(replies, 0.5)),
                "reply_p99_ms": h.ms(h.percentile(replies, 0.99)),
                "members": result.figures(),
            }


async def measure_baseline(recipients: int, rate: float, seed: int) -> dict:
    with tempfile.TemporaryDirectory() as directory:
        async with BotApiEmulator(limits=Limits()) as emulator:
            receivers = set(h.receiver_ids(recipients))
            h.known(emulator, receivers)
            members = h.known(emulator, h.actor_ids(ACTORS))
            argv = [
                h.PYTHON,
                str(h.ROOT / "bench" / "_aio_broadcast_bot.py"),
                emulator.base_url,
                str(min(receivers)),
                str(recipients),
            ]
            bot = h.BotProcess(argv, emulator, Path(directory) / "aio.log")
            await bot.start()
            try:
                load = h.Load(emulator, members, h.echo_mix, seed=seed, echo=True)
                running = asyncio.ensure_future(load.run(rate, LIMIT))
                started = time.monotonic()
                # The loop tries each recipient once: done when the last has been tried.
                while time.monotonic() - started < LIMIT:
                    tried = [
                        c
                        for c in emulator.calls
                        if c.method == "sendMessage" and h.chat_of(c) in receivers
                    ]
                    if any(h.chat_of(c) == max(receivers) for c in tried):
                        break
                    await asyncio.sleep(0.5)
                await asyncio.sleep(3)
                load.stop()
                result = await running
            finally:
                await bot.stop()
            times = [
                (c.at, h.chat_of(c))
                for c in emulator.calls
                if c.method == "sendMessage" and c.status == 200 and h.chat_of(c) in receivers
            ]
            first, last = min(t for t, _ in times), max(t for t, _ in times)
            replies = result.between(first, last)
            return {
                **delivery(times, receivers, 0.0),
                "most_sends_in_a_second": h.most_in_a_second(
                    h.sends(emulator.calls, 0, float("inf"))
                ),
                "rejected_429": h.rejected(emulator.calls, 0),
                "reply_p50_ms": h.ms(h.percentile(replies, 0.5)),
                "reply_p99_ms": h.ms(h.percentile(replies, 0.99)),
            }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 recipients")
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    recipients = 1000 if args.quick else args.recipients
    amser = await measure_amser(recipients, args.rate, args.seed)
    baseline = await measure_baseline(recipients, args.rate, args.seed)
    figures = {
        "benchmark": "broadcast",
        "recipients": recipients,
        "members_rate": args.rate,
        "amser": amser,
        "ptb_aio_rate_limiter": baseline,
        "ratio_rate": h.ratio(amser["rate_per_s"], baseline["rate_per_s"]),
        "ratio_reply_p99": h.ratio(amser["reply_p99_ms"], baseline["reply_p99_ms"]),
    }
    figures["targets_met"] = {
        "send_rate_ge_22": (amser["all_sends_per_s"] or 0) >= 22,
        "most_in_a_second_le_25": amser["most_sends_in_a_second"] <= 25,
        "no_429s": amser["rejected_429"] == 0,
        "reply_p99_le_250ms": h.within(amser["reply_p99_ms"], 250),
        "none_lost": amser["never_sent"] == 0,
        "at_most_one_twice": amser["sent_twice_or_more"] <= 1,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    asyncio.run(main())
