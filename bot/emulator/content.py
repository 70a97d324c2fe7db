"""What the bot asks to show: text or caption with entities, and uploaded files."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from typing import Any

from bot.emulator.entities import strip_text, utf16_len, validate_entities
from bot.emulator.errors import bad_request
from bot.emulator.html import HtmlParseError, parse_html
from bot.emulator.models import Document
from bot.emulator.state import EmulatorState

MAX_TEXT = 4096
MAX_CAPTION = 1024


@dataclass(frozen=True)
class Content:
    text: str  # plain, as displayed
    html: str | None  # the raw markup when parse_mode was HTML
    entities: list[dict[str, Any]]


def parse_content(raw: Any, parse_mode: Any, entities: Any) -> Content:
    """Parse text or a caption as Telegram would; raises "can't parse entities" errors."""
    source = "" if raw is None else raw if isinstance(raw, str) else str(raw)
    mode = parse_mode.lower() if isinstance(parse_mode, str) else parse_mode
    html: str | None = None
    if entities is not None:
        # Telegram ignores parse_mode when explicit entities are given.
        plain, found = source, validate_entities(source, entities)
    elif mode == "html":
        try:
            plain, found = parse_html(source)
        except HtmlParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
        html = source or None
    elif mode in (None, ""):
        plain, found = source, []
    else:
        raise bad_request(
            f"unsupported parse_mode {parse_mode!r}: the emulator implements only HTML"
        )
    plain, found = strip_text(plain, found)
    return Content(plain, html, found)


def message_text(params: dict[str, Any]) -> Content:
    """sendMessage / editMessageText `text`: non-empty, at most 4096 UTF-16 units."""
    content = parse_content(params.get("text"), params.get("parse_mode"), params.get("entities"))
    if not content.text:
        raise bad_request("message text is empty")
    if utf16_len(content.text) > MAX_TEXT:
        raise bad_request("message is too long")
    return content


def caption(params: dict[str, Any]) -> Content:
    """A media caption: optional, at most 1024 UTF-16 units."""
    content = parse_content(
        params.get("caption"), params.get("parse_mode"), params.get("caption_entities")
    )
    if utf16_len(content.text) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    return content


def uploaded_file(
    state: EmulatorState, params: dict[str, Any], field: str, default_name: str
) -> Document:
    """The file in `field`: a multipart upload, or the file_id of one sent before."""
    value = params.get(field)
    if value is None or value == "":
        raise bad_request(f"there is no {field} in the request")
    if isinstance(value, str):
        known = state.files.get(value.removeprefix("attach://"))
        if known is not None:
            return known
        if value.startswith(("http://", "https://")):
            raise bad_request("failed to get HTTP URL content")
        raise bad_request(f"wrong remote file identifier specified: {value}")
    content = value.get("content", b"")
    if not content:
        raise bad_request("file must be non-empty")
    filename = value.get("filename") or default_name
    mime_type = value.get("mime_type")
    if not mime_type or mime_type == "application/octet-stream":
        mime_type = _guess_mime(filename)
    return state.store_file(Document(filename=filename, content=content, mime_type=mime_type))


def _guess_mime(filename: str) -> str | None:
    return mimetypes.guess_type(filename)[0]
