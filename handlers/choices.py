"""Questions answered by picking one of a few buttons, as /offer, /request and /browse ask them:
the buttons (one per category, area or option), and what a press does -- save the answer it
names if that is still a valid one, else ask again."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from telegram import InlineKeyboardButton

from handlers.forms import FormButton, StepPress, Turn


class Keyed(Protocol):
    """A press naming one option: a form's button with a `key` field."""

    @property
    def key(self) -> Any: ...


Choice = Callable[[int, Any], FormButton]  # a kind of button, made from the form id and a key
Valid = Callable[[Turn[Any], Any], bool]


def choices(
    turn: Turn[Any], kind: Choice, options: Iterable[tuple[Any, str]]
) -> list[InlineKeyboardButton]:
    """One button per (key, label), each pressing `kind` with its key."""
    return [turn.b(label, kind(turn.form.id, key)) for key, label in options]


def categories(turn: Turn[Any]) -> list[tuple[str, str]]:
    """The community's kinds of help, as (key, label) in the member's language."""
    language = turn.tr.language
    return [(c.key, c.label(language)) for c in turn.services.config.categories]


def areas(turn: Turn[Any]) -> list[tuple[str, str]]:
    """The community's areas, as (key, label) in the member's language."""
    language = turn.tr.language
    return [(a.key, a.label(language)) for a in turn.services.config.areas]


def known_category(turn: Turn[Any], key: str) -> bool:
    return turn.services.config.category(key) is not None


def known_area(turn: Turn[Any], key: str) -> bool:
    return turn.services.config.area(key) is not None


def picked(answer: str, valid: Valid) -> StepPress[Any]:
    """A press answering the step: keep its key as `answer` and go on; a key no longer valid
    (a category removed since the button was sent) asks the same question again."""

    async def press(turn: Turn[Any], chosen: Keyed) -> None:
        if not valid(turn, chosen.key):
            await turn.ask()
            return
        await turn.save(**{answer: chosen.key})
        await turn.next()

    return press
