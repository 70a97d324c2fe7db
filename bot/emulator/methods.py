"""The Bot API methods the emulator implements, by name."""

from __future__ import annotations

from typing import Any

from bot.emulator.bot_settings import BotSettings
from bot.emulator.editing import Editing
from bot.emulator.errors import ApiError
from bot.emulator.limits import SENDING_METHODS, RateLimiter
from bot.emulator.messaging import Messaging
from bot.emulator.methods_types import Handler
from bot.emulator.moderation import MODERATION_METHODS, Moderation
from bot.emulator.polling import Polling
from bot.emulator.state import EmulatorState
from bot.emulator.transcript import Event


class BotApi:
    """Dispatches a (canonical) method name to its implementation."""

    def __init__(self, state: EmulatorState, limiter: RateLimiter) -> None:
        self.state = state
        self.handlers: dict[str, Handler] = {
            **Polling(state).handlers(),
            **Messaging(state, limiter).handlers(),
            **Editing(state, limiter).handlers(),
            **BotSettings(state).handlers(),
            **Moderation(state).handlers(),
        }
        self._by_lower = {name.lower(): name for name in self.handlers}

    def canonical(self, method: str) -> str | None:
        """The official spelling of a (case-insensitive) method name, None if unknown."""
        return self._by_lower.get(method.lower())

    async def call(
        self, method: str, params: dict[str, Any], injected: ApiError | None = None
    ) -> Any:
        """Run a known method (or fail it with `injected`); ApiError carries the error."""
        try:
            if injected is not None:
                raise injected
            return await self.handlers[method](params)
        except ApiError as error:
            if method in SENDING_METHODS:
                self._note_undelivered(params.get("chat_id"), error)
            elif method in MODERATION_METHODS:
                self._note_refused(method, params.get("chat_id"), error)
            raise

    def _note_undelivered(self, chat_id: Any, error: ApiError) -> None:
        chat = self.state.chats.get(chat_id) if isinstance(chat_id, int) else None
        who = chat.profile.first_name if chat else str(chat_id)
        self.state.events.append(Event("failed", who, error.description))

    def _note_refused(self, method: str, chat_id: Any, error: ApiError) -> None:
        chat = self.state.chats.get(chat_id) if isinstance(chat_id, int) else None
        where = chat.profile.first_name if chat else str(chat_id)
        self.state.events.append(Event("refused", where, f"{method}: {error.description}"))
