"""The bot's own standing in each group, kept from what Telegram says: added, promoted,
removed (my_chat_member, new_chat_members), and the group becoming a supergroup."""

from __future__ import annotations

from telegram import ChatMember, ChatMemberAdministrator, Update
from telegram.constants import ChatType

from bot.runtime.context import AmserContext
from handlers.groups.words import default_language
from storage.groups import BotStanding, Standing

GROUP_TYPES = (ChatType.GROUP, ChatType.SUPERGROUP)
RIGHTS = (
    "can_restrict_members",
    "can_delete_messages",
    "can_invite_users",
    "can_pin_messages",
    "can_promote_members",
    "can_change_info",
    "can_manage_chat",
)


def standing_of(chat_id: int, title: str, member: ChatMember) -> Standing:
    """The bot's standing as Telegram's ChatMember gives it."""
    rights: dict[str, bool] = {}
    if isinstance(member, ChatMemberAdministrator):
        rights = {right: bool(getattr(member, right, False)) for right in RIGHTS}
    status = {
        ChatMember.OWNER: BotStanding.ADMINISTRATOR,
        ChatMember.ADMINISTRATOR: BotStanding.ADMINISTRATOR,
        ChatMember.MEMBER: BotStanding.MEMBER,
        ChatMember.RESTRICTED: BotStanding.RESTRICTED,
        ChatMember.LEFT: BotStanding.LEFT,
        ChatMember.BANNED: BotStanding.KICKED,
    }[member.status]
    if status is BotStanding.RESTRICTED and not getattr(member, "is_member", True):
        status = BotStanding.LEFT
    return Standing(chat_id, title, status, rights)


async def on_my_standing(update: Update, context: AmserContext) -> None:
    """The bot added, promoted, demoted or removed: remember it (removed: stop sending there)."""
    change = update.my_chat_member
    if change is None or change.chat.type not in GROUP_TYPES:
        return  # a private chat: handlers/reachability.py
    services = context.services
    standing = standing_of(change.chat.id, change.chat.title or "", change.new_chat_member)
    await services.groups.seen(standing, services.clock.now(), default_language(services))


async def on_added(update: Update, context: AmserContext) -> None:
    """new_chat_members naming the bot: it is in the group (its rights come with
    my_chat_member; asked here in case that update was not let through)."""
    message = update.effective_message
    if message is None or not any(user.id == context.bot.id for user in message.new_chat_members):
        return
    services = context.services
    me = await context.bot.get_chat_member(message.chat.id, context.bot.id)
    standing = standing_of(message.chat.id, message.chat.title or "", me)
    await services.groups.seen(standing, services.clock.now(), default_language(services))


async def on_migrated(update: Update, context: AmserContext) -> None:
    """The group became a supergroup: its new id from now on, for all that waits to go there."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id is not None:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id is not None:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    services = context.services
    await services.groups.migrated(old, new, services.clock.now(), default_language(services))
