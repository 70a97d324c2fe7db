"""What the delivery benchmarks share: the emulator in this process, the bot in its own.

The Bot API emulator (Telegram-like limits on unless asked) runs in the benchmark's process; the
real bot runs as `python -m bot run --config <file>` in a process of its own, talking to the
emulator over real HTTP, with a fresh database. Members are seeded straight into that database
before the bot starts (joining through chat would take minutes for a thousand), as "actors", who
act, and "receivers", who only hear about requests: actors offer a kind of help nobody asks for,
receivers offer the kind every request asks for, so every notice goes to a receiver and a
message in an actor's chat is always the answer to that actor's own update.

A load is open-loop: updates arrive as a Poisson process at a given rate, each from a member
who is not still waiting for an answer (a person waits for the bot), following a realistic mix
of short scripts. An update's latency runs from posting it to the emulator recording the bot's
first answering call for it (sendMessage, editMessageText or answerCallbackQuery in that chat).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import sqlite3
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager, closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench._figures import (  # noqa: F401 (the scripts use them as h.<name>)
    SENDS,
    chat_of,
    most_in_a_second,
    ms,
    percentile,
    ratio,
    rejected,
    sends,
    within,
)
from bot.emulator import ApiCall, BotApiEmulator, Limits, SimulatedMember
from storage.database import prepare
from storage.timestamps import to_db

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ACTOR_BASE = 100_000  # actors' Telegram ids start here
RECEIVER_BASE = 500_000  # receivers' Telegram ids start here
ACTOR_CATEGORY = "language"  # offered by actors, never asked for
ASKED_CATEGORY = "gardening"  # every request asks for it; receivers offer it
ANSWERS = frozenset({"sendMessage", "editMessageText", "answerCallbackQuery", "sendDocument"})
POST = "✅ Post it"
THINK = 0.5  # seconds a member takes to read an answer before acting again
STARTUP_TIMEOUT = 30.0


# --- the database, seeded before the bot starts ----------------------------------------------


def seed(path: Path, actors: int, receivers: int) -> None:
    """A fresh database with `actors` and `receivers` already joined and active."""
    prepare(path)
    now = to_db(datetime.now(UTC))
    rows, offers = [], []
    for index in range(actors):
        rows.append((ACTOR_BASE + index, f"Actor {index}", "canton"))
        offers.append((ACTOR_BASE + index, ACTOR_CATEGORY))
    for index in range(receivers):
        rows.append((RECEIVER_BASE + index, f"Receiver {index}", "canton"))
        offers.append((RECEIVER_BASE + index, ASKED_CATEGORY))
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("BEGIN IMMEDIATE")
        db.executemany(
            "INSERT INTO members (telegram_id, language, status, display_name, area, consent_at,"
            " joined_at, created_at, updated_at, last_active_at, notices_enabled)"
            " VALUES (?, 'en', 'active', ?, ?, ?, ?, ?, ?, ?, 1)",
            [(tid, name, area, now, now, now, now, now) for tid, name, area in rows],
        )
        db.executemany(
            "INSERT INTO member_offer_categories (member_id, category)"
            " SELECT id, ? FROM members WHERE telegram_id = ?",
            [(category, tid) for tid, category in offers],
        )
        db.execute("COMMIT")


def actor_ids(count: int) -> list[int]:
    return [ACTOR_BASE + i for i in range(count)]


def receiver_ids(count: int) -> list[int]:
    return [RECEIVER_BASE + i for i in range(count)]


# --- processes -------------------------------------------------------------------------------


def write_config(path: Path, emulator: BotApiEmulator, database: Path, extra: str = "") -> Path:
    """The bot's config: pointed at the emulator, no quiet hours, no daily cap to speak of."""
    base = emulator.base_url.removesuffix("/bot")
    path.write_text(
        "[telegram]\n"
        f'api_base_url = "{base}"\n'
        "poll_timeout = 10\n"
        "[database]\n"
        f'path = "{database}"\n'
        "[matching]\n"
        "daily_notice_cap = 100000\n"
        'quiet_hours_start = "00:00"\n'
        'quiet_hours_end = "00:00"\n' + extra
    )
    return path


