"""A readable account of the conversation, for people who are not developers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.emulator.models import InlineButton

INDENT = "   "


@dataclass(frozen=True)
class Event:
    """One visible thing that happened; `text` and `rows` are snapshots taken at the time."""

    kind: str
    who: str
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    reply_keyboard: tuple[tuple[str, ...], ...] = ()  # a custom keyboard replacing the typing area


def button_rows(buttons: Iterable[Iterable[InlineButton]]) -> tuple[tuple[str, ...], ...]:
    """Labels as the member sees them; link buttons get an arrow."""
    return tuple(
        tuple(f"{b.text} ↗" if b.url and not b.callback_data else b.text for b in row)
        for row in buttons
    )


def _block(header: str, text: str) -> list[str]:
    """Header followed by the text, continuation lines indented under it."""
    first, *rest = text.split("\n") if text else [""]
    return [f"{header}{first}".rstrip(), *(f"{INDENT}{line}".rstrip() for line in rest)]


def _keyboard(rows: tuple[tuple[str, ...], ...]) -> list[str]:
    return [INDENT + " ".join(f"[{label}]" for label in row) for row in rows if row]


_HEADERS = {
    "says": "{who}: ",
    "sticker": "{who} sends a sticker ",
    "photo": "{who} sends a photo 🖼 ",
    "upload": "{who} sends 📎 ",
    "press": "{who} presses ",
    "bot_sends": "Bot → {who}: ",
    "bot_edits": "Bot edits message → {who}: ",
    "bot_buttons": "Bot changes the buttons → {who}",
    "bot_deletes": "Bot deletes a message → {who}: ",
    "bot_toast": "Bot → {who} (pop-up): ",
    "bot_alert": "Bot → {who} (alert box): ",
    "blocks": "{who} blocks the bot",
    "unblocks": "{who} unblocks the bot",
    "failed": "{INDENT}✗ not delivered to {who}: ",
    "group_says": "{who}: ",
    "group_unseen": "{who} (the bot does not see it): ",
    "moderation": "⚖ Bot in {who}: ",
    "refused": "{INDENT}✗ Telegram refuses, in {who}: ",
    "group_event": "⚙ {who}: ",
}


def render_event(event: Event) -> list[str]:
    if event.kind == "narration":
        return ["", f"— {event.text} —", ""]
    header = _HEADERS[event.kind].format(who=event.who, INDENT=INDENT)
    if event.kind == "bot_buttons":
        keyboard = _keyboard(event.rows) or [f"{INDENT}(buttons removed)"]
        return [header, *keyboard]
    keyboard = [f"{INDENT}⌨ {line.strip()}" for line in _keyboard(event.reply_keyboard)]
    return _block(header, event.text) + _keyboard(event.rows) + keyboard


def render(events: Iterable[Event]) -> str:
    lines: list[str] = []
    for event in events:
        lines.extend(render_event(event))
    text = "\n".join(lines).strip("\n")
    return text + ("\n" if text else "")
