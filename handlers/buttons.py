"""Typed button data: each kind of button declares its fields once, and this module builds its
signed `callback_data` and parses a press back into the same dataclass.

    class PickHelper(ButtonData, prefix="lg:who"):
        form: int
        member: int

    b(_("Tom"), PickHelper(form=7, member=12))   # -> "lg:who:7:12~<mac>", at most 64 bytes
    app.add_handler(on_press(PickHelper, pick))  # pick(update, context, press: PickHelper)

A press that is not signed for the member pressing it, or whose fields do not parse, is
refused here, in one place; handlers only ever see a well-formed press of their own kind.
They still check, on arrival, that the member may do what the press asks.
"""

from __future__ import annotations

import logging
import typing
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, fields
from datetime import date
from enum import Enum
from typing import Any, ClassVar, Self, TypeVar, dataclass_transform

from telegram import InlineKeyboardButton, Update
from telegram.ext import CallbackQueryHandler

from bot.runtime.answering import answer_press
from bot.runtime.callbacks import MAC_MARK, SEPARATOR
from bot.runtime.context import AmserApplication, AmserContext, Services
from handlers.common import current_member, translator

logger = logging.getLogger(__name__)

P = TypeVar("P", bound="ButtonData")
PressHandler = Callable[[Update, AmserContext, P], Awaitable[None]]


@dataclass_transform(frozen_default=True)
class ButtonData:
    """Base of every kind of button. Each subclass is made a frozen dataclass of its fields.

    Fields may be `int`, `str` (no ":" or "~"), `bool`, a `date`, an `Enum` with text or
    whole-number values, or any of those `| None` (sent as an empty field).
    """

    prefix: ClassVar[str]

    def __init_subclass__(cls, prefix: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if prefix:
            if MAC_MARK in prefix:
                raise ValueError(f"a button prefix cannot hold {MAC_MARK!r}: {prefix!r}")
            cls.prefix = prefix
        dataclass(frozen=True)(cls)

    def parts(self) -> list[str]:
        """The press as the text parts of its callback data, prefix first."""
        encoded = self.prefix.split(SEPARATOR)
        for field in fields(self):  # type: ignore[arg-type]
            text = _encode(getattr(self, field.name))
            if SEPARATOR in text or MAC_MARK in text:
                raise ValueError(f"{type(self).__name__}.{field.name} cannot hold {text!r}")
            encoded.append(text)
        return encoded

    @classmethod
    def parse(cls, parts: list[str]) -> Self | None:
        """The press these parts describe, or None if they are not one of this kind."""
        prefix = cls.prefix.split(SEPARATOR)
        declared = fields(cls)  # type: ignore[arg-type]
        if parts[: len(prefix)] != prefix or len(parts) != len(prefix) + len(declared):
            return None
        hints = _hints(cls)
        values = {}
        for field, text in zip(declared, parts[len(prefix) :], strict=True):
            try:
                values[field.name] = _decode(hints[field.name], text)
            except (ValueError, TypeError):
                return None
        return cls(**values)

    @classmethod
    def kinds(cls) -> Iterator[type[ButtonData]]:
        """Every declared kind of button (for tests that try each one)."""
        for sub in cls.__subclasses__():
            if "prefix" in sub.__dict__:
                yield sub
            yield from sub.kinds()


class Buttons:
    """Makes buttons whose data only works when pressed by the member they are sent to."""

    def __init__(self, services: Services, telegram_id: int) -> None:
        self._services = services
        self._telegram_id = telegram_id

    def __call__(self, label: str, press: ButtonData) -> InlineKeyboardButton:
        data = self._services.callbacks.sign(self._telegram_id, *press.parts())
        return InlineKeyboardButton(label, callback_data=data)


def on_press(kind: type[P], callback: PressHandler[P]) -> CallbackQueryHandler:
    """Handle presses of one kind of button, refusing any forged, foreign or malformed one."""
    pattern = "^" + "".join(f"\\{c}" if not c.isalnum() else c for c in kind.prefix) + "[:~]"

    async def checked(update: Update, context: AmserContext) -> None:
        query = update.callback_query
        if query is None or query.data is None:
            return
        parts = context.services.callbacks.verify(query.from_user.id, query.data)
        press = kind.parse(parts) if parts is not None else None
        if press is None:
            await refuse(update, context)
            return
        await answer_press(query)
        await callback(update, context, press)

    return CallbackQueryHandler(checked, pattern=pattern)


def add_presses(app: AmserApplication, handlers: Mapping[type[Any], PressHandler[Any]]) -> None:
    """Handle each kind of button with its own handler, as `on_press` does."""
    for kind, callback in handlers.items():
        app.add_handler(on_press(kind, callback))


def register_fallback(app: AmserApplication) -> None:
    """Any press no feature handles (an old kind of button, made-up data) is refused too."""
    app.add_handler(CallbackQueryHandler(refuse))


async def refuse(update: Update, context: AmserContext) -> None:
    """A forged, foreign, malformed or unknown button: change nothing, say so gently."""
    query = update.callback_query
    if query is None:
        return
    logger.warning("refused callback data %r from user %s", query.data, query.from_user.id)
    member = await current_member(update, context)
    _ = translator(update, context, member).gettext
    await answer_press(
        query, _("Sorry, that button doesn't work any more. Send /start to carry on.")
    )


# --- fields as text --------------------------------------------------------------------------

_HINTS: dict[type, dict[str, Any]] = {}


def _hints(kind: type) -> dict[str, Any]:
    if kind not in _HINTS:
        _HINTS[kind] = typing.get_type_hints(kind)
    return _HINTS[kind]


def _encode(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    if isinstance(value, int | str):
        return str(value)
    raise TypeError(f"a button cannot carry {type(value).__name__}")


def _decode(hint: Any, text: str) -> Any:
    options = typing.get_args(hint) if typing.get_origin(hint) is not None else (hint,)
    if type(None) in options:
        if text == "":
            return None
        options = tuple(option for option in options if option is not type(None))
    (kind,) = options
    if kind is bool:
        if text not in ("0", "1"):
            raise ValueError(text)
        return text == "1"
    if kind is int:
        if not text.lstrip("-").isdecimal() or not text.isascii():
            raise ValueError(text)
        return int(text)
    if kind is str:
        if text == "":
            raise ValueError("empty")
        return text
    if kind is date:
        if len(text) != 8 or not text.isdecimal():
            raise ValueError(text)
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    if isinstance(kind, type) and issubclass(kind, Enum):
        values = {str(member.value): member for member in kind}
        return values[text] if text in values else kind(int(text))
    raise TypeError(f"a button cannot carry {kind!r}")
