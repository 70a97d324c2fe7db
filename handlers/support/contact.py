"""Asking for someone to get in touch, for every feature that offers it (a check-in, the
crisis reply, very low wellbeing answers): held through quiet hours, except after crisis
words; and the member told, once, when someone has taken their request."""

from __future__ import annotations

from html import escape

from bot.runtime.context import AmserApplication, Services
from handlers.common import Screen
from handlers.credit_common import name_of
from handlers.notices import Recipient, after_quiet_hours, register_notice
from storage.outbox import OutboxItem
from storage.support import TAKEN, ContactReason


async def ask_for_contact(services: Services, member_id: int, reason: ContactReason) -> bool:
    """The member's "yes, please": the staff are told, at once after crisis words."""
    now = services.clock.now()
    urgent = reason == ContactReason.CRISIS
    not_before = None if urgent else after_quiet_hours(services.config, now)
    return await services.support.ask_for_contact(member_id, reason, now, not_before=not_before)


async def _taken(services: Services, recipient: Recipient, item: OutboxItem) -> Screen | None:
    """Who will be in touch, by name (never anything of the request but that it was made);
    nothing if it was handed back or closed before this was sent."""
    request = await services.support.get(item.about or 0)
    by = int(item.data["by"])
    if request is None or request.state != "claimed" or request.claimed_by != by:
        return None
    tr = recipient.tr
    text = tr.gettext(
        "Good news: {name} from {community} has seen your request and will be in touch with "
        "you soon. Take care until then."
    ).format(
        name=name_of(await services.members.get(by), tr),
        community=escape(services.config.community_name),
    )
    return Screen(text)


def register(app: AmserApplication) -> None:
    register_notice(app, TAKEN, _taken)
