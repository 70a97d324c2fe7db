"""Validate reply_markup the way the Bot API does and read inline buttons out of it."""

from __future__ import annotations

from typing import Any

from bot.emulator.errors import bad_request
from bot.emulator.models import InlineButton

_BUTTON_ACTIONS = (
    "callback_data", "url", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
    "callback_game", "pay",
)  # fmt: skip
_URL_SCHEMES = ("http://", "https://", "tg://")
MAX_CALLBACK_DATA_BYTES = 64


def validate_reply_markup(markup: Any) -> dict[str, Any] | None:
    """Return the markup unchanged if valid; raise 400 otherwise."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _validate_inline_keyboard(markup["inline_keyboard"])
    elif "keyboard" in markup:
        _validate_reply_keyboard(markup["keyboard"])
    elif markup.get("remove_keyboard") is not True and markup.get("force_reply") is not True:
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup


def _validate_inline_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    for row in rows:
        for button in row:
            _validate_inline_button(button)


def _validate_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse inline keyboard button: Text buttons are unallowed")
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_EMPTY")
    actions = [key for key in _BUTTON_ACTIONS if key in button]
    if not actions:
        raise bad_request("text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise bad_request(f"inline keyboard button has more than one action: {actions}")
    if "callback_data" in button:
        data = button["callback_data"]
        if (
            not isinstance(data, str)
            or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
        ):
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not url.startswith(_URL_SCHEMES) or " " in url:
            raise bad_request(f"inline keyboard button URL '{url}' is invalid")


def _validate_reply_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "keyboard" of the ReplyKeyboardMarkup must be an Array')
    for row in rows:
        for button in row:
            text = button if isinstance(button, str) else (button or {}).get("text")
            if not isinstance(text, str) or not text.strip():
                raise bad_request("keyboard button text must be non-empty")


def inline_buttons(markup: dict[str, Any] | None) -> list[list[InlineButton]]:
    """The inline keyboard as buttons ([] for none or a reply keyboard)."""
    if not markup or "inline_keyboard" not in markup:
        return []
    return [
        [
            InlineButton(
                text=button["text"],
                callback_data=button.get("callback_data"),
                url=button.get("url"),
            )
            for button in row
        ]
        for row in markup["inline_keyboard"]
        if row
    ]


def reply_keyboard_texts(markup: dict[str, Any] | None) -> list[list[str]]:
    """The texts of a (non-inline) reply keyboard, row by row."""
    if not markup or "keyboard" not in markup:
        return []
    return [
        [button if isinstance(button, str) else button["text"] for button in row]
        for row in markup["keyboard"]
    ]
