"""Group moderation methods: ban, unban, restrict, promote, and the member look-ups."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.emulator import wire
from bot.emulator.chat_members import (
    ADMIN_RIGHTS,
    Membership,
    copy,
    member_json,
    permissions_from,
    term,
)
from bot.emulator.errors import bad_request
from bot.emulator.group_state import GroupChat, note_bot_change, note_member_change, person
from bot.emulator.methods_types import Handler
from bot.emulator.state import EmulatorState
from bot.emulator.transcript import Event

# Methods that change someone's standing; a refusal shows in the transcript.
MODERATION_METHODS = frozenset(
    {"banChatMember", "unbanChatMember", "restrictChatMember", "promoteChatMember", "leaveChat"}
)
_PRIVATE = "chat member status can't be changed in private chats"
_NO_RIGHTS = "not enough rights to restrict/unrestrict chat member"


def until_text(until_date: int) -> str:
    """How a ban or restriction's end reads in the transcript."""
    if not until_date:
        return "for ever"
    moment = dt.datetime.fromtimestamp(until_date, dt.UTC)
    return f"until {moment:%Y-%m-%d %H:%M} UTC"


class Moderation:
    def __init__(self, state: EmulatorState) -> None:
        self.state = state

    def handlers(self) -> dict[str, Handler]:
        return {
            "banChatMember": self.ban_chat_member,
            "unbanChatMember": self.unban_chat_member,
            "restrictChatMember": self.restrict_chat_member,
            "promoteChatMember": self.promote_chat_member,
            "getChatMember": self.get_chat_member,
            "getChatAdministrators": self.get_chat_administrators,
            "getChatMemberCount": self.get_chat_member_count,
            "leaveChat": self.leave_chat,
        }

    # --- shared checks -------------------------------------------------------------------

    def _group(self, params: dict[str, Any], private_error: str = _PRIVATE) -> GroupChat:
        chat = self.state.chat_for_bot(params.get("chat_id"), sending=False)
        if not isinstance(chat, GroupChat):
            raise bad_request(private_error)
        return chat

    def _target(self, group: GroupChat, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """The user a moderation method acts on: known to Telegram, not the bot itself."""
        user_id = params.get("user_id")
        if not isinstance(user_id, int):
            raise bad_request("invalid user_id specified")
        if user_id == self.state.bot.user_id:
            raise bad_request("can't restrict self")
        user = person(self.state, user_id)
        if user is None:
            raise bad_request("PARTICIPANT_ID_INVALID")
        return user_id, user

    def _require(self, group: GroupChat, right: str, error: str = _NO_RIGHTS) -> None:
        if not group.bot.may(right):
            raise bad_request(error)

    @staticmethod
    def _protect_admins(current: Membership) -> None:
        """Telegram refuses to act on the owner, or on an administrator the bot did not make."""
        if current.status == "creator":
            raise bad_request("can't remove chat owner")
        if current.status == "administrator" and not current.promoted_by_bot:
            raise bad_request("user is an administrator of the chat")

    def _apply(
        self,
        group: GroupChat,
        user_id: int,
        user: dict[str, Any],
        new: Membership,
        shown: str,
    ) -> None:
        old = copy(group.membership(user_id, self.state.now_date()))
        group.people[user_id] = new
        self.state.events.append(Event("moderation", group.title, shown))
        note_member_change(self.state, group, user, (old, new), wire.bot_user(self.state.bot))

    # --- methods -------------------------------------------------------------------------

    async def ban_chat_member(self, params: dict[str, Any]) -> Any:
        group = self._group(params)
        user_id, user = self._target(group, params)
        self._require(group, "can_restrict_members")
        now = self.state.now_date()
        self._protect_admins(group.membership(user_id, now))
        until = term(params.get("until_date"), now)
        banned = Membership("kicked", until_date=until)
        self._apply(group, user_id, user, banned, f"bans {user['first_name']} {until_text(until)}")
        return True

    async def unban_chat_member(self, params: dict[str, Any]) -> Any:
        group = self._group(params)
        if not group.supergroup:
            raise bad_request("method is available for supergroup and channel chats only")
        user_id, user = self._target(group, params)
        self._require(group, "can_restrict_members")
        current = group.membership(user_id, self.state.now_date())
        if params.get("only_if_banned") and current.status != "kicked":
            return True
        self._protect_admins(current)
        if current.status == "left":
            return True
        verb = "unbans" if current.status == "kicked" else "removes"
        self._apply(group, user_id, user, Membership("left"), f"{verb} {user['first_name']}")
        return True

    async def restrict_chat_member(self, params: dict[str, Any]) -> Any:
        group = self._group(params)
        if not group.supergroup:
            raise bad_request("method is available only for supergroups")
        user_id, user = self._target(group, params)
        given = params.get("permissions")
        if not isinstance(given, dict):
            raise bad_request("can't parse permissions JSON object")
        self._require(group, "can_restrict_members")
        now = self.state.now_date()
        current = group.membership(user_id, now)
        self._protect_admins(current)
        independent = bool(params.get("use_independent_chat_permissions"))
        allowed = permissions_from(given, independent=independent)
        name = user["first_name"]
        if all(allowed.values()):  # as free as the group allows everyone: no restriction
            new = Membership("member" if current.in_chat else "left")
            shown = f"lifts the restrictions on {name}"
        else:
            until = term(params.get("until_date"), now)
            new = Membership(
                "restricted", permissions=allowed, until_date=until, is_member=current.in_chat
            )
            refused = [key.removeprefix("can_") for key, value in allowed.items() if not value]
            shown = f"restricts {name} {until_text(until)} (no {', '.join(refused)})"
            if not allowed["can_send_messages"]:
                shown = f"mutes {name} {until_text(until)}"
        self._apply(group, user_id, user, new, shown)
        return True

    async def promote_chat_member(self, params: dict[str, Any]) -> Any:
        group = self._group(params)
        user_id, user = self._target(group, params)
        if not group.bot.may("can_promote_members"):
            raise bad_request("CHAT_ADMIN_REQUIRED")
        current = group.membership(user_id, self.state.now_date())
        if current.status == "creator":
            raise bad_request("can't remove chat owner")
        if current.status == "administrator" and not current.promoted_by_bot:
            raise bad_request("CHAT_ADMIN_REQUIRED")
        wanted = {right: bool(params.get(right)) for right in ADMIN_RIGHTS}
        if any(value and not group.bot.may(right) for right, value in wanted.items()):
            raise bad_request("RIGHT_FORBIDDEN")
        name = user["first_name"]
        if not any(wanted.values()):
            if current.status != "administrator":
                return True
            new, shown = Membership("member"), f"demotes {name}"
        else:
            if not current.in_chat:
                raise bad_request("USER_NOT_PARTICIPANT")
            wanted["can_manage_chat"] = True
            new = Membership(
                "administrator",
                rights=wanted,
                anonymous=bool(params.get("is_anonymous")),
                promoted_by_bot=True,
            )
            held = [right.removeprefix("can_") for right, value in wanted.items() if value]
            shown = f"makes {name} an administrator ({', '.join(held)})"
        self._apply(group, user_id, user, new, shown)
        return True

    async def get_chat_member(self, params: dict[str, Any]) -> Any:
        chat = self.state.chat_for_bot(params.get("chat_id"), sending=False)
        user_id = params.get("user_id")
        if not isinstance(user_id, int):
            raise bad_request("invalid user_id specified")
        if user_id == self.state.bot.user_id:
            me = wire.bot_user(self.state.bot)
            if isinstance(chat, GroupChat):
                return member_json(me, chat.bot, editable=False)
            return member_json(me, Membership("member"), editable=False)
        user = person(self.state, user_id)
        if user is None:
            raise bad_request("user not found")
        if not isinstance(chat, GroupChat):
            status = "member" if user_id == chat.chat_id else "left"
            return member_json(user, Membership(status), editable=False)
        current = chat.membership(user_id, self.state.now_date())
        return member_json(user, current, editable=current.promoted_by_bot)

    async def get_chat_administrators(self, params: dict[str, Any]) -> Any:
        group = self._group(params, "there are no administrators in the private chat")
        now = self.state.now_date()
        admins = []
        for user_id in group.people:
            current = group.membership(user_id, now)
            user = person(self.state, user_id)
            if current.is_admin and user is not None:
                admins.append(member_json(user, current, editable=current.promoted_by_bot))
        return admins  # Telegram leaves bots (this one too) out of the list

    async def get_chat_member_count(self, params: dict[str, Any]) -> Any:
        chat = self.state.chat_for_bot(params.get("chat_id"), sending=False)
        if isinstance(chat, GroupChat):
            return chat.count(self.state.now_date())
        return 2

    async def leave_chat(self, params: dict[str, Any]) -> Any:
        group = self._group(params)
        old = group.bot
        group.bot = Membership("left")
        self.state.events.append(Event("group_event", group.title, "the bot leaves the group"))
        note_bot_change(self.state, group, old, wire.bot_user(self.state.bot))
        return True
