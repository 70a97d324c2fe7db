"""The bot's features, one module each; each registers its own handlers and commands."""

from __future__ import annotations

from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication
from handlers import (
    admin,
    audit,
    balance,
    broadcasts,
    browse,
    buttons,
    checkins,
    common,
    coordinators,
    deliveries,
    donate,
    events,
    forms,
    groups,
    housekeeping,
    introductions,
    joining,
    language,
    listings,
    log,
    matches,
    menu,
    messages,
    moderation,
    nudges,
    privacy,
    profile,
    reachability,
    safeguarding,
    support,
    wellbeing,
)

FEATURES = (
    menu,
    joining,
    listings,
    browse,
    introductions,
    matches,
    log,
    balance,
    donate,
    events,
    profile,
    checkins,
    language,
    privacy,
    admin,
    moderation,
    groups,
    coordinators,
    deliveries,
    audit,
    reachability,
    broadcasts,
    nudges,
    support,
    housekeeping,
    safeguarding,
    wellbeing,
)


def register_all(app: AmserApplication) -> tuple[Command, ...]:
    """Add every feature's handlers, then the fallbacks; returns all commands, menu order."""
    common.register_sender_check(app)
    forms.register_controls(app)
    for feature in FEATURES:
        feature.register(app)
    messages.register_fallbacks(app)
    menu.register_fallbacks(app)
    buttons.register_fallback(app)
    return tuple(command for feature in FEATURES for command in feature.COMMANDS)
