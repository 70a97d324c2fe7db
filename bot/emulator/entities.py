"""Message-entity arithmetic in UTF-16 code units, as the Bot API counts."""

from __future__ import annotations

import re
from typing import Any

from bot.emulator.errors import bad_request

ENTITY_TYPES = frozenset(
    {
        "mention", "hashtag", "cashtag", "bot_command", "url", "email", "phone_number",
        "bold", "italic", "underline", "strikethrough", "spoiler", "blockquote",
        "expandable_blockquote", "code", "pre", "text_link", "text_mention", "custom_emoji",
        "date_time",
    }
)  # fmt: skip

_MENTION = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{5,32}\b")
_COMMAND = re.compile(r"^/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?=\s|$)")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units (astral characters count twice)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def utf16_slice(text: str, offset: int, length: int) -> str:
    """The substring covered by an entity's UTF-16 offset and length."""
    encoded = text.encode("utf-16-le")
    return encoded[2 * offset : 2 * (offset + length)].decode("utf-16-le", errors="replace")


def strip_text(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Trim surrounding whitespace like Telegram does, shifting and clipping entities."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    end = utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(0, entity["offset"] - lead)
        stop = min(end, entity["offset"] + entity["length"] - lead)
        if stop > start:
            kept.append({**entity, "offset": start, "length": stop - start})
    return stripped, kept


def validate_entities(text: str, entities: Any) -> list[dict[str, Any]]:
    """Check an `entities` array supplied by the bot against its text."""
    if not isinstance(entities, list):
        raise bad_request("can't parse entities JSON object")
    total = utf16_len(text)
    checked = []
    for index, entity in enumerate(entities):
        if not isinstance(entity, dict):
            raise bad_request(f"can't parse entities: entity {index} is not an object")
        kind, offset, length = entity.get("type"), entity.get("offset"), entity.get("length")
        if kind not in ENTITY_TYPES:
            raise bad_request(f"can't parse entities: unsupported entity type {kind!r}")
        if not isinstance(offset, int) or not isinstance(length, int):
            raise bad_request(f"can't parse entities: entity {index} needs integer offset/length")
        if offset < 0 or length <= 0 or offset + length > total:
            raise bad_request(
                f"can't parse entities: entity {index} ({kind} at {offset}+{length}) "
                f"is outside the text of length {total}"
            )
        if kind == "text_link" and not entity.get("url"):
            raise bad_request(f"can't parse entities: text_link entity {index} has no url")
        if kind == "custom_emoji" and not entity.get("custom_emoji_id"):
            raise bad_request(f"can't parse entities: custom_emoji entity {index} has no id")
        checked.append(dict(entity))
    return checked


def command_entities(text: str) -> list[dict[str, Any]]:
    """The bot_command entity Telegram attaches to "/cmd args" or "/cmd@bot args"."""
    match = _COMMAND.match(text)
    if not match:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group(0))}]


def mention_entities(text: str) -> list[dict[str, Any]]:
    """The mention entities Telegram attaches to each @username in a message."""
    return [
        {
            "type": "mention",
            "offset": utf16_len(text[: match.start()]),
            "length": utf16_len(match.group(0)),
        }
        for match in _MENTION.finditer(text)
    ]
