"""What Telegram says of a person's standing in a group: for the one authorisation layer
(bot/domain/permissions.py `GroupRights`), and whether they are one of its administrators."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram import ChatMember, ChatMemberAdministrator, Update
from telegram.error import BadRequest

from bot.domain.permissions import GroupRights
from bot.runtime.context import AmserContext
from handlers.audit.log import by
from handlers.common import user_id

ANONYMOUS_ADMIN = 1087968824  # "GroupAnonymousBot": an administrator posting as the group


def anonymous(update: Update) -> bool:
    """Whether the message came from an administrator posting as the group itself."""
    message = update.effective_message
    chat = update.effective_chat
    return (
        message is not None
        and chat is not None
        and message.sender_chat is not None
        and message.sender_chat.id == chat.id
    )


@dataclass(frozen=True)
class GroupActor:
    """Who acted in a group chat, for the audit: their member id, and for someone who is not a
    member (or posts as the group) the details that say who they were."""

    member_id: int | None
    details: dict[str, Any] = field(default_factory=dict)


async def acting(update: Update, context: AmserContext) -> GroupActor:
    telegram_id = user_id(update)
    if anonymous(update):  # not who they are: that they posted as the group
        return GroupActor(None, {"anonymous": True, "telegram_id": telegram_id})
    actor = await context.services.members.by_telegram_id(telegram_id)
    return GroupActor(actor.id if actor is not None else None, by(actor, telegram_id))


def rights_from(member: ChatMember) -> GroupRights:
    if member.status == ChatMember.OWNER:
        return GroupRights(admin=True, can_restrict=True)
    if isinstance(member, ChatMemberAdministrator):
        return GroupRights(admin=True, can_restrict=member.can_restrict_members)
    return GroupRights()


async def rights_of(update: Update, context: AmserContext) -> GroupRights:
    """The sender's rights in the group the update came from (asked of Telegram each time: a
    right taken away counts at once)."""
    chat = update.effective_chat
    user = update.effective_user
    if chat is None or user is None:
        return GroupRights()
    if anonymous(update):  # only the group's administrators can post as the group
        return GroupRights(admin=True, can_restrict=True)
    try:
        return rights_from(await context.bot.get_chat_member(chat.id, user.id))
    except BadRequest:  # not in the group (any more)
        return GroupRights()
