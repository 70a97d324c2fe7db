"""A group chat on the server side: its people, the bot's standing, what the bot may see."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.emulator import wire
from bot.emulator.chat_members import Membership, member_json
from bot.emulator.errors import ApiError, forbidden
from bot.emulator.state import BotIdentity, Chat, EmulatorState, PrivateChat

# Telegram's user for messages an anonymous administrator posts as the group.
ANONYMOUS_ADMIN = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
_COMMAND_TARGET = re.compile(r"^/[A-Za-z0-9_]+(?:@([A-Za-z0-9_]+))?")
SERVICE_FIELDS = frozenset(
    {"new_chat_members", "left_chat_member", "migrate_to_chat_id", "migrate_from_chat_id"}
)


@dataclass
class GroupChat(Chat):
    """A group or supergroup; `profile` holds its id and title, `kind` its type."""

    bot: Membership = field(default_factory=lambda: Membership("member"))
    people: dict[int, Membership] = field(default_factory=dict)
    authors: dict[int, int] = field(default_factory=dict)  # message_id -> who wrote it
    migrated_to: int | None = None

    @property
    def supergroup(self) -> bool:
        return self.profile.kind == "supergroup"

    @property
    def title(self) -> str:
        return self.profile.first_name

    def check_bot_access(self, *, sending: bool) -> None:
        if self.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self.migrated_to},
            )
        if not self.bot.in_chat:
            verb = "was kicked from" if self.bot.status == "kicked" else "is not a member of"
            raise forbidden(f"bot {verb} the {self.profile.kind} chat")

    def membership(self, user_id: int, now: int) -> Membership:
        """This person's standing now (restrictions and bans past their until_date are over)."""
        current = self.people.get(user_id, Membership("left"))
        lapsed = current.expired(now)
        if lapsed is not current:
            self.people[user_id] = lapsed
        return lapsed

    def count(self, now: int) -> int:
        """getChatMemberCount: the people in the group, the bot included."""
        people = sum(1 for user_id in self.people if self.membership(user_id, now).in_chat)
        return people + (1 if self.bot.in_chat else 0)


def bot_sees(group: GroupChat, message: dict[str, Any], bot: BotIdentity, privacy: bool) -> bool:
    """Whether Telegram gives the bot this group message: a bot outside the group sees nothing;
    in privacy mode (unless it is an administrator) only service messages, commands (not those
    addressed to another bot), replies to its own messages and mentions of it."""
    if not group.bot.in_chat:
        return False
    if not privacy or group.bot.is_admin or SERVICE_FIELDS & message.keys():
        return True
    text = str(message.get("text") or message.get("caption") or "")
    command = _COMMAND_TARGET.match(text)
    if command:
        addressee = command.group(1)
        return addressee is None or addressee.lower() == bot.username.lower()
    replied = message.get("reply_to_message") or {}
    if (replied.get("from") or {}).get("id") == bot.user_id:
        return True
    return f"@{bot.username}".lower() in text.lower()


def person(state: EmulatorState, user_id: int) -> dict[str, Any] | None:
    """The User object of someone Telegram knows (a simulated member), else None."""
    chat = state.chats.get(user_id)
    if isinstance(chat, PrivateChat):
        return wire.member_user(chat.profile)
    return None


def note_member_change(
    state: EmulatorState,
    group: GroupChat,
    user: dict[str, Any],
    change: tuple[Membership, Membership],
    actor: dict[str, Any],
) -> int | None:
    """Queue the chat_member update Telegram sends an administrator bot that asked for them."""
    if not (group.bot.is_admin and state.wants("chat_member")):
        return None
    old, new = (member_json(user, side, editable=False) for side in change)
    body = wire.chat_member_updated(wire.chat_of(group.profile), actor, state.now_date(), old, new)
    return state.enqueue("chat_member", body)


def note_bot_change(
    state: EmulatorState, group: GroupChat, old: Membership, actor: dict[str, Any]
) -> int | None:
    """Queue the my_chat_member update for a change of the bot's own standing in the group."""
    if not state.wants("my_chat_member"):
        return None
    me = wire.bot_user(state.bot)
    before, after = (member_json(me, side, editable=False) for side in (old, group.bot))
    body = wire.chat_member_updated(
        wire.chat_of(group.profile), actor, state.now_date(), before, after
    )
    return state.enqueue("my_chat_member", body)


def new_message(
    state: EmulatorState,
    group: GroupChat,
    sender: dict[str, Any],
    extra: dict[str, Any],
    *,
    author: int | None = None,
) -> dict[str, Any]:
    """Store a message someone (not the bot) posts in the group and return it; `author`: who
    really wrote it when `sender` is the group's anonymous administrator."""
    message = {
        "message_id": group.next_message_id(),
        "from": sender,
        "chat": wire.chat_of(group.profile),
        "date": state.now_date(),
        **extra,
    }
    group.member_messages[message["message_id"]] = message
    group.authors[message["message_id"]] = author if author is not None else sender["id"]
    return message


def deliver(state: EmulatorState, group: GroupChat, message: dict[str, Any]) -> int | None:
    """Queue the message for the bot if Telegram would give it to the bot; its update_id."""
    if bot_sees(group, message, state.bot, state.privacy_mode):
        return state.enqueue("message", message)
    return None
