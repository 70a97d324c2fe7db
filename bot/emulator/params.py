"""Decode a Bot API request (query, JSON, urlencoded or multipart) into typed parameters."""

from __future__ import annotations

import json
import re
from typing import Any

from aiohttp import BodyPartReader, web

from bot.emulator.errors import bad_request

# Form fields whose value is a JSON-serialised object or array (PTB json.dumps these).
JSON_FIELDS = frozenset(
    {
        "reply_markup", "entities", "caption_entities", "scope", "commands",
        "allowed_updates", "reply_parameters", "link_preview_options", "menu_button",
        "media", "message_ids", "results", "rights", "permissions",
    }
)  # fmt: skip
INT_FIELDS = frozenset(
    {
        "message_id", "from_chat_id", "offset", "limit", "timeout", "reply_to_message_id",
        "message_thread_id", "cache_time", "user_id", "max_connections", "duration",
        "width", "height", "until_date",
    }
)  # fmt: skip
BOOL_FIELDS = frozenset(
    {
        "show_alert", "disable_notification", "protect_content", "disable_web_page_preview",
        "allow_sending_without_reply", "drop_pending_updates", "has_spoiler",
        "disable_content_type_detection", "show_caption_above_media", "allow_paid_broadcast",
        "revoke_messages", "only_if_banned", "use_independent_chat_permissions", "is_anonymous",
    }
)  # fmt: skip
FLOAT_FIELDS = frozenset({"latitude", "longitude"})
_INTEGER = re.compile(r"^-?\d+$")


async def read_params(request: web.Request) -> dict[str, Any]:
    """All parameters of the request: query string merged with the body."""
    params: dict[str, Any] = dict(request.query)
    if request.method != "POST" or not request.can_read_body:
        return coerce(params)
    content_type = request.content_type
    if content_type == "application/json":
        raw = await request.read()
        try:
            body = json.loads(raw) if raw.strip() else {}
        except ValueError:
            raise bad_request("can't parse JSON request body") from None
        if not isinstance(body, dict):
            raise bad_request("the JSON request body must be an object")
        params.update(body)
    elif content_type == "multipart/form-data":
        params.update(await _read_multipart(request))
    else:
        params.update(await request.post())
    return coerce(params)


async def _read_multipart(request: web.Request) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader) or part.name is None:
            continue
        if part.filename is not None:
            fields[part.name] = {
                "filename": part.filename,
                "content": bytes(await part.read()),
                "mime_type": part.headers.get("Content-Type"),
            }
        else:
            fields[part.name] = await part.text()
    return fields


def coerce(params: dict[str, Any]) -> dict[str, Any]:
    """Type the string form fields the way the Bot API interprets them."""
    typed: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, dict) and "content" in value:
            typed[name] = value  # an uploaded file
        elif not isinstance(value, str):
            typed[name] = value
        elif name in JSON_FIELDS:
            typed[name] = _json_field(name, value)
        elif name in INT_FIELDS or (name.endswith("chat_id") and _INTEGER.match(value)):
            typed[name] = _int_field(name, value)
        elif name in BOOL_FIELDS or name.startswith("can_"):  # administrator rights too
            typed[name] = _bool_field(name, value)
        elif name in FLOAT_FIELDS:
            typed[name] = _float_field(name, value)
        else:
            typed[name] = value
    return typed


def _json_field(name: str, value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        if name == "reply_markup":
            raise bad_request("can't parse reply keyboard markup JSON object") from None
        raise bad_request(f"can't parse {name} JSON object") from None


def _int_field(name: str, value: str) -> int:
    if not _INTEGER.match(value.strip()):
        raise bad_request(f"invalid {name} specified")
    return int(value)


def _bool_field(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"true", "1"}:
        return True
    if lowered in {"false", "0", ""}:
        return False
    raise bad_request(f"invalid {name} specified")


def _float_field(name: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise bad_request(f"invalid {name} specified") from None
