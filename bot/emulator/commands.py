"""setMyCommands storage keys and validation (scope + language)."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.emulator.errors import bad_request

SCOPE_TYPES = frozenset(
    {
        "default", "all_private_chats", "all_group_chats", "all_chat_administrators",
        "chat", "chat_administrators", "chat_member",
    }
)  # fmt: skip
_CHAT_SCOPES = frozenset({"chat", "chat_administrators", "chat_member"})
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")
MAX_COMMANDS = 100


def normalize_scope(scope: Any) -> dict[str, Any]:
    """A canonical BotCommandScope dict ({"type": "default"} when absent)."""
    if scope is None:
        return {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in SCOPE_TYPES:
        raise bad_request("can't parse BotCommandScope JSON object")
    kind = scope["type"]
    normalized: dict[str, Any] = {"type": kind}
    if kind in _CHAT_SCOPES:
        chat_id = scope.get("chat_id")
        if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
            chat_id = int(chat_id)
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        normalized["chat_id"] = chat_id
    if kind == "chat_member":
        user_id = scope.get("user_id")
        if isinstance(user_id, str) and user_id.isdigit():
            user_id = int(user_id)
        if not isinstance(user_id, int):
            raise bad_request("user not found")
        normalized["user_id"] = user_id
    return normalized


def normalize_language(language_code: Any) -> str:
    code = language_code or ""
    if not isinstance(code, str) or (code and not _LANGUAGE.match(code)):
        raise bad_request("invalid language code specified")
    return code


def storage_key(scope: dict[str, Any], language_code: str) -> tuple[str, str]:
    return json.dumps(scope, sort_keys=True), language_code


def validate_commands(commands: Any) -> list[dict[str, Any]]:
    """The BotCommand list, checked against Telegram's limits."""
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    checked = []
    for entry in commands:
        if not isinstance(entry, dict):
            raise bad_request("can't parse BotCommand JSON object")
        command, description = entry.get("command"), entry.get("description")
        if not isinstance(command, str) or not _COMMAND.match(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        checked.append({"command": command, "description": description})
    return checked
