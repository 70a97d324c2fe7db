"""Asking for someone to get in touch, for every feature that offers it (a check-in, the
crisis reply, very low wellbeing answers): held through quiet hours, except after crisis
words."""

from __future__ import annotations

from datetime import datetime

from bot.config import Config
from bot.domain.matching import send_after
from bot.runtime.context import Services
from storage.support import ContactReason


def after_quiet_hours(config: Config, now: datetime) -> datetime:
    """Now, or the morning when now falls in quiet hours: when a non-urgent notice may go."""
    return send_after(now, config.timezone, config.quiet_hours_start, config.quiet_hours_end, 0, 1)


async def ask_for_contact(services: Services, member_id: int, reason: ContactReason) -> bool:
    """The member's "yes, please": the staff are told, at once after crisis words."""
    now = services.clock.now()
    urgent = reason == ContactReason.CRISIS
    not_before = None if urgent else after_quiet_hours(services.config, now)
    return await services.support.ask_for_contact(member_id, reason, now, not_before=not_before)
