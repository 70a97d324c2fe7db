"""Everything the emulated Telegram server remembers: chats, messages, updates, settings."""

from __future__ import annotations

import copy
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.errors import bad_request, forbidden
from bot.emulator.models import ApiCall, BotMessage, Document
from bot.emulator.transcript import Event
from bot.emulator.wakeup import Signal

UPDATE_TYPES_OFF_BY_DEFAULT = frozenset(
    {"chat_member", "message_reaction", "message_reaction_count"}
)


@dataclass(frozen=True)
class BotIdentity:
    user_id: int
    first_name: str
    username: str


@dataclass
class MemberProfile:
    user_id: int
    first_name: str
    language_code: str
    username: str | None = None
    kind: str = "private"  # a group's own profile (id < 0, title): "group" or "supergroup"


@dataclass
class Chat:
    """A chat with its messages: the bot's, and those of the people in it."""

    profile: MemberProfile
    known: bool = False  # Telegram: the bot can only write once the member wrote first
    last_message_id: int = 0
    bot_messages: dict[int, BotMessage] = field(default_factory=dict)
    member_messages: dict[int, dict[str, Any]] = field(default_factory=dict)

    @property
    def chat_id(self) -> int:
        return self.profile.user_id

    def next_message_id(self) -> int:
        self.last_message_id += 1
        return self.last_message_id

    def visible_bot_messages(self) -> list[BotMessage]:
        return [message for message in self.bot_messages.values() if not message.deleted]

    def check_bot_access(self, *, sending: bool) -> None:
        """Raise Telegram's error if the bot may not act in this chat now."""


@dataclass
class PrivateChat(Chat):
    """A member's private chat with the bot."""

    blocked: bool = False

    def check_bot_access(self, *, sending: bool) -> None:
        if sending and self.blocked:
            raise forbidden("bot was blocked by the user")


@dataclass
class CallbackRecord:
    query_id: str
    user_id: int
    answered: bool = False


class EmulatorState:
    """The server-side world; methods and simulated members both act on it."""

    def __init__(self, bot: BotIdentity, clock: Callable[[], float]) -> None:
        self.bot = bot
        self.clock = clock
        self.date_clock: Callable[[], float] = time.time
        self.privacy_mode = True  # in groups the bot sees only what is meant for it
        self.chats: dict[int, Chat] = {}
        self.updates: list[dict[str, Any]] = []
        self.update_bodies: dict[int, dict[str, Any]] = {}  # every update queued, to redeliver
        self.updates_signal = Signal()
        self.allowed_updates: list[str] = []
        self.confirmed_below = 1  # getUpdates offsets confirm every update below them
        self.polls_waiting = 0
        self.stopping = False
        self.callbacks: dict[str, CallbackRecord] = {}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.profile_texts: dict[tuple[str, str], str] = {}  # (name|description|..., lang)
        self.webhook_url = ""
        self.files: dict[str, Document] = {}
        self.events: list[Event] = []
        self.calls: list[ApiCall] = []
        self.calls_signal = Signal()
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._file_ids = itertools.count(1)

    def now_date(self) -> int:
        """Telegram's `date`: Unix seconds (wall-clock unless a test keeps dates with its own
        clock); until_date of bans and restrictions is measured against it."""
        return int(self.date_clock())

    def wants(self, kind: str) -> bool:
        """Whether the bot's allowed_updates let Telegram queue an update of this kind."""
        if self.allowed_updates:
            return kind in self.allowed_updates
        return kind not in UPDATE_TYPES_OFF_BY_DEFAULT

    def enqueue(self, kind: str, payload: dict[str, Any]) -> int:
        """Add an update for getUpdates and wake any long poll."""
        return self.enqueue_raw({kind: payload})

    def enqueue_raw(self, fields: dict[str, Any]) -> int:
        """Add an update made of these fields (any, even nonsense) under a fresh update_id."""
        update_id = next(self._update_ids)
        body = {key: value for key, value in copy.deepcopy(fields).items() if key != "update_id"}
        self.updates.append({"update_id": update_id, **body})
        self.update_bodies[update_id] = body
        self.updates_signal.notify()
        return update_id

    def redeliver(self, update_id: int) -> None:
        """Queue an update again under its own id, as if its confirmation never arrived."""
        body = self.update_bodies.get(update_id)
        if body is None:
            raise LookupError(f"no update {update_id} was ever queued")
        if any(update["update_id"] == update_id for update in self.updates):
            return  # still pending: it will be delivered anyway
        self.updates.append({"update_id": update_id, **copy.deepcopy(body)})
        self.updates.sort(key=lambda update: update["update_id"])
        self.confirmed_below = min(self.confirmed_below, update_id)
        self.updates_signal.notify()

    def record_call(self, call: ApiCall) -> None:
        self.calls.append(call)
        self.calls_signal.notify()

    def stop(self) -> None:
        self.stopping = True
        self.updates_signal.notify()

    def new_callback_id(self, user_id: int) -> str:
        query_id = str(4_200_000_000_000_000 + next(self._callback_ids))
        self.callbacks[query_id] = CallbackRecord(query_id, user_id)
        return query_id

    def store_file(self, document: Document) -> Document:
        """Give an uploaded file a file_id so it can be re-sent and downloaded."""
        number = next(self._file_ids)
        document.file_id = f"BQACAgEmu{number:06d}"
        self.files[document.file_id] = document
        return document

    def chat_for_bot(self, chat_id: Any, *, sending: bool = True) -> Chat:
        """The chat the bot addresses; Telegram's 400/403 if it may not."""
        if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
            chat_id = int(chat_id)
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        chat = self.chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None or not chat.known:
            raise bad_request("chat not found")
        chat.check_bot_access(sending=sending)
        return chat
