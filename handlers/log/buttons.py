"""The buttons that start /log from elsewhere (the menu, /balance, an introduction)."""

from __future__ import annotations

from handlers.buttons import ButtonData


class StartLog(ButtonData, prefix="lg:new"):
    """⏱ Log time, on the menu and on /balance."""


class LogWith(ButtonData, prefix="lg:intro"):
    """⏱ Log time, on an introduction: the other member is already known."""

    introduction: int
