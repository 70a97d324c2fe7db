"""Asking for someone to get in touch, for every feature that offers it (a check-in, the
crisis reply, very low wellbeing answers): held through quiet hours, except after crisis
words."""

from __future__ import annotations

from bot.runtime.context import Services
from handlers.notices import after_quiet_hours
from storage.support import ContactReason


async def ask_for_contact(services: Services, member_id: int, reason: ContactReason) -> bool:
    """The member's "yes, please": the staff are told, at once after crisis words."""
    now = services.clock.now()
    urgent = reason == ContactReason.CRISIS
    not_before = None if urgent else after_quiet_hours(services.config, now)
    return await services.support.ask_for_contact(member_id, reason, now, not_before=not_before)
