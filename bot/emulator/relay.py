"""What copyMessage / forwardMessage take from the original message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.emulator import wire
from bot.emulator.content import Content
from bot.emulator.errors import bad_request
from bot.emulator.models import Document
from bot.emulator.state import Chat, EmulatorState


@dataclass(frozen=True)
class Original:
    content: Content
    document: Document | None
    photo: Document | None
    sender: dict[str, Any]  # a User object
    date: int
    shown_sender: str


def original_message(state: EmulatorState, chat: Chat, message_id: Any, verb: str) -> Original:
    """The message to copy or forward, from either side of a private chat."""
    sent = chat.bot_messages.get(message_id)
    if sent is not None and not sent.deleted:
        content = Content(sent.text, sent.html, list(sent.entities))
        bot = wire.bot_user(state.bot)
        return Original(content, sent.document, sent.photo, bot, sent.date, "the bot's")
    received = chat.member_messages.get(message_id)
    if received is None:
        raise bad_request(f"message to {verb} not found")
    if "sticker" in received:
        raise bad_request("the emulator cannot copy or forward stickers")
    text = received.get("text", received.get("caption", ""))
    entities = received.get("entities", received.get("caption_entities", []))
    document = photo = None
    if "document" in received:
        document = state.files.get(received["document"]["file_id"])
    if "photo" in received:
        photo = state.files.get(received["photo"][-1]["file_id"].rsplit("_", 1)[0])
    return Original(
        Content(text, None, list(entities)),
        document,
        photo,
        received["from"],
        received["date"],
        f"{chat.profile.first_name}'s",
    )
