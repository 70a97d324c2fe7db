"""The buttons of /log seen elsewhere: those that start it (the menu, /balance, an
introduction), and those on the card the other member answers (pressed in confirm.py and
change.py, shown by screens.py)."""

from __future__ import annotations

from handlers.buttons import ButtonData


class StartLog(ButtonData, prefix="lg:new"):
    """⏱ Log time, on the menu and on /balance."""


class LogWith(ButtonData, prefix="lg:intro"):
    """⏱ Log time, on an introduction: the other member is already known."""

    introduction: int


class Confirm(ButtonData, prefix="xc:ok"):
    transfer: int


class ChangeTime(ButtonData, prefix="xc:chg"):
    """Handled in change.py: it starts the "change" form."""

    transfer: int


class SomethingWrong(ButtonData, prefix="xc:bad"):
    transfer: int


class AskCoordinator(ButtonData, prefix="xc:dis"):
    transfer: int


class ShowCard(ButtonData, prefix="xc:show"):
    transfer: int
