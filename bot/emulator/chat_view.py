"""What the bot has said in one simulated chat, as tests read it: a member's private chat or a
group, the same way."""

from __future__ import annotations

from typing import Protocol

from bot.emulator.models import BotMessage


class _Chat(Protocol):
    def visible_bot_messages(self) -> list[BotMessage]: ...


class BotMessages:
    """Mixed into SimulatedMember and SimulatedGroup."""

    _chat: _Chat

    @property
    def messages(self) -> list[BotMessage]:
        """The bot's messages in this chat, oldest first (deleted ones are gone)."""
        return self._chat.visible_bot_messages()

    @property
    def last(self) -> BotMessage:
        """The bot's most recent message in this chat."""
        messages = self.messages
        if not messages:
            raise AssertionError(self._nothing_yet())
        return messages[-1]

    def _nothing_yet(self) -> str:
        """Why `last` has nothing to give, naming the chat."""
        raise NotImplementedError
