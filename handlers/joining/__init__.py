"""Joining: /start with the Active Offer and consent (start.py), then the questions about the
member's details (questions.py), with /cancel to pause and /start to carry on."""

from __future__ import annotations

from handlers.joining.start import COMMANDS, register

__all__ = ["COMMANDS", "register"]
