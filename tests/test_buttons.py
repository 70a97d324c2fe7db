"""Typed button data: each kind round-trips, and a forged or malformed press of every kind is
refused in one place, kindly, changing nothing."""

from __future__ import annotations

import typing
from dataclasses import fields
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

import pytest

from bot.config import Config
from bot.emulator import BotApiEmulator
from bot.runtime.app import build_application
from bot.runtime.context import AmserApplication
from handlers.buttons import ButtonData
from tests.helpers import joined

# Registering every feature imports every module that declares a kind of button.
build_application(Config(database_path=Path("unused.db"), token="1:kinds"))
KINDS = sorted(ButtonData.kinds(), key=lambda kind: kind.prefix)
REFUSED = {
    "en": "Sorry, that button doesn't work any more",
    "cy": "Mae'n ddrwg gen i, dydy'r botwm yna ddim yn gweithio bellach",
}


def example(kind: type[ButtonData]) -> ButtonData:
    """A press of this kind with a plausible value in every field."""
    values: dict[str, Any] = {}
    for field in fields(kind):
        hint = typing.get_type_hints(kind)[field.name]
        options = [a for a in typing.get_args(hint) if a is not type(None)] or [hint]
        base = options[0]
        if base is bool:
            values[field.name] = True
        elif base is int:
            values[field.name] = 7
        elif base is str:
            values[field.name] = "x"
        elif base is date:
            values[field.name] = date(2026, 11, 30)
        elif isinstance(base, type) and issubclass(base, Enum):
            values[field.name] = next(iter(base))
        else:
            raise TypeError(f"{kind.__name__}.{field.name}: {hint!r}")
    return kind(**values)


def test_prefixes_are_unique() -> None:
    prefixes = [kind.prefix for kind in KINDS]
    assert len(prefixes) == len(set(prefixes))


def test_no_prefix_is_the_start_of_another() -> None:
    for kind in KINDS:
        for other in KINDS:
            if kind is not other:
                assert not other.prefix.startswith(kind.prefix + ":"), (kind, other)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.prefix)
def test_each_kind_round_trips(kind: type[ButtonData]) -> None:
    press = example(kind)
    assert kind.parse(press.parts()) == press
    assert kind.parse([*press.parts(), "extra"]) is None
    assert kind.parse(press.parts()[:-1]) is None or not fields(kind)


def test_a_field_cannot_smuggle_a_separator() -> None:
    from handlers.forms import Back

    with pytest.raises(ValueError):
        Back(form=1, step="a:b").parts()
    with pytest.raises(ValueError):
        Back(form=1, step="a~b").parts()


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.prefix)
async def test_forged_and_malformed_presses_are_refused(
    bot: AmserApplication, emulator: BotApiEmulator, kind: type[ButtonData], language: str
) -> None:
    person = await joined(emulator, 8801, "Nia", language=language)
    sign = bot.services.callbacks.sign
    parts = example(kind).parts()
    forged = sign(person.user_id + 1, *parts)  # signed for somebody else
    malformed = [sign(person.user_id, *parts, "extra")]
    offset = len(kind.prefix.split(":"))
    hints = typing.get_type_hints(kind)
    for index, field in enumerate(fields(kind)):
        if hints[field.name] in (int, bool, date) or (
            isinstance(hints[field.name], type) and issubclass(hints[field.name], Enum)
        ):
            wrong = [*parts[: offset + index], "zz", *parts[offset + index + 1 :]]
            malformed.append(sign(person.user_id, *wrong))
    for data in [forged, *malformed]:
        before = len(person.messages)
        await person.press_data(data)
        answer = emulator.calls_to("answerCallbackQuery")[-1]
        assert REFUSED[language] in answer.params["text"], data
        assert len(person.messages) == before, "a refused press sends nothing"
