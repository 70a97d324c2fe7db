"""Who is in a group and with what standing: Telegram's ChatMember statuses, rights and
permissions, and how until_date is read."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

STATUSES = frozenset({"creator", "administrator", "member", "restricted", "left", "kicked"})
# ChatAdministratorRights a group administrator can hold (channel-only rights left out).
ADMIN_RIGHTS = (
    "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
    "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories",
    "can_edit_stories", "can_delete_stories", "can_pin_messages", "can_manage_topics",
)  # fmt: skip
# ChatPermissions: what a (restricted) member may do.
PERMISSIONS = (
    "can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos",
    "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_send_polls",
    "can_send_other_messages", "can_add_web_page_previews", "can_react_to_messages",
    "can_change_info", "can_invite_users", "can_pin_messages", "can_manage_topics",
    "can_edit_tag",
)  # fmt: skip
_MEDIA = (
    "can_send_audios", "can_send_documents", "can_send_photos", "can_send_videos",
    "can_send_video_notes", "can_send_voice_notes",
)  # fmt: skip
# Telegram: an until_date less than 30 s or more than 366 days away means "for ever".
SHORTEST_TERM = 30
LONGEST_TERM = 366 * 24 * 3600


@dataclass
class Membership:
    """One person's (or the bot's) standing in one group."""

    status: str
    rights: dict[str, bool] = field(default_factory=dict)  # administrator rights
    permissions: dict[str, bool] = field(default_factory=dict)  # restricted: what is allowed
    until_date: int = 0  # restricted / kicked: when it ends; 0 for ever
    is_member: bool = True  # restricted: still in the group
    anonymous: bool = False  # administrator / creator posting as the group
    custom_title: str | None = None
    promoted_by_bot: bool = False  # the bot may then change (or remove) this administrator

    @property
    def in_chat(self) -> bool:
        if self.status == "restricted":
            return self.is_member
        return self.status in {"creator", "administrator", "member"}

    @property
    def is_admin(self) -> bool:
        return self.status in {"creator", "administrator"}

    def may(self, right: str) -> bool:
        """Holds this administrator right (the creator holds them all)."""
        return self.status == "creator" or (
            self.status == "administrator" and self.rights.get(right, False)
        )

    def allowed(self, permission: str = "can_send_messages") -> bool:
        """May do this in the group (members may do everything the group allows: all)."""
        if not self.in_chat:
            return False
        return self.status != "restricted" or self.permissions.get(permission, False)

    def expired(self, now: int) -> Membership:
        """As it stands at `now`: a restriction or ban whose until_date passed is over."""
        if self.until_date and now >= self.until_date:
            if self.status == "restricted":
                return Membership("member" if self.is_member else "left")
            if self.status == "kicked":
                return Membership("left")
        return self


def flags(names: tuple[str, ...], given: dict[str, Any], what: str) -> dict[str, bool]:
    """Every name set to bool(given value), False when absent; ValueError for unknown names."""
    unknown = set(given) - set(names)
    if unknown:
        raise ValueError(f"unknown {what}: {', '.join(sorted(unknown))}; known: {names}")
    return {name: bool(given.get(name, False)) for name in names}


def admin(
    *, anonymous: bool = False, custom_title: str | None = None, **rights: bool
) -> Membership:
    """An administrator with these rights (can_manage_chat is implied by any right)."""
    held = flags(ADMIN_RIGHTS, rights, "administrator rights")
    held["can_manage_chat"] = True
    return Membership("administrator", rights=held, anonymous=anonymous, custom_title=custom_title)


def permissions_from(given: dict[str, Any], *, independent: bool) -> dict[str, bool]:
    """ChatPermissions as restrictChatMember applies them: absent means False and, unless set
    independently, other messages and previews imply every send, polls imply messages."""
    held = {name: bool(given.get(name, False)) for name in PERMISSIONS}
    if not independent:
        if held["can_send_other_messages"] or held["can_add_web_page_previews"]:
            held["can_send_messages"] = True
            held.update(dict.fromkeys(_MEDIA, True))
        if held["can_send_polls"]:
            held["can_send_messages"] = True
    return held


def term(until_date: Any, now: int) -> int:
    """until_date as Telegram keeps it: 0 (for ever) if absent, too near or too far."""
    if not isinstance(until_date, int) or until_date <= 0:
        return 0
    if until_date - now < SHORTEST_TERM or until_date - now > LONGEST_TERM:
        return 0
    return until_date


def member_json(user: dict[str, Any], membership: Membership, *, editable: bool) -> dict[str, Any]:
    """The ChatMember object for this membership (owner, administrator, member, ...)."""
    status = membership.status
    body: dict[str, Any] = {"user": user, "status": status}
    if status == "creator":
        body["is_anonymous"] = membership.anonymous
    elif status == "administrator":
        body["can_be_edited"] = editable
        body["is_anonymous"] = membership.anonymous
        body.update({name: membership.rights.get(name, False) for name in ADMIN_RIGHTS})
    elif status == "restricted":
        body["is_member"] = membership.is_member
        body.update({name: membership.permissions.get(name, False) for name in PERMISSIONS})
        body["until_date"] = membership.until_date
    elif status == "kicked":
        body["until_date"] = membership.until_date
    if membership.custom_title and membership.is_admin:
        body["custom_title"] = membership.custom_title
    return body


def copy(membership: Membership) -> Membership:
    return dataclasses.replace(
        membership,
        rights=dict(membership.rights),
        permissions=dict(membership.permissions),
    )
