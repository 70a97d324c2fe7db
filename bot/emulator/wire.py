"""Bot API JSON objects (User, Chat, Message, ...) exactly as PTB expects to de-serialise them."""

from __future__ import annotations

from typing import Any

from bot.emulator.models import BotMessage, Document
from bot.emulator.state import BotIdentity, Chat, MemberProfile


def bot_user(bot: BotIdentity) -> dict[str, Any]:
    return {
        "id": bot.user_id,
        "is_bot": True,
        "first_name": bot.first_name,
        "username": bot.username,
    }


def get_me(bot: BotIdentity, *, privacy_mode: bool = True) -> dict[str, Any]:
    return {
        **bot_user(bot),
        "can_join_groups": True,
        "can_read_all_group_messages": not privacy_mode,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def member_user(profile: MemberProfile) -> dict[str, Any]:
    user: dict[str, Any] = {
        "id": profile.user_id,
        "is_bot": False,
        "first_name": profile.first_name,
        "language_code": profile.language_code,
    }
    if profile.username:
        user["username"] = profile.username
    return user


def chat_of(profile: MemberProfile) -> dict[str, Any]:
    """The Chat object: a member's private chat, or a group (its profile holds the title)."""
    if profile.kind != "private":
        return {"id": profile.user_id, "type": profile.kind, "title": profile.first_name}
    chat: dict[str, Any] = {
        "id": profile.user_id,
        "type": "private",
        "first_name": profile.first_name,
    }
    if profile.username:
        chat["username"] = profile.username
    return chat


def bot_membership(bot: BotIdentity, status: str) -> dict[str, Any]:
    """The bot as a ChatMember of a private chat: "member", or "kicked" when blocked."""
    member: dict[str, Any] = {"user": bot_user(bot), "status": status}
    if status == "kicked":
        member["until_date"] = 0  # for ever
    return member


def chat_member_updated(
    chat: dict[str, Any],
    actor: dict[str, Any],
    date: int,
    old: dict[str, Any],
    new: dict[str, Any],
) -> dict[str, Any]:
    """A ChatMemberUpdated: who changed whose membership of which chat, before and after."""
    return {
        "chat": chat,
        "from": actor,
        "date": date,
        "old_chat_member": old,
        "new_chat_member": new,
    }


def my_chat_member(
    bot: BotIdentity, profile: MemberProfile, date: int, old: str, new: str
) -> dict[str, Any]:
    """The ChatMemberUpdated a member's block (or unblock) of the bot produces."""
    return {
        "chat": chat_of(profile),
        "from": member_user(profile),
        "date": date,
        "old_chat_member": bot_membership(bot, old),
        "new_chat_member": bot_membership(bot, new),
    }


def chat_full_info(profile: MemberProfile) -> dict[str, Any]:
    return {
        **chat_of(profile),
        "accent_color_id": profile.user_id % 7,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": True,
            "limited_gifts": True,
            "unique_gifts": True,
            "premium_subscription": True,
            "gifts_from_channels": True,
        },
    }


def document(doc: Document) -> dict[str, Any]:
    body: dict[str, Any] = {
        "file_id": doc.file_id,
        "file_unique_id": doc.file_id.replace("BQACAgEmu", "AgAD"),
        "file_name": doc.filename,
        "file_size": doc.size,
    }
    if doc.mime_type:
        body["mime_type"] = doc.mime_type
    return body


def photo_sizes(doc: Document) -> list[dict[str, Any]]:
    unique = doc.file_id.replace("BQACAgEmu", "AQAD")
    sizes = [(90, 67), (320, 240), (1280, 960)]
    return [
        {
            "file_id": f"{doc.file_id}_{width}",
            "file_unique_id": f"{unique}_{width}",
            "width": width,
            "height": height,
            "file_size": doc.size if width == 1280 else doc.size // (1280 // width),
        }
        for width, height in sizes
    ]


def bot_message(
    message: BotMessage,
    bot: BotIdentity,
    profile: MemberProfile,
    reply_to: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The Message object for something the bot sent, as it currently stands."""
    body: dict[str, Any] = {
        "message_id": message.message_id,
        "from": bot_user(bot),
        "chat": chat_of(profile),
        "date": message.date,
    }
    if message.edit_date is not None:
        body["edit_date"] = message.edit_date
    if message.forward_origin is not None:
        body["forward_origin"] = message.forward_origin
    media = message.document or message.photo
    if media is None:
        body["text"] = message.text
        if message.entities:
            body["entities"] = message.entities
    else:
        if message.document is not None:
            body["document"] = document(message.document)
        else:
            body["photo"] = photo_sizes(media)
        if message.text:
            body["caption"] = message.text
            if message.entities:
                body["caption_entities"] = message.entities
    if message.buttons and message.reply_markup:
        body["reply_markup"] = {"inline_keyboard": message.reply_markup["inline_keyboard"]}
    if reply_to is not None:
        body["reply_to_message"] = reply_to
    return body


def inaccessible_message(chat: dict[str, Any], message_id: int) -> dict[str, Any]:
    """What a callback query carries when its message is gone (date 0)."""
    return {"chat": chat, "message_id": message_id, "date": 0}


def bot_message_in_chat(bot: BotIdentity, chat: Chat, message: BotMessage) -> dict[str, Any]:
    """The bot message as a Message, including the message it replies to (one level)."""
    reply_to = None
    target = message.reply_to_message_id
    if target in chat.member_messages:
        reply_to = chat.member_messages[target]
    elif target in chat.bot_messages:
        reply_to = bot_message(chat.bot_messages[target], bot, chat.profile)
    return bot_message(message, bot, chat.profile, reply_to)
