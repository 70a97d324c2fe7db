"""Sending methods: sendMessage, sendDocument, sendPhoto, copyMessage, forwardMessage, ..."""

from __future__ import annotations

import dataclasses
from typing import Any

from bot.emulator.chat_methods import ChatMethods
from bot.emulator.content import caption, message_text, uploaded_file
from bot.emulator.errors import bad_request
from bot.emulator.keyboards import reply_keyboard_texts, validate_reply_markup
from bot.emulator.methods_types import Handler
from bot.emulator.models import BotMessage
from bot.emulator.relay import original_message
from bot.emulator.state import Chat
from bot.emulator.transcript import button_rows

CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice",
        "upload_voice", "upload_document", "choose_sticker", "find_location",
        "record_video_note", "upload_video_note",
    }
)  # fmt: skip


class Messaging(ChatMethods):
    """Methods that put a new message in a member's chat (and count against the limits)."""

    def handlers(self) -> dict[str, Handler]:
        return {
            "sendMessage": self.send_message,
            "sendDocument": self.send_document,
            "sendPhoto": self.send_photo,
            "copyMessage": self.copy_message,
            "forwardMessage": self.forward_message,
            "sendChatAction": self.send_chat_action,
        }

    async def send_message(self, params: dict[str, Any]) -> Any:
        chat = self.state.chat_for_bot(params.get("chat_id"))
        content = message_text(params)
        markup = validate_reply_markup(params.get("reply_markup"))
        reply_to = self._reply_target(chat, params)
        self._spend(chat.chat_id)
        message = self._new_message(chat, content, markup, reply_to)
        self._event(
            "bot_sends",
            chat,
            content.text,
            button_rows(message.buttons),
            reply_keyboard=reply_keyboard_texts(markup),
        )
        return self.message_json(chat, message)

    async def send_document(self, params: dict[str, Any]) -> Any:
        return await self._send_media(params, "document")

    async def send_photo(self, params: dict[str, Any]) -> Any:
        return await self._send_media(params, "photo")

    async def _send_media(self, params: dict[str, Any], field: str) -> Any:
        chat = self.state.chat_for_bot(params.get("chat_id"))
        content = caption(params)
        markup = validate_reply_markup(params.get("reply_markup"))
        reply_to = self._reply_target(chat, params)
        default_name = "photo.jpg" if field == "photo" else "document"
        stored = uploaded_file(self.state, params, field, default_name)
        self._spend(chat.chat_id)
        message = self._new_message(chat, content, markup, reply_to)
        media = dataclasses.replace(stored, caption=content.text or None)
        if field == "photo":
            message.photo, icon = media, "🖼"
        else:
            message.document, icon = media, "📎"
        shown = f"{icon} {media.filename} ({media.size} bytes)"
        if content.text:
            shown += f"\n{content.text}"
        self._event("bot_sends", chat, shown, button_rows(message.buttons))
        return self.message_json(chat, message)

    async def copy_message(self, params: dict[str, Any]) -> Any:
        _, message = self._relay(params, forward=False)
        return {"message_id": message.message_id}

    async def forward_message(self, params: dict[str, Any]) -> Any:
        chat, message = self._relay(params, forward=True)
        return self.message_json(chat, message)

    def _relay(self, params: dict[str, Any], *, forward: bool) -> tuple[Chat, BotMessage]:
        chat = self.state.chat_for_bot(params.get("chat_id"))
        source = self.state.chat_for_bot(params.get("from_chat_id"), sending=False)
        original = original_message(
            self.state, source, params.get("message_id"), "forward" if forward else "copy"
        )
        content, markup, reply_to = original.content, None, None
        if not forward:
            if "caption" in params and (original.document or original.photo):
                content = caption(params)
            markup = validate_reply_markup(params.get("reply_markup"))
            reply_to = self._reply_target(chat, params)
        self._spend(chat.chat_id)
        message = self._new_message(chat, content, markup, reply_to)
        message.document, message.photo = original.document, original.photo
        if forward:
            origin = {"type": "user", "sender_user": original.sender, "date": original.date}
            message.forward_origin = origin
        media = original.document or original.photo
        shown = f"📎 {media.filename} ({media.size} bytes)" if media else ""
        shown = "\n".join(part for part in (shown, content.text) if part)
        verb = "forwarded" if forward else "copy of"
        shown = f"({verb} {original.shown_sender} message) {shown}"
        self._event("bot_sends", chat, shown, button_rows(message.buttons))
        return chat, message

    async def send_chat_action(self, params: dict[str, Any]) -> Any:
        self.state.chat_for_bot(params.get("chat_id"))
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True
