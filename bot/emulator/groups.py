"""A simulated group chat: who is in it with which rights, the bot's standing, migration."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from bot.emulator import wire
from bot.emulator.chat_members import (
    PERMISSIONS,
    STATUSES,
    Membership,
    admin,
    copy,
    flags,
    member_json,
)
from bot.emulator.chat_view import BotMessages
from bot.emulator.group_state import (
    GroupChat,
    deliver,
    new_message,
    note_bot_change,
    note_member_change,
    person,
)
from bot.emulator.state import EmulatorState, MemberProfile
from bot.emulator.transcript import Event

if TYPE_CHECKING:
    from bot.emulator.members import SimulatedMember

AfterAction = Callable[[int], Awaitable[None]]
BOT_STATUSES = frozenset({"member", "administrator", "left", "kicked"})


class RefusedInGroup(Exception):
    """The Telegram app would not let this person do that in the group (banned, muted, ...)."""


class SimulatedGroup(BotMessages):
    """A group or supergroup the bot is in: set up who is there, read what the bot posts."""

    def __init__(
        self,
        state: EmulatorState,
        chat: GroupChat,
        after_action: AfterAction,
        adopt: Callable[[GroupChat], SimulatedGroup],
    ) -> None:
        self._state = state
        self._chat = chat
        self._after_action = after_action
        self._adopt = adopt

    def __repr__(self) -> str:
        return f"SimulatedGroup({self.chat_id}, {self.title!r})"

    @property
    def server_chat(self) -> GroupChat:
        """The emulator's own record of the group (for simulated members acting in it)."""
        return self._chat

    @property
    def chat_id(self) -> int:
        return self._chat.chat_id

    @property
    def title(self) -> str:
        return self._chat.title

    @property
    def supergroup(self) -> bool:
        return self._chat.supergroup

    @property
    def migrated_to(self) -> int | None:
        return self._chat.migrated_to

    def _nothing_yet(self) -> str:
        return f"the bot has posted nothing in {self.title}"

    @property
    def sent_messages(self) -> list[dict[str, Any]]:
        """Everyone else's messages (Bot API Message JSON), service messages included, oldest
        first; those the bot deleted are gone."""
        return list(self._chat.member_messages.values())

    def messages_from(self, member: SimulatedMember) -> list[dict[str, Any]]:
        """This member's messages still in the group (anonymous ones included)."""
        authors = self._chat.authors
        return [m for m in self.sent_messages if authors.get(m["message_id"]) == member.user_id]

    # --- standing ------------------------------------------------------------------------

    def add(
        self,
        member: SimulatedMember,
        status: str = "member",
        *,
        until_date: int = 0,
        anonymous: bool = False,
        custom_title: str | None = None,
        **rights_or_permissions: bool,
    ) -> None:
        """Put the member in the group as it already stood (no update is sent): "creator",
        "administrator" (with rights such as can_restrict_members=True), "member",
        "restricted" (with the permissions still held, e.g. can_send_messages=False, and
        until_date), "left" or "kicked" (until_date)."""
        self._chat.people[member.user_id] = self._standing(
            status, until_date, anonymous, custom_title, rights_or_permissions
        )

    async def change(
        self,
        member: SimulatedMember,
        status: str,
        *,
        by: SimulatedMember | None = None,
        until_date: int = 0,
        **rights_or_permissions: bool,
    ) -> int | None:
        """An administrator (`by`: default the owner, else the first administrator) changes the
        member's standing in the Telegram app, to what `add` would set: an administrator bot
        that asked for them gets chat_member, and taking someone out of the group ("left",
        "kicked") shows as a left_chat_member message. RefusedInGroup if `by` lacks the right
        (can_restrict_members; can_promote_members to make an administrator). Returns the last
        update_id (after settle), None if the bot got nothing."""
        state, chat = self._state, self._chat
        actor = self._actor(by)
        right = "can_promote_members" if status == "administrator" else "can_restrict_members"
        if not chat.membership(actor["id"], state.now_date()).may(right):
            raise RefusedInGroup(f"{actor['first_name']} may not do that in {self.title}")
        old = copy(chat.membership(member.user_id, state.now_date()))
        if old.status == "creator" or status == "creator":
            raise RefusedInGroup(f"nobody changes the owner of {self.title} like that")
        new = self._standing(status, until_date, False, None, rights_or_permissions)
        if status == "restricted":
            new.is_member = old.in_chat
        if new == old:
            return None
        chat.people[member.user_id] = new
        user = person(state, member.user_id) or {}
        verb = {
            "administrator": "makes {} an administrator",
            "member": "makes {} an ordinary member",
            "restricted": "restricts {}",
            "left": "removes {}",
            "kicked": "bans {}",
        }[status].format(member.first_name)
        state.events.append(Event("group_event", self.title, f"{actor['first_name']} {verb}"))
        last = note_member_change(state, chat, user, (old, new), actor)
        if old.in_chat and not new.in_chat:
            gone = new_message(state, chat, actor, {"left_chat_member": user})
            last = deliver(state, chat, gone) or last
        if last is not None:
            await self._after_action(last)
        return last

    def _standing(
        self,
        status: str,
        until_date: int,
        anonymous: bool,
        custom_title: str | None,
        extra: dict[str, bool],
    ) -> Membership:
        """The standing `add` and `change` give; ValueError for what Telegram has not."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; one of {sorted(STATUSES)}")
        if anonymous and (status not in {"creator", "administrator"} or not self.supergroup):
            raise ValueError("only administrators of a supergroup can remain anonymous")
        if status == "administrator":
            new = admin(anonymous=anonymous, custom_title=custom_title, **extra)
        elif status == "restricted":
            held = flags(PERMISSIONS, extra, "permissions")
            new = Membership("restricted", permissions=held, until_date=until_date)
        else:
            if extra:
                raise ValueError(f"a {status} holds no rights or permissions")
            new = Membership(status, until_date=until_date if status == "kicked" else 0)
            new.anonymous, new.custom_title = anonymous, custom_title
        if status == "creator" and any(m.status == "creator" for m in self._chat.people.values()):
            raise ValueError(f"{self.title} already has an owner")
        return new

    def status(self, member: SimulatedMember) -> str:
        """The member's status now: creator, administrator, member, restricted, left, kicked."""
        return self._chat.membership(member.user_id, self._state.now_date()).status

    def chat_member(self, member: SimulatedMember) -> dict[str, Any]:
        """The member's ChatMember object, as getChatMember gives it."""
        current = self._chat.membership(member.user_id, self._state.now_date())
        user = person(self._state, member.user_id) or {}
        return member_json(user, current, editable=current.promoted_by_bot)

    @property
    def bot_status(self) -> str:
        return self._chat.bot.status

    @property
    def bot_rights(self) -> dict[str, bool]:
        """The bot's administrator rights ({} unless it is an administrator)."""
        return dict(self._chat.bot.rights) if self._chat.bot.is_admin else {}

    async def set_bot(
        self,
        status: str = "member",
        *,
        by: SimulatedMember | None = None,
        quiet: bool = False,
        **rights: bool,
    ) -> int | None:
        """Change the bot's standing, as an administrator of the group does (`by`: default the
        owner, else the first administrator): "member", "administrator" (with rights),
        "left" (removed) or "kicked" (banned). The bot gets my_chat_member (if allowed) and,
        when added back, the new_chat_members message. `quiet`: set it as it already stood,
        no update. Returns the last update_id (awaiting settle), None if nothing was sent."""
        if status not in BOT_STATUSES:
            raise ValueError(f"the bot's status is one of {sorted(BOT_STATUSES)}")
        if status != "administrator" and rights:
            raise ValueError("only an administrator holds rights")
        chat = self._chat
        old = copy(chat.bot)
        chat.bot = admin(**rights) if status == "administrator" else Membership(status)
        if quiet or chat.bot == old:  # Telegram says nothing when nothing changed
            return None
        actor = self._actor(by)
        name = self._state.bot.first_name
        shown = {
            "member": f"{actor['first_name']} makes {name} a member",
            "administrator": f"{actor['first_name']} makes {name} an administrator "
            f"({', '.join(r.removeprefix('can_') for r, v in chat.bot.rights.items() if v)})",
            "left": f"{actor['first_name']} removes {name}",
            "kicked": f"{actor['first_name']} bans {name}",
        }[status]
        self._state.events.append(Event("group_event", self.title, shown))
        last = note_bot_change(self._state, chat, old, actor)
        if chat.bot.in_chat and not old.in_chat:
            joined = {"new_chat_members": [wire.bot_user(self._state.bot)]}
            last = deliver(self._state, chat, new_message(self._state, chat, actor, joined)) or last
        if last is not None:
            await self._after_action(last)
        return last

    async def migrate_to_supergroup(
        self, new_chat_id: int, *, by: SimulatedMember | None = None
    ) -> SimulatedGroup:
        """The group becomes a supergroup with a new id, as Telegram does it: a service message
        with migrate_to_chat_id here, one with migrate_from_chat_id there (both to the bot);
        sends to this id then fail with 400 carrying migrate_to_chat_id. Returns the new group
        (same people, same standing)."""
        chat, state = self._chat, self._state
        if chat.supergroup or chat.migrated_to is not None:
            raise ValueError(f"{self.title} is already a supergroup")
        if new_chat_id >= 0 or new_chat_id in state.chats:
            raise ValueError("the supergroup needs a new negative chat id")
        actor = self._actor(by)
        profile = MemberProfile(new_chat_id, self.title, "en", None, kind="supergroup")
        people = {user_id: copy(m) for user_id, m in chat.people.items()}
        successor = GroupChat(profile, known=True, bot=copy(chat.bot), people=people)
        state.chats[new_chat_id] = successor
        first = deliver(
            state, chat, new_message(state, chat, actor, {"migrate_to_chat_id": new_chat_id})
        )
        chat.migrated_to = new_chat_id
        moved = {"migrate_from_chat_id": chat.chat_id}
        last = deliver(state, successor, new_message(state, successor, actor, moved)) or first
        shown = f"becomes a supergroup (chat id {chat.chat_id} → {new_chat_id})"
        state.events.append(Event("group_event", self.title, shown))
        if last is not None:
            await self._after_action(last)
        return self._adopt(successor)

    def _actor(self, by: SimulatedMember | None) -> dict[str, Any]:
        """Who makes a change to the group: `by`, else its owner, else an administrator."""
        if by is not None:
            user = person(self._state, by.user_id)
        else:
            now = self._state.now_date()
            ranked = sorted(
                (m.status != "creator", user_id)
                for user_id, m in self._chat.people.items()
                if self._chat.membership(user_id, now).is_admin
            )
            user = person(self._state, ranked[0][1]) if ranked else None
        if user is None:
            raise ValueError(f"say who does it (by=...): {self.title} has no owner or admin")
        return user
