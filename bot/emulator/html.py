"""Telegram's HTML parse mode: validate like the Bot API and turn markup into entities."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.entities import utf16_len

# Tag -> entity type; "a", "pre", "code", "blockquote", "tg-emoji" carry extra fields.
_TAGS = {
    "b": "bold", "strong": "bold",
    "i": "italic", "em": "italic",
    "u": "underline", "ins": "underline",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "span": "spoiler", "tg-spoiler": "spoiler",
    "code": "code", "pre": "pre",
    "a": "text_link",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}  # fmt: skip

_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{0,31}));")
_NAME_CHARS = re.compile(r"[A-Za-z0-9_-]*")
_VALUELESS_ATTRIBUTES = {"expandable"}


class HtmlParseError(ValueError):
    """The text is not valid Telegram HTML; str() is Telegram-style wording."""


@dataclass
class _Open:
    tag: str
    start: int  # UTF-16 offset in the output
    attributes: dict[str, str]
    merged_into_pre: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.i = 0
        self.out: list[str] = []
        self.pos = 0  # UTF-16 length of self.out
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def fail(self, message: str) -> HtmlParseError:
        return HtmlParseError(message)

    def byte_offset(self, index: int) -> int:
        return len(self.source[:index].encode("utf-8"))

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.pos += utf16_len(text)

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        source = self.source
        while self.i < len(source):
            ch = source[self.i]
            if ch == "<":
                if source.startswith("</", self.i):
                    self.end_tag()
                else:
                    self.start_tag()
            elif ch == "&":
                self.entity()
            else:
                self.emit(ch)
                self.i += 1
        if self.stack:
            raise self.fail(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].tag}"'
            )
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities

    def entity(self) -> None:
        match = _ENTITY.match(self.source, self.i)
        at = self.byte_offset(self.i)
        if not match:
            raise self.fail(f'Character "&" must be escaped as "&amp;" at byte offset {at}')
        decimal, hexadecimal, name = match.groups()
        if name is not None:
            if name not in _NAMED_ENTITIES:
                raise self.fail(f'Unsupported HTML entity "&{name};" at byte offset {at}')
            self.emit(_NAMED_ENTITIES[name])
        else:
            code = int(decimal) if decimal is not None else int(hexadecimal, 16)
            if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                raise self.fail(f"Invalid character reference at byte offset {at}")
            self.emit(chr(code))
        self.i = match.end()

    def start_tag(self) -> None:
        source, begin = self.source, self.i
        at = self.byte_offset(begin)
        name_match = _NAME_CHARS.match(source, begin + 1)
        assert name_match is not None  # the pattern accepts the empty string
        tag = name_match.group(0).lower()
        self.i = name_match.end()
        if self.i >= len(source):
            raise self.fail(f"Unclosed start tag at byte offset {at}")
        if not (source[self.i].isspace() or source[self.i] == ">"):
            tag += source[self.i]  # e.g. "<br/>" or "<b!>": report what Telegram would see
            raise self.fail(f'Unsupported start tag "{tag}" at byte offset {at}')
        if tag not in _TAGS:
            raise self.fail(f'Unsupported start tag "{tag}" at byte offset {at}')
        attributes = self.attributes(tag, at)
        self.open(tag, attributes, at)

    def attributes(self, tag: str, at: int) -> dict[str, str]:
        source = self.source
        attributes: dict[str, str] = {}
        while True:
            while self.i < len(source) and source[self.i].isspace():
                self.i += 1
            if self.i >= len(source):
                raise self.fail(f"Unclosed start tag at byte offset {at}")
            if source[self.i] == ">":
                self.i += 1
                return attributes
            name_match = _NAME_CHARS.match(source, self.i)
            assert name_match is not None
            name = name_match.group(0).lower()
            if not name:
                raise self.fail(
                    f'Empty attribute name in the tag "{tag}" at byte offset '
                    f"{self.byte_offset(self.i)}"
                )
            self.i = name_match.end()
            while self.i < len(source) and source[self.i].isspace():
                self.i += 1
            if self.i < len(source) and source[self.i] == "=":
                self.i += 1
                attributes[name] = self.attribute_value(tag, at)
            elif name in _VALUELESS_ATTRIBUTES:
                attributes[name] = ""
            else:
                raise self.fail(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                    f"at byte offset {self.byte_offset(self.i)}"
                )

    def attribute_value(self, tag: str, at: int) -> str:
        source = self.source
        while self.i < len(source) and source[self.i].isspace():
            self.i += 1
        if self.i >= len(source):
            raise self.fail(f"Unclosed start tag at byte offset {at}")
        quote = source[self.i]
        if quote in "\"'":
            close = source.find(quote, self.i + 1)
            if close < 0:
                raise self.fail(f"Unclosed start tag at byte offset {at}")
            raw, self.i = source[self.i + 1 : close], close + 1
        else:
            begin = self.i
            while self.i < len(source) and not source[self.i].isspace() and source[self.i] != ">":
                self.i += 1
            raw = source[begin : self.i]
        return _unescape_attribute(raw, tag, at)

    def open(self, tag: str, attributes: dict[str, str], at: int) -> None:
        if tag == "span" and attributes.get("class") != "tg-spoiler":
            raise self.fail(f'Tag "span" must have class "tg-spoiler" at byte offset {at}')
        if tag == "tg-emoji" and not attributes.get("emoji-id", "").isdigit():
            raise self.fail(f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {at}')
        if tag == "a" and not attributes.get("href"):
            raise self.fail(f'Tag "a" must have a non-empty attribute "href" at byte offset {at}')
        opened = _Open(tag, self.pos, attributes)
        language = attributes.get("class", "")
        parent = self.stack[-1] if self.stack else None
        if tag == "code" and parent and parent.tag == "pre" and language.startswith("language-"):
            # <pre><code class="language-x"> is one pre entity with a language.
            opened.merged_into_pre = True
            parent.extra["language"] = language.removeprefix("language-")
        self.stack.append(opened)

    def end_tag(self) -> None:
        source, begin = self.source, self.i
        at = self.byte_offset(begin)
        close = source.find(">", begin)
        if close < 0:
            raise self.fail(f"Unclosed end tag at byte offset {at}")
        tag = source[begin + 2 : close].strip().lower()
        if not self.stack:
            raise self.fail(f"Unexpected end tag at byte offset {at}")
        top = self.stack[-1]
        if tag != top.tag:
            raise self.fail(
                f'Unmatched end tag at byte offset {at}, expected "</{top.tag}>", found "</{tag}>"'
            )
        self.stack.pop()
        self.i = close + 1
        self.close(top)

    def close(self, opened: _Open) -> None:
        length = self.pos - opened.start
        if length == 0 or opened.merged_into_pre:
            return
        entity: dict[str, Any] = {"type": _TAGS[opened.tag], "offset": opened.start}
        entity["length"] = length
        if opened.tag == "a":
            entity["url"] = opened.attributes["href"]
        elif opened.tag == "tg-emoji":
            entity["custom_emoji_id"] = opened.attributes["emoji-id"]
        elif opened.tag == "blockquote" and "expandable" in opened.attributes:
            entity["type"] = "expandable_blockquote"
        elif opened.tag == "pre" and opened.extra.get("language"):
            entity["language"] = opened.extra["language"]
        self.entities.append(entity)


def _unescape_attribute(raw: str, tag: str, at: int) -> str:
    """Decode the entities Telegram allows inside an attribute value."""
    parser = _Parser(raw)
    while parser.i < len(raw):
        if raw[parser.i] == "&":
            try:
                parser.entity()
            except HtmlParseError as error:
                raise HtmlParseError(f'{error} (in an attribute of the tag "{tag}")') from None
        else:
            parser.emit(raw[parser.i])
            parser.i += 1
    return "".join(parser.out)


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and its entities; raises HtmlParseError with Telegram-style wording."""
    return _Parser(source).run()
