"""Words for the outbox: each kind of notice registers how it reads, in the recipient's language.

A feature queues a `Notice` (purpose, recipient, what it is about) in the same transaction as
the change it tells of; when the sender gets to it, the renderer registered here for its purpose
words it from the database as it is then, or returns None when there is nothing to say any more
(the exchange was answered meanwhile, say), or raises `NotNow` when it must wait (its broadcast
was paused a moment ago). `remember` keeps the sent message's id (cards that
change in place later); `instead` says what to queue when the recipient can't be reached.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.config import Config
from bot.domain.matching import send_after
from bot.runtime.context import AmserApplication, Services
from bot.runtime.i18n import Translator
from handlers.common import Screen
from storage.members import Member
from storage.outbox import Notice, OutboxItem


@dataclass(frozen=True)
class Recipient:
    chat_id: int
    member: Member | None  # None for a chat that is not a member's (a coordinator not joined)
    tr: Translator


Render = Callable[[Services, Recipient, OutboxItem], Awaitable[Screen | None]]
Remember = Callable[[Services, Recipient, OutboxItem, int], Awaitable[None]]
Instead = Callable[[Services, OutboxItem], Awaitable[Iterable[Notice]]]


def register_notice(
    app: AmserApplication,
    purpose: str,
    render: Render,
    *,
    remember: Remember | None = None,
    instead: Instead | None = None,
) -> None:
    """Say how notices of this purpose read, and what follows when they are sent or can't be."""

    async def send(app: AmserApplication, item: OutboxItem) -> None:
        services = app.services
        recipient = await _recipient(services, item)
        if recipient is None:
            return  # nobody to send to any more
        screen = await render(services, recipient, item)
        if screen is None:
            return  # overtaken by events: nothing to say
        message = await app.bot.send_message(
            recipient.chat_id,
            screen.text,
            reply_markup=screen.markup,
            rate_limit_args=int(item.priority),
        )
        if remember is not None:
            await remember(services, recipient, item, message.message_id)

    async def unreachable(app: AmserApplication, item: OutboxItem) -> Iterable[Notice]:
        return await instead(app.services, item) if instead is not None else ()

    app.outbox.register(purpose, send, unreachable=unreachable)


async def _recipient(services: Services, item: OutboxItem) -> Recipient | None:
    if item.chat_id is None:
        return None
    if item.member_id is not None:
        member = await services.members.get(item.member_id)
    else:
        member = await services.members.by_telegram_id(item.chat_id)
    if item.member_id is not None and member is None:
        return None
    language = member.language if member is not None else "en"
    return Recipient(item.chat_id, member, services.catalogs[language])


def after_quiet_hours(config: Config, now: datetime) -> datetime:
    """Now, or the morning when now falls in quiet hours: when a non-urgent notice may go."""
    return send_after(now, config.timezone, config.quiet_hours_start, config.quiet_hours_end, 0, 1)
