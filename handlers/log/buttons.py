"""The buttons that start /log from elsewhere (the menu, /balance, an introduction)."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.buttons import ButtonData


@dataclass(frozen=True)
class StartLog(ButtonData, prefix="lg:new"):
    """⏱ Log time, on the menu and on /balance."""


@dataclass(frozen=True)
class LogWith(ButtonData, prefix="lg:intro"):
    """⏱ Log time, on an introduction: the other member is already known."""

    introduction: int
