"""BotApiEmulator: a local Telegram Bot API server for tests and the demo."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Collection, Sequence
from types import TracebackType
from typing import Any

from aiohttp import web

from bot.emulator.commands import normalize_language, normalize_scope, storage_key
from bot.emulator.faults import FaultPlan
from bot.emulator.group_state import GroupChat
from bot.emulator.groups import SimulatedGroup
from bot.emulator.limits import DEFAULT_LIMITS, Limits, RateLimiter
from bot.emulator.members import SimulatedMember
from bot.emulator.methods import BotApi
from bot.emulator.models import ApiCall
from bot.emulator.server import ApiServer
from bot.emulator.state import BotIdentity, EmulatorState, MemberProfile, PrivateChat
from bot.emulator.transcript import Event, render

DEFAULT_TOKEN = "123456:TEST-TOKEN"
SHUTDOWN_GRACE_SECONDS = 2.0


class BotApiEmulator:
    """Speaks the Bot API on 127.0.0.1, records every call and simulates members."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "amser_test_bot",
        bot_name: str = "Amser",
        limits: Limits = DEFAULT_LIMITS,
        clock: Callable[[], float] = time.monotonic,
        privacy_mode: bool = True,
    ) -> None:
        self.token = token
        self.limits = limits
        self.settle: Callable[[int], Awaitable[None]] | None = None
        prefix = token.split(":", 1)[0]
        bot = BotIdentity(int(prefix) if prefix.isdigit() else 123456, bot_name, bot_username)
        self._clock = clock
        self._state = EmulatorState(bot, self._now)
        self._state.privacy_mode = privacy_mode
        self._api = BotApi(self._state, RateLimiter(limits, self._now))
        self._faults = FaultPlan()
        self._server = ApiServer(self._api, self._state, self._faults, token)
        self._members: dict[int, SimulatedMember] = {}
        self._groups: dict[int, SimulatedGroup] = {}
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    def _now(self) -> float:
        return self._clock()

    def keep_time_with(self, clock: Callable[[], float]) -> None:
        """Measure limits by the bot's clock, so that a test moving it on lets Telegram's
        windows pass too (a group's minute)."""
        self._clock = clock

    def keep_dates_with(self, clock: Callable[[], float]) -> None:
        """Take Telegram's `date` (Unix seconds) from this clock, e.g. the bot's simulated one,
        so that bans and restrictions end at their until_date as the test moves time on."""
        self._state.date_clock = clock

    @property
    def privacy_mode(self) -> bool:
        """In privacy mode (the default) a bot that is not an administrator sees in groups
        only commands, replies to its messages, mentions of it and service messages."""
        return self._state.privacy_mode

    @privacy_mode.setter
    def privacy_mode(self, on: bool) -> None:
        self._state.privacy_mode = on

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on a free port of 127.0.0.1."""
        if self._runner is not None:
            raise RuntimeError("the emulator is already running")
        self._state.stopping = False
        runner = web.AppRunner(
            self._server.application(),
            access_log=None,
            handle_signals=False,
            # stop() releases long polls first, so this only bounds a hang caused by a bug.
            shutdown_timeout=SHUTDOWN_GRACE_SECONDS,
        )
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self._runner = runner
        self._port = runner.addresses[0][1]

    async def stop(self) -> None:
        """Release pending long polls, then close the server."""
        self._state.stop()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the emulator has not been started")
        return self._port

    @property
    def base_url(self) -> str:
        """For PTB's base_url: the token is appended by PTB."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # --- faults --------------------------------------------------------------------------

    def fail(
        self,
        method: str | None = None,
        *,
        kind: str,
        times: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """The next `times` calls of `method` (None: any but getUpdates) to `chat_id` (None:
        any) fail with `kind`: "429", "500", "502", "403", "timeout", "drop" or "drop_after"."""
        self._faults.fail(method, kind=kind, times=times, chat_id=chat_id)

    def fail_share(
        self,
        share: float,
        *,
        kinds: Sequence[str],
        methods: Collection[str] | None = None,
        seed: int = 0,
    ) -> None:
        """From now on a random `share` of calls to `methods` (None: all but getUpdates) fail
        with one of `kinds`; `fail_share(0, kinds=())` turns it off."""
        self._faults.fail_share(share, kinds=kinds, methods=methods, seed=seed)

    @property
    def timeout_delay(self) -> float:
        """How long a "timeout" fault holds its response back (unless the emulator stops)."""
        return self._faults.timeout_delay

    @timeout_delay.setter
    def timeout_delay(self, seconds: float) -> None:
        self._faults.timeout_delay = seconds

    def push_raw_update(self, payload: dict[str, Any]) -> int:
        """Queue any update body as it is (say, one PTB cannot decode); returns its update_id."""
        return self._state.enqueue_raw(payload)

    def redeliver(self, update_id: int) -> None:
        """Telegram delivers this update again, under the same update_id, as it does when the
        getUpdates offset confirming it never reached Telegram (the bot stopped first): it is
        queued again, and the next getUpdates whose offset does not pass it returns it. A bot
        still running has polled past it, so restart the bot to receive it (a new start polls
        without an offset). Raises LookupError for an id never queued."""
        self._state.redeliver(update_id)

    # --- inspection ----------------------------------------------------------------------

    @property
    def calls(self) -> list[ApiCall]:
        """Every request made, in order, including failed ones (a live list)."""
        return self._state.calls

    def calls_to(self, method: str) -> list[ApiCall]:
        """The recorded calls of one method (case-insensitive)."""
        return [call for call in self.calls if call.method.lower() == method.lower()]

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by a getUpdates offset."""
        return list(self._state.updates)

    def narrate(self, text: str) -> None:
        """A line for the reader of the transcript, e.g. that a day passes."""
        self._state.events.append(Event("narration", "", text))

    def transcript(self) -> str:
        """Who said what, buttons shown and pressed, edits — readable by anyone."""
        return render(self._state.events)

    # The contract names the parameter `timeout`, hence the noqa.
    async def wait_for_call(
        self,
        predicate: Callable[[ApiCall], bool],
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> ApiCall:
        """The first recorded call matching `predicate`, waiting for it if necessary."""

        def first_match() -> ApiCall | None:
            return next((call for call in self._state.calls if predicate(call)), None)

        try:
            return await self._state.calls_signal.wait_for(first_match, timeout)
        except TimeoutError:
            seen = ", ".join(f"{c.method}→{c.status}" for c in self._state.calls[-10:])
            raise TimeoutError(
                f"no matching API call within {timeout} s; last calls: {seen or 'none'}"
            ) from None

    async def wait_until_fetched(
        self,
        update_id: int,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> None:
        """Return once the bot has fetched this update and polled again past it (confirmed)."""
        state = self._state
        try:
            await state.updates_signal.wait_for(
                lambda: state.confirmed_below > update_id or state.stopping, timeout
            )
        except TimeoutError:
            raise TimeoutError(
                f"the bot did not fetch update {update_id} within {timeout} s"
            ) from None
        if state.confirmed_below <= update_id:
            raise RuntimeError(f"the emulator stopped before update {update_id} was fetched")

    async def wait_for_long_poll(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Return once some getUpdates request is waiting for updates (the bot is idle)."""
        state = self._state
        try:
            await state.updates_signal.wait_for(lambda: state.polls_waiting > 0, timeout)
        except TimeoutError:
            raise TimeoutError(f"no getUpdates long poll began within {timeout} s") from None

    def commands(self, scope: dict[str, Any] | None = None, language_code: str = "") -> list[dict]:
        """What setMyCommands stored for exactly this scope and language."""
        key = storage_key(normalize_scope(scope), normalize_language(language_code))
        return [dict(command) for command in self._state.commands.get(key, [])]

    # --- members -------------------------------------------------------------------------

    def member(
        self,
        user_id: int,
        first_name: str,
        *,
        language_code: str = "en",
        username: str | None = None,
    ) -> SimulatedMember:
        """The simulated member with this id (created on first use)."""
        existing = self._members.get(user_id)
        if existing is not None:
            return existing
        if user_id <= 0:
            raise ValueError("a user id is a positive integer")
        profile = MemberProfile(user_id, first_name, language_code, username)
        chat = self._state.chats.setdefault(user_id, PrivateChat(profile))
        member = SimulatedMember(self._state, chat, self._after_action)
        self._members[user_id] = member
        return member

    def group(self, chat_id: int, title: str, *, supergroup: bool = False) -> SimulatedGroup:
        """The group chat with this (negative) id, created on first use with the bot in it as
        a member; set up its people with `.add(...)`, the bot's standing with `.set_bot(...)`,
        and read what the bot posts there: `.messages`, `.last`."""
        existing = self._groups.get(chat_id)
        if existing is not None:
            return existing
        if chat_id >= 0:
            raise ValueError("a group's chat id is negative")
        kind = "supergroup" if supergroup else "group"
        profile = MemberProfile(chat_id, title, "en", None, kind=kind)
        chat = GroupChat(profile, known=True)
        self._state.chats[chat_id] = chat
        return self._adopt(chat)

    def _adopt(self, chat: GroupChat) -> SimulatedGroup:
        group = SimulatedGroup(self._state, chat, self._after_action, self._adopt)
        self._groups[chat.chat_id] = group
        return group

    async def _after_action(self, update_id: int) -> None:
        if self.settle is not None:
            await self.settle(update_id)
