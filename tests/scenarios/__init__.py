"""How to bring a member to any step of each declared form, for the tests in test_forms.py.

Each feature's module here registers, per form name, a setup that makes what the form needs
(members, credits, listings) and returns the member who fills it in, with complete example
answers. Modules are found automatically: a new form only needs its scenario added here, and
test_forms.py then checks « Back, Cancel, typed and bad input and a restart at every step.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.emulator import BotApiEmulator, SimulatedMember
from bot.runtime.context import AmserApplication


@dataclass(frozen=True)
class Setup:
    person: SimulatedMember
    answers: Any  # the form's answers dataclass, every field filled in


Scenario = Callable[[AmserApplication, BotApiEmulator, str], Awaitable[Setup]]
SCENARIOS: dict[str, Scenario] = {}


def scenario(form: str) -> Callable[[Scenario], Scenario]:
    """Register the setup for one form, by the form's name."""

    def register(setup: Scenario) -> Scenario:
        if form in SCENARIOS:
            raise ValueError(f"two scenarios for form {form!r}")
        SCENARIOS[form] = setup
        return setup

    return register


def load_all() -> dict[str, Scenario]:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return SCENARIOS
