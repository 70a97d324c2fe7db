"""Records and views that tests inspect: API calls and the bot's messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ApiCall:
    """One HTTP request the bot made, with what the emulator answered.

    An injected fault says so in `note`; a timeout or dropped connection has status 0 and
    `response` holds what was withheld (empty when the call was not carried out).
    """

    method: str
    params: dict[str, Any]
    status: int
    response: dict[str, Any]
    at: float
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass
class InlineButton:
    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass
class Document:
    """A file the bot sent (sendDocument / sendPhoto) or a member uploaded."""

    filename: str
    content: bytes
    caption: str | None = None
    mime_type: str | None = None
    file_id: str = ""

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass
class BotMessage:
    """A message the bot sent, as the member currently sees it.

    For a document or photo, `text` is its caption (also in `document.caption`).
    """

    message_id: int
    chat_id: int
    text: str
    html: str | None = None
    buttons: list[list[InlineButton]] = field(default_factory=list)
    document: Document | None = None
    edited: bool = False
    # Beyond the contract: what is needed to serialise the message back to the bot.
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    photo: Document | None = None
    date: int = 0
    edit_date: int | None = None
    deleted: bool = False
    reply_to_message_id: int | None = None
    forward_origin: dict[str, Any] | None = None

    @property
    def button_texts(self) -> list[str]:
        """Every inline button's text, row by row."""
        return [button.text for row in self.buttons for button in row]

    def button(self, text: str) -> InlineButton:
        """The button with exactly this text, else the only one containing it."""
        flat = [button for row in self.buttons for button in row]
        for button in flat:
            if button.text == text:
                return button
        matches = [button for button in flat if text in button.text]
        if len(matches) == 1:
            return matches[0]
        shown = ", ".join(f"[{b.text}]" for b in flat) or "no buttons"
        problem = "is ambiguous" if matches else "not found"
        raise LookupError(
            f"button {text!r} {problem} on message {self.message_id}; it has: {shown}"
        )
