"""A simulated Telegram user who talks to the bot in a private chat."""

from __future__ import annotations

import mimetypes
from collections.abc import Awaitable, Callable
from typing import Any

from bot.emulator import wire
from bot.emulator.chat_view import BotMessages
from bot.emulator.entities import command_entities
from bot.emulator.member_groups import GroupActions
from bot.emulator.models import BotMessage, Document
from bot.emulator.state import EmulatorState, PrivateChat
from bot.emulator.transcript import Event

AfterAction = Callable[[int], Awaitable[None]]

_FAKE_JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 2044
_FAKE_WEBP = b"RIFF\x00\x08\x00\x00WEBPVP8 " + b"\x00" * 2036
_MISSING_MESSAGE_ID = 999_999


class SimulatedMember(BotMessages, GroupActions):
    """Acts as a member: each action enqueues an update, then awaits the settle hook."""

    def __init__(self, state: EmulatorState, chat: PrivateChat, after_action: AfterAction) -> None:
        self._state = state
        self._chat = chat
        self._after_action = after_action

    def __repr__(self) -> str:
        return f"SimulatedMember({self.user_id}, {self.first_name!r})"

    @property
    def user_id(self) -> int:
        return self._chat.profile.user_id

    @property
    def first_name(self) -> str:
        return self._chat.profile.first_name

    @property
    def language_code(self) -> str:
        return self._chat.profile.language_code

    @language_code.setter
    def language_code(self, value: str) -> None:
        # Telegram users can switch their app language; later updates carry the new code.
        self._chat.profile.language_code = value

    @property
    def username(self) -> str | None:
        return self._chat.profile.username

    @property
    def blocked(self) -> bool:
        return self._chat.blocked

    def _nothing_yet(self) -> str:
        return f"the bot has sent {self.first_name} no messages"

    @property
    def sent_messages(self) -> list[dict[str, Any]]:
        """This member's own messages (Bot API Message JSON) not deleted by the bot."""
        return list(self._chat.member_messages.values())

    @property
    def unanswered_callbacks(self) -> list[str]:
        """Ids of this member's button presses the bot never answered."""
        return [
            record.query_id
            for record in self._state.callbacks.values()
            if record.user_id == self.user_id and not record.answered
        ]

    # --- actions -------------------------------------------------------------------------

    async def send(self, text: str, *, reply_to: BotMessage | int | None = None) -> int:
        """Send a text message; "/cmd args" carries a bot_command entity. With `reply_to` (a
        message in this chat, the bot's or the member's own, or its id) it is sent as a reply:
        the update carries `reply_to_message`, that message as it now stands."""
        if not text:
            raise ValueError("Telegram clients cannot send an empty message")
        extra: dict[str, Any] = {"text": text}
        entities = command_entities(text)
        if entities:
            extra["entities"] = entities
        shown = text
        if reply_to is not None:
            replied = extra["reply_to_message"] = self._replied(reply_to)
            quoted = str(replied.get("text") or replied.get("caption") or "").split("\n")[0]
            shown = f"(in reply to “{quoted[:40]}”) {text}"
        return await self._send_message(extra, Event("says", self.first_name, shown))

    async def send_without_sender(self, text: str) -> int:
        """A message in this chat whose update names no user: no `from`, only `sender_chat`
        (as Telegram sends for a message posted on behalf of a chat). Bots must cope."""
        extra: dict[str, Any] = {"text": text, "sender_chat": wire.chat_of(self._chat.profile)}
        entities = command_entities(text)
        if entities:
            extra["entities"] = entities
        return await self._send_message(extra, Event("says", self.first_name, text), sender=False)

    async def send_sticker(self) -> int:
        sticker = self._state.store_file(Document("sticker.webp", _FAKE_WEBP, None, "image/webp"))
        extra = {
            "sticker": {
                "file_id": sticker.file_id,
                "file_unique_id": sticker.file_id.replace("BQACAgEmu", "AgADst"),
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": "👍",
                "set_name": "EmulatorStickers",
                "file_size": sticker.size,
            }
        }
        return await self._send_message(extra, Event("sticker", self.first_name, "👍"))

    async def send_photo(self, caption: str | None = None) -> int:
        photo = self._state.store_file(Document("photo.jpg", _FAKE_JPEG, caption, "image/jpeg"))
        extra: dict[str, Any] = {"photo": wire.photo_sizes(photo)}
        if caption:
            extra["caption"] = caption
        return await self._send_message(extra, Event("photo", self.first_name, caption or ""))

    async def send_document(self, filename: str, content: bytes, caption: str | None = None) -> int:
        """Upload a file to the bot (the bot can fetch it with getFile)."""
        mime_type = mimetypes.guess_type(filename)[0]
        stored = self._state.store_file(Document(filename, content, caption, mime_type))
        extra: dict[str, Any] = {"document": wire.document(stored)}
        if caption:
            extra["caption"] = caption
        shown = f"{filename} ({len(content)} bytes)" + (f"\n{caption}" if caption else "")
        return await self._send_message(extra, Event("upload", self.first_name, shown))

    async def press(self, text: str, message: BotMessage | None = None) -> int:
        """Press the inline button labelled `text` (default: on the latest keyboard)."""
        target = message or self._latest_with_keyboard()
        if target is None:
            raise LookupError(f"no bot message to {self.first_name} has inline buttons")
        if target.chat_id != self.user_id:
            raise ValueError(f"message {target.message_id} is not in {self.first_name}'s chat")
        if target.deleted:
            raise LookupError(f"message {target.message_id} was deleted by the bot")
        button = target.button(text)
        if button.callback_data is None:
            raise ValueError(
                f"[{button.text}] is a link button ({button.url}); pressing it sends the bot "
                "nothing"
            )
        return await self._callback(target.message_id, button.callback_data, f"[{button.text}]")

    async def press_data(self, data: str, message_id: int | None = None) -> int:
        """Send a callback query with arbitrary (possibly forged) callback_data."""
        if message_id is None:
            latest = self._latest_with_keyboard()
            message_id = latest.message_id if latest else _MISSING_MESSAGE_ID
        return await self._callback(message_id, data, f"a button with data “{data}”")

    def block_bot(self) -> int | None:
        """From now on every send or edit to this member fails with 403.

        Queues Telegram's my_chat_member update (member → kicked) and returns its id;
        None if the bot was already blocked.
        """
        if self._chat.blocked:
            return None
        self._chat.blocked = True
        self._state.events.append(Event("blocks", self.first_name))
        return self._membership_changed("member", "kicked")

    def unblock_bot(self) -> int | None:
        """Sends reach this member again; queues my_chat_member (kicked → member)."""
        if not self._chat.blocked:
            return None
        self._chat.blocked = False
        self._state.events.append(Event("unblocks", self.first_name))
        return self._membership_changed("kicked", "member")

    # --- internals -----------------------------------------------------------------------

    def _membership_changed(self, old: str, new: str) -> int:
        state = self._state
        change = wire.my_chat_member(state.bot, self._chat.profile, state.now_date(), old, new)
        return state.enqueue("my_chat_member", change)

    def _require_unblocked(self) -> None:
        if self._chat.blocked:
            raise RuntimeError(f"{self.first_name} has blocked the bot; call unblock_bot() first")

    def _replied(self, target: BotMessage | int) -> dict[str, Any]:
        """The Message a reply carries: one level only, as Telegram sends it (no
        `reply_to_message` of its own)."""
        if isinstance(target, BotMessage) and target.chat_id != self.user_id:
            raise ValueError(f"message {target.message_id} is not in {self.first_name}'s chat")
        message_id = target.message_id if isinstance(target, BotMessage) else target
        chat = self._chat
        sent = chat.bot_messages.get(message_id)
        if sent is not None and not sent.deleted:
            return wire.bot_message(sent, self._state.bot, chat.profile)
        own = chat.member_messages.get(message_id)
        if own is not None:
            return {key: value for key, value in own.items() if key != "reply_to_message"}
        raise LookupError(
            f"there is no message {message_id} in {self.first_name}'s chat to reply to"
        )

    def _latest_with_keyboard(self) -> BotMessage | None:
        return next((m for m in reversed(self.messages) if m.buttons), None)

    async def _send_message(
        self, extra: dict[str, Any], event: Event, *, sender: bool = True
    ) -> int:
        self._require_unblocked()
        chat = self._chat
        chat.known = True
        message = {
            "message_id": chat.next_message_id(),
            **({"from": wire.member_user(chat.profile)} if sender else {}),
            "chat": wire.chat_of(chat.profile),
            "date": self._state.now_date(),
            **extra,
        }
        chat.member_messages[message["message_id"]] = message
        self._state.events.append(event)
        update_id = self._state.enqueue("message", message)
        await self._after_action(update_id)
        return update_id

    async def _callback(self, message_id: int, data: str, shown: str) -> int:
        self._require_unblocked()
        chat = self._chat
        chat.known = True
        message = chat.bot_messages.get(message_id)
        if message is None or message.deleted:
            payload = wire.inaccessible_message(wire.chat_of(chat.profile), message_id)
        else:
            payload = wire.bot_message_in_chat(self._state.bot, chat, message)
        query = {
            "id": self._state.new_callback_id(self.user_id),
            "from": wire.member_user(chat.profile),
            "message": payload,
            "chat_instance": str(self.user_id * 1_000_003 % 2**62),
            "data": data,
        }
        self._state.events.append(Event("press", self.first_name, shown))
        update_id = self._state.enqueue("callback_query", query)
        await self._after_action(update_id)
        return update_id
