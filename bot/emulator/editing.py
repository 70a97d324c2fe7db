"""Methods that change what the member already sees: edits, deletions, callback answers."""

from __future__ import annotations

import dataclasses
from typing import Any

from bot.emulator.chat_methods import ChatMethods
from bot.emulator.content import Content, caption, message_text
from bot.emulator.errors import bad_request
from bot.emulator.group_state import GroupChat
from bot.emulator.keyboards import inline_buttons, validate_reply_markup
from bot.emulator.methods_types import Handler
from bot.emulator.models import BotMessage
from bot.emulator.state import Chat
from bot.emulator.transcript import button_rows

MAX_CALLBACK_ANSWER = 200
_QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)


def _inline_rows(markup: dict[str, Any] | None) -> list[list[dict[str, Any]]]:
    if not markup or "inline_keyboard" not in markup:
        return []
    return [row for row in markup["inline_keyboard"] if row]


class Editing(ChatMethods):
    def handlers(self) -> dict[str, Handler]:
        return {
            "editMessageText": self.edit_message_text,
            "editMessageCaption": self.edit_message_caption,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "answerCallbackQuery": self.answer_callback_query,
        }

    def _editable(self, params: dict[str, Any]) -> tuple[Chat, BotMessage]:
        if params.get("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID (the emulator has no inline mode)")
        chat = self.state.chat_for_bot(params.get("chat_id"))
        message_id = params.get("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        if message_id in chat.member_messages:
            raise bad_request("message can't be edited")
        message = chat.bot_messages.get(message_id)
        if message is None or message.deleted:
            raise bad_request("message to edit not found")
        return chat, message

    @staticmethod
    def _edit_markup(params: dict[str, Any]) -> dict[str, Any] | None:
        markup = validate_reply_markup(params.get("reply_markup"))
        if markup is not None and "inline_keyboard" not in markup:
            raise bad_request("inline keyboard expected: only inline keyboards can be edited")
        return markup

    def _apply_edit(
        self, chat: Chat, message: BotMessage, content: Content, markup: Any
    ) -> dict[str, Any]:
        unchanged = (
            content.text == message.text
            and content.entities == message.entities
            and _inline_rows(markup) == _inline_rows(message.reply_markup)
        )
        if unchanged:
            raise bad_request(_NOT_MODIFIED)
        message.text, message.html, message.entities = content.text, content.html, content.entities
        message.buttons, message.reply_markup = inline_buttons(markup), markup
        message.edited, message.edit_date = True, self.state.now_date()
        shown = content.text
        media = message.document or message.photo
        if media is not None:
            new_caption = content.text or None
            if message.document is not None:
                message.document = dataclasses.replace(message.document, caption=new_caption)
            if message.photo is not None:
                message.photo = dataclasses.replace(message.photo, caption=new_caption)
            shown = f"(caption) {content.text}"
        self._event("bot_edits", chat, shown, button_rows(message.buttons))
        return self.message_json(chat, message)

    async def edit_message_text(self, params: dict[str, Any]) -> Any:
        chat, message = self._editable(params)
        if message.document is not None or message.photo is not None:
            raise bad_request("there is no text in the message to edit")
        content = message_text(params)
        return self._apply_edit(chat, message, content, self._edit_markup(params))

    async def edit_message_caption(self, params: dict[str, Any]) -> Any:
        chat, message = self._editable(params)
        if message.document is None and message.photo is None:
            raise bad_request("there is no caption in the message to edit")
        content = caption(params)
        return self._apply_edit(chat, message, content, self._edit_markup(params))

    async def edit_message_reply_markup(self, params: dict[str, Any]) -> Any:
        chat, message = self._editable(params)
        markup = self._edit_markup(params)
        if _inline_rows(markup) == _inline_rows(message.reply_markup):
            raise bad_request(_NOT_MODIFIED)
        # Telegram does not mark a message "edited" when only its buttons change.
        message.buttons, message.reply_markup = inline_buttons(markup), markup
        self._event("bot_buttons", chat, rows=button_rows(message.buttons))
        return self.message_json(chat, message)

    async def delete_message(self, params: dict[str, Any]) -> Any:
        chat = self.state.chat_for_bot(params.get("chat_id"), sending=False)
        message_id = params.get("message_id")
        message = chat.bot_messages.get(message_id)
        if message is not None and not message.deleted:
            message.deleted = True
            self._event("bot_deletes", chat, message.text)
        elif message_id in chat.member_messages:
            if isinstance(chat, GroupChat) and not chat.bot.may("can_delete_messages"):
                raise bad_request("message can't be deleted")
            removed = chat.member_messages.pop(message_id)
            said = removed.get("text") or removed.get("caption") or "(media)"
            author = removed.get("from", {}).get("first_name") or chat.profile.first_name
            self._event("bot_deletes", chat, f"{author}'s message “{said}”")
        else:
            raise bad_request("message to delete not found")
        return True

    async def answer_callback_query(self, params: dict[str, Any]) -> Any:
        record = self.state.callbacks.get(str(params.get("callback_query_id") or ""))
        if record is None or record.answered:
            raise bad_request(_QUERY_INVALID)
        text = params.get("text")
        if text is not None and len(str(text)) > MAX_CALLBACK_ANSWER:
            raise bad_request("MESSAGE_TOO_LONG")
        record.answered = True
        chat = self.state.chats.get(record.user_id)
        if text and chat is not None:
            self._event("bot_alert" if params.get("show_alert") else "bot_toast", chat, str(text))
        return True