class BotProcess:
    """A bot in its own process, started, killed (SIGKILL) and restarted at will."""

    def __init__(self, argv: list[str], emulator: BotApiEmulator, log: Path) -> None:
        self._argv = argv
        self._emulator = emulator
        self._log = log
        self._process: asyncio.subprocess.Process | None = None
        self.starts = 0
        self.startup_seconds: list[float] = []  # from exec to its first poll, each start

    async def start(self) -> None:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": self._emulator.token,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
        polls = _count(self._emulator.calls, "getUpdates")
        began = time.monotonic()
        with self._log.open("ab") as log:
            self._process = await asyncio.create_subprocess_exec(
                *self._argv, cwd=ROOT, env=env, stdout=log, stderr=log
            )
        self.starts += 1
        deadline = time.monotonic() + STARTUP_TIMEOUT
        # Ready once it polls for updates: a new getUpdates call reaches the emulator.
        while _count(self._emulator.calls, "getUpdates") <= polls:
            if self._process.returncode is not None:
                raise RuntimeError(f"the bot exited at start: see {self._log}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"the bot did not start polling: see {self._log}")
            await asyncio.sleep(0.05)
        self.startup_seconds.append(time.monotonic() - began)

    def kill(self) -> None:
        if self._process is not None and self._process.returncode is None:
            self._process.send_signal(signal.SIGKILL)

    async def wait(self) -> None:
        if self._process is not None:
            await self._process.wait()

    async def stop(self) -> None:
        if self._process is None or self._process.returncode is not None:
            return
        self._process.terminate()
        try:
            await asyncio.wait_for(self._process.wait(), 10)
        except TimeoutError:
            self.kill()
            await self._process.wait()


def _count(calls: list[ApiCall], method: str) -> int:
    return sum(1 for call in calls if call.method == method)


def amser_argv(config: Path) -> list[str]:
    return [PYTHON, "-m", "bot", "run", "--config", str(config)]


def echo_argv(emulator: BotApiEmulator) -> list[str]:
    return [PYTHON, str(ROOT / "bench" / "_echo_bot.py"), emulator.base_url]


@asynccontextmanager
async def amser_bot(
    directory: Path,
    actors: int,
    receivers: int,
    *,
    limits: Limits | None = None,
    config_extra: str = "",
    before_start: Callable[[Path], Awaitable[None]] | None = None,
) -> AsyncIterator[tuple[BotApiEmulator, BotProcess, Path]]:
    """An emulator here and the real bot in its own process, with seeded members."""
    database = directory / "amser.db"
    seed(database, actors, receivers)
    if before_start is not None:
        await before_start(database)
    async with BotApiEmulator(limits=limits or Limits()) as emulator:
        known(emulator, receiver_ids(receivers))
        config = write_config(directory / "amser.toml", emulator, database, config_extra)
        bot = BotProcess(amser_argv(config), emulator, directory / "amser.log")
        await bot.start()
        try:
            yield emulator, bot, database
        finally:
            await bot.stop()


@asynccontextmanager
async def echo_bot(
    directory: Path, *, limits: Limits | None = None
) -> AsyncIterator[tuple[BotApiEmulator, BotProcess]]:
    """An emulator here and a bare PTB echo bot in its own process."""
    async with BotApiEmulator(limits=limits or Limits()) as emulator:
        bot = BotProcess(echo_argv(emulator), emulator, directory / "echo.log")
        await bot.start()
        try:
            yield emulator, bot
        finally:
            await bot.stop()


def known(emulator: BotApiEmulator, telegram_ids: Iterable[int]) -> list[SimulatedMember]:
    """Members whose chats the bot may write to, as if each had once pressed Start."""
    members = []
    for telegram_id in telegram_ids:
        member = emulator.member(telegram_id, f"M{telegram_id}")
        member._chat.known = True
        members.append(member)
    return members


# --- the mix ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    text: str
    press: bool = False  # press the button with this text on the latest keyboard; else send it


def text(value: str) -> Step:
    return Step(value)


def press(label: str) -> Step:
    return Step(label, press=True)


def amser_mix(rng: random.Random, number: int) -> list[Step]:
    """One member's next few actions: mostly menus and browsing, posting a request now and then.

    About one update in five is answered with a new message (the rest with an edit), and one in
    forty posts a request whose notices go to five receivers: at 100 updates/s, about 21 replies
    and 13 notices a second, more than Telegram allows.
    """
    roll = rng.random()
    if roll < 0.05:
        return [text("/balance")]
    if roll < 0.10:
        return [text("/help")]
    if roll < 0.40:
        return [
            text("/start"),
            *(
                step
                for screen in (
                    "💰 My time credits",
                    "❓ Help",
                    "👤 My profile",
                    "💰 My time credits",
                )
                for step in (press(screen), press("« Back to the menu"))
            ),
        ]
    if roll < 0.80:
        return [
            text("/browse"),
            press("🤝 Requests for help"),
            press("Everything"),
            press("Show everywhere"),
            press("Show near me"),
            press("Other kinds of help"),
            press("Gardening"),
            press("« Back to the menu"),
        ]
    return [
        text("/request"),
        press("Gardening"),
        text(f"Weeding a garden, request {number}"),
        text("The back garden is full of weeds and my knees are not what they were."),
        press("Canton"),
        press("Any time"),
        press("30 days"),
        press(POST),
    ]


def echo_mix(rng: random.Random, number: int) -> list[Step]:
    """The same mix for the echo bot: the same texts and presses, answered in kind."""
    return [Step(step.text, press=step.press) for step in amser_mix(rng, number)]


# --- the load --------------------------------------------------------------------------------


@dataclass
class _Member:
    member: SimulatedMember
    steps: list[Step] = field(default_factory=list)
    posted_at: float | None = None  # an update still waiting for its answer, posted then
    ready_at: float = 0.0
    measured: bool = False  # posted after the warm-up
    misses: int = 0  # the button wanted is not there yet, so many times in a row


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    samples: list[tuple[float, float]] = field(default_factory=list)  # (posted at, latency)
    never_answered: list[float] = field(default_factory=list)  # when each was posted
    posted: int = 0
    unanswered: int = 0
    no_member_free: int = 0  # arrivals with every member still waiting (the bot fell behind)
    misses: int = 0  # a button not there yet: the member looks again shortly
    requests_posted: int = 0

    def between(self, since: float, until: float) -> list[float]:
        """Latencies of the updates posted in [since, until); inf for any never answered."""
        lost = sum(1 for posted in self.never_answered if since <= posted < until)
        return [latency for posted, latency in self.samples if since <= posted < until] + [
            float("inf")
        ] * lost

    def figures(self) -> dict:
        return {
            "updates": self.posted,
            "answered": len(self.latencies),
            "unanswered": self.unanswered,
            "p50_ms": ms(percentile(self.latencies, 0.50)),
            "p99_ms": ms(percentile(self.latencies, 0.99)),
            "max_ms": ms(max(self.latencies, default=float("nan"))),
            "no_member_free": self.no_member_free,
            "script_misses": self.misses,
        }


class Load:
    """Open-loop Poisson arrivals spread over members who are free to act."""

    def __init__(
        self,
        emulator: BotApiEmulator,
        members: list[SimulatedMember],
        mix: Callable[[random.Random, int], list[Step]],
        *,
        seed: int = 1,
        echo: bool = False,
    ) -> None:
        self._emulator = emulator
        self._mix = mix
        self._echo = echo
        self._rng = random.Random(seed)
        self._members = {m.user_id: _Member(m) for m in members}
        self._free = set(self._members)
        self._scripts = 0
        self.result = LoadResult()
        self._settled = asyncio.Event()
        self._measuring = True
        self._stopped = False
        state = emulator._state
        self._callbacks = state.callbacks
        recorded = state.record_call

        def record(call: ApiCall) -> None:
            recorded(call)
            self._on_call(call)

        state.record_call = record

    def _on_call(self, call: ApiCall) -> None:
        if call.method not in ANSWERS or call.status != 200:
            return
        chat = call.params.get("chat_id")
        if call.method == "answerCallbackQuery":
            record = self._callbacks.get(str(call.params.get("callback_query_id")))
            chat = record.user_id if record is not None else None
        with contextlib.suppress(TypeError, ValueError):
            chat = int(chat)
        state = self._members.get(chat) if isinstance(chat, int) else None
        if state is None or state.posted_at is None or call.at < state.posted_at:
            return
        if state.measured:
            self.result.latencies.append(call.at - state.posted_at)
            self.result.samples.append((state.posted_at, call.at - state.posted_at))
        state.posted_at = None
        state.ready_at = call.at + THINK
        self._free.add(chat)
        if all(s.posted_at is None for s in self._members.values()):
            self._settled.set()

    async def run(
        self, rate: float, seconds: float, *, warmup: float = 5.0, drain: float = 30.0
    ) -> LoadResult:
        """Post updates at `rate` a second for `seconds` (after `warmup` seconds rising to it,
        not measured, so sessions are under way), then wait up to `drain` for the answers."""
        start = time.monotonic()
        measured = start + warmup
        end = measured + seconds
        due = start
        while not self._stopped:
            due += self._rng.expovariate(rate)
            if due >= end:
                break
            if due < measured and self._rng.random() * warmup > due - start:
                continue  # thinning: the rate rises evenly to `rate` over the warm-up
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            self._measuring = due >= measured
            await self._arrive(due)
        await self.settle(drain)
        return self.result

    def stop(self) -> None:
        """No more arrivals: `run` waits for the answers still due and returns."""
        self._stopped = True

    async def settle(self, seconds: float) -> None:
        """Wait up to `seconds` for every posted update's answer; count what never came."""
        self._settled.clear()
        if any(s.posted_at is not None for s in self._members.values()):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._settled.wait(), seconds)
        self.result.never_answered = [
            s.posted_at for s in self._members.values() if s.posted_at is not None
        ]
        self.result.unanswered = len(self.result.never_answered)

    async def _arrive(self, now: float) -> None:
        for _ in range(8):
            ready = [uid for uid in self._free if self._members[uid].ready_at <= now]
            if not ready:
                break
            # Someone part-way through something carries on first (as people do), so the mix
            # is the steady one from the start rather than a rush of first steps.
            going = [uid for uid in ready if self._members[uid].steps]
            state = self._members[self._rng.choice(going or ready)]
            if await self._act(state, now):
                return
        self.result.no_member_free += 1

    async def _act(self, state: _Member, now: float) -> bool:
        """The member's next step, if they can take it now."""
        if not state.steps:
            self._scripts += 1
            state.steps = self._mix(self._rng, self._scripts)
        step = state.steps[0]
        member = state.member
        label = "Again" if self._echo else step.text
        if step.press and not self._showing(member, label):
            # The screen with that button has not arrived yet: look again shortly, and after a
            # few tries start something else.
            self.result.misses += 1
            state.misses += 1
            state.ready_at = now + THINK / 2
            if state.misses >= 12:
                state.steps, state.misses = [], 0
            return False
        state.steps.pop(0)
        state.misses = 0
        if step.text == POST:
            self.result.requests_posted += 1
        self._free.discard(member.user_id)
        state.posted_at = time.monotonic()
        state.measured = self._measuring
        self.result.posted += int(self._measuring)
        if step.press:
            await member.press(label)
        else:
            await member.send(step.text)
        return True

    @staticmethod
    def _showing(member: SimulatedMember, label: str) -> bool:
        message = next((m for m in reversed(member.messages) if m.buttons), None)
        if message is None:
            return False
        try:
            message.button(label)
        except LookupError:
            return False
        return True
