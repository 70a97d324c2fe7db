"""Shared ground for methods that act on messages in a member's chat."""

from __future__ import annotations

from typing import Any

from bot.emulator import wire
from bot.emulator.content import Content
from bot.emulator.errors import bad_request, too_many_requests
from bot.emulator.keyboards import inline_buttons
from bot.emulator.limits import RateLimiter
from bot.emulator.models import BotMessage
from bot.emulator.state import Chat, EmulatorState
from bot.emulator.transcript import Event


class ChatMethods:
    """Helpers for creating, finding and showing the bot's messages."""

    def __init__(self, state: EmulatorState, limiter: RateLimiter) -> None:
        self.state = state
        self.limiter = limiter

    def _event(
        self,
        kind: str,
        chat: Chat,
        text: str = "",
        rows: Any = (),
        *,
        reply_keyboard: Any = (),
    ) -> None:
        keyboard = tuple(tuple(row) for row in reply_keyboard)
        event = Event(kind, chat.profile.first_name, text, tuple(rows), keyboard)
        self.state.events.append(event)

    def _spend(self, chat_id: int) -> None:
        retry_after = self.limiter.acquire(chat_id)
        if retry_after is not None:
            raise too_many_requests(retry_after)

    def _reply_target(self, chat: Chat, params: dict[str, Any]) -> int | None:
        reply = params.get("reply_parameters")
        if isinstance(reply, dict):
            message_id = reply.get("message_id")
            allow_missing = reply.get("allow_sending_without_reply", False)
        else:
            message_id = params.get("reply_to_message_id")
            allow_missing = params.get("allow_sending_without_reply", False)
        if message_id is None:
            return None
        if message_id in chat.member_messages or (
            message_id in chat.bot_messages and not chat.bot_messages[message_id].deleted
        ):
            return int(message_id)
        if allow_missing:
            return None
        raise bad_request("message to be replied not found")

    def message_json(self, chat: Chat, message: BotMessage) -> dict[str, Any]:
        return wire.bot_message_in_chat(self.state.bot, chat, message)

    def _new_message(
        self,
        chat: Chat,
        content: Content,
        markup: dict[str, Any] | None,
        reply_to: int | None,
    ) -> BotMessage:
        message = BotMessage(
            message_id=chat.next_message_id(),
            chat_id=chat.chat_id,
            text=content.text,
            html=content.html,
            buttons=inline_buttons(markup),
            entities=content.entities,
            reply_markup=markup,
            date=self.state.now_date(),
            reply_to_message_id=reply_to,
        )
        chat.bot_messages[message.message_id] = message
        return message
