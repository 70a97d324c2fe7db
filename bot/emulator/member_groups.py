"""What a simulated member does in groups: post, reply, join, leave, press a button."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from bot.emulator import wire
from bot.emulator.chat_members import Membership, copy
from bot.emulator.entities import command_entities, mention_entities
from bot.emulator.group_state import (
    ANONYMOUS_ADMIN,
    GroupChat,
    bot_sees,
    deliver,
    new_message,
    note_member_change,
    person,
)
from bot.emulator.groups import RefusedInGroup
from bot.emulator.models import BotMessage
from bot.emulator.moderation import until_text
from bot.emulator.state import EmulatorState, PrivateChat
from bot.emulator.transcript import Event

if TYPE_CHECKING:
    from bot.emulator.groups import SimulatedGroup
    from bot.emulator.members import SimulatedMember

ReplyTarget = BotMessage | int | dict[str, Any]


class GroupActions:
    """Mixed into SimulatedMember: the member's actions in group chats."""

    _state: EmulatorState
    _chat: PrivateChat
    _after_action: Callable[[int], Awaitable[None]]

    @property
    def _name(self) -> str:
        return self._chat.profile.first_name

    async def send_in(
        self, group: SimulatedGroup, text: str, *, reply_to: ReplyTarget | None = None
    ) -> int | None:
        """Post a text in the group (as a reply to `reply_to`: a message there, the bot's or
        anyone's, its id or its JSON). An administrator who remains anonymous posts as the
        group (from GroupAnonymousBot, sender_chat = the group). Returns the update_id, or
        None when Telegram does not give the message to the bot (privacy mode, or the bot is
        not in the group). RefusedInGroup if the member may not post (banned, left, muted)."""
        if not text:
            raise ValueError("Telegram clients cannot send an empty message")
        chat, state = group.server_chat, self._state
        standing = chat.membership(self._chat.chat_id, state.now_date())
        self._require_voice(chat, standing)
        extra: dict[str, Any] = {"text": text}
        entities = command_entities(text) + mention_entities(text)
        if entities:
            extra["entities"] = entities
        who, shown = f"{self._name} in {chat.title}", text
        if reply_to is not None:
            replied = extra["reply_to_message"] = self._replied_in(chat, reply_to)
            quoted = str(replied.get("text") or replied.get("caption") or "").split("\n")[0]
            shown = f"(in reply to “{quoted[:40]}”) {text}"
        me = wire.member_user(self._chat.profile)
        if standing.anonymous:
            extra["sender_chat"] = wire.chat_of(chat.profile)
            if standing.custom_title:
                extra["author_signature"] = standing.custom_title
            who = f"{chat.title} (anonymous admin {self._name})"
            message = new_message(state, chat, dict(ANONYMOUS_ADMIN), extra, author=me["id"])
        else:
            message = new_message(state, chat, me, extra)
        seen = bot_sees(chat, message, state.bot, state.privacy_mode)
        state.events.append(Event("group_says" if seen else "group_unseen", who, shown))
        return await self._settled(deliver(state, chat, message))

    async def join(
        self, group: SimulatedGroup, *, invited_by: SimulatedMember | None = None
    ) -> int | None:
        """Join the group (or be added by `invited_by`): the new_chat_members message and, for
        an administrator bot that asked for them, a chat_member update. Returns the last
        update_id (None if the bot got nothing). RefusedInGroup if banned or already in."""
        chat, state = group.server_chat, self._state
        user_id = self._chat.chat_id
        old = copy(chat.membership(user_id, state.now_date()))
        if old.status == "kicked":
            raise RefusedInGroup(f"{self._name} is banned from {chat.title}")
        if old.in_chat:
            raise RefusedInGroup(f"{self._name} is already in {chat.title}")
        new = copy(old) if old.status == "restricted" else Membership("member")
        new.is_member = True
        chat.people[user_id] = new
        me = wire.member_user(self._chat.profile)
        actor = me if invited_by is None else person(state, invited_by.user_id) or me
        changed = note_member_change(state, chat, me, (old, new), actor)
        shown = f"{self._name} joins"
        if actor is not me:
            shown = f"{actor['first_name']} adds {self._name}"
        state.events.append(Event("group_event", chat.title, shown))
        joined = new_message(state, chat, actor, {"new_chat_members": [me]})
        return await self._settled(deliver(state, chat, joined) or changed)

    async def leave(self, group: SimulatedGroup) -> int | None:
        """Leave the group: the left_chat_member message (and chat_member, as for join)."""
        chat, state = group.server_chat, self._state
        user_id = self._chat.chat_id
        old = copy(chat.membership(user_id, state.now_date()))
        if not old.in_chat:
            raise RefusedInGroup(f"{self._name} is not in {chat.title}")
        new = copy(old) if old.status == "restricted" else Membership("left")
        new.is_member = False
        chat.people[user_id] = new
        me = wire.member_user(self._chat.profile)
        changed = note_member_change(state, chat, me, (old, new), me)
        state.events.append(Event("group_event", chat.title, f"{self._name} leaves"))
        left = new_message(state, chat, me, {"left_chat_member": me})
        return await self._settled(deliver(state, chat, left) or changed)

    async def press_in(
        self, group: SimulatedGroup, text: str, message: BotMessage | None = None
    ) -> int:
        """Press an inline button on the bot's message in the group (default: its latest
        message with buttons); the callback_query comes from this member."""
        chat, state = group.server_chat, self._state
        if not chat.membership(self._chat.chat_id, state.now_date()).in_chat:
            raise RefusedInGroup(f"{self._name} is not in {chat.title}")
        if message is None:
            message = next((m for m in reversed(group.messages) if m.buttons), None)
        if message is None or message.chat_id != chat.chat_id or message.deleted:
            raise LookupError(f"no bot message with buttons to press in {chat.title}")
        button = message.button(text)
        if button.callback_data is None:
            raise ValueError(f"[{button.text}] is a link button ({button.url})")
        query = {
            "id": state.new_callback_id(self._chat.chat_id),
            "from": wire.member_user(self._chat.profile),
            "message": wire.bot_message_in_chat(state.bot, chat, message),
            "chat_instance": str(chat.chat_id * -1_000_003 % 2**62),
            "data": button.callback_data,
        }
        state.events.append(Event("press", f"{self._name} in {chat.title}", f"[{button.text}]"))
        update_id = state.enqueue("callback_query", query)
        await self._after_action(update_id)
        return update_id

    # --- internals -----------------------------------------------------------------------

    def _require_voice(self, chat: GroupChat, standing: Membership) -> None:
        if standing.status == "kicked":
            raise RefusedInGroup(f"{self._name} is banned from {chat.title}")
        if not standing.in_chat:
            raise RefusedInGroup(f"{self._name} is not in {chat.title}")
        if not standing.allowed("can_send_messages"):
            until = until_text(standing.until_date)
            raise RefusedInGroup(f"{self._name} may not send messages in {chat.title} {until}")

    def _replied_in(self, chat: GroupChat, target: ReplyTarget) -> dict[str, Any]:
        """The message a reply in the group carries (one level, as Telegram sends it)."""
        if isinstance(target, BotMessage):
            if target.chat_id != chat.chat_id:
                raise ValueError(f"message {target.message_id} is not in {chat.title}")
            message_id = target.message_id
        elif isinstance(target, dict):
            message_id = target["message_id"]
        else:
            message_id = target
        sent = chat.bot_messages.get(message_id)
        if sent is not None and not sent.deleted:
            return wire.bot_message(sent, self._state.bot, chat.profile)
        other = chat.member_messages.get(message_id)
        if other is not None:
            return {key: value for key, value in other.items() if key != "reply_to_message"}
        raise LookupError(f"there is no message {message_id} in {chat.title} to reply to")

    async def _settled(self, update_id: int | None) -> int | None:
        if update_id is not None:
            await self._after_action(update_id)
        return update_id
