"""Cleaning what members type: length limits, stray control characters, extra spaces."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

NAME_MAX = 40
SHORT_TEXT_MAX = 200

_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class TextRejected(Exception):
    """The text is empty or too long; `length` and `limit` are in characters."""

    reason: str  # "empty" or "too_long"
    length: int
    limit: int


def _without_controls(text: str) -> str:
    return "".join(
        char for char in text if char == "\n" or unicodedata.category(char) not in ("Cc", "Cf")
    )


def clean_line(text: str, limit: int) -> str:
    """One line of text: every run of white space becomes one space."""
    cleaned = " ".join(_without_controls(text).split())
    return _checked(cleaned, limit)


def clean_paragraphs(text: str, limit: int) -> str:
    """Free text that may keep line breaks, trimmed of surplus spaces and blank lines."""
    lines = (_SPACES.sub(" ", line).strip() for line in _without_controls(text).split("\n"))
    cleaned = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    return _checked(cleaned, limit)


def _checked(text: str, limit: int) -> str:
    if not text:
        raise TextRejected("empty", 0, limit)
    if len(text) > limit:
        raise TextRejected("too_long", len(text), limit)
    return text
