"""Moderation methods validated as Telegram does: rights, admins, owners, until_date."""

from __future__ import annotations

import pytest
from telegram import Bot, ChatMemberAdministrator, ChatMemberRestricted, ChatPermissions
from telegram.error import BadRequest, Forbidden

from bot.emulator import BotApiEmulator, RefusedInGroup, SimulatedGroup, SimulatedMember
from tests.emulator.helpers import GROUP, SUPERGROUP, FakeClock, fails_with

NO_RIGHTS = "Bad Request: not enough rights to restrict/unrestrict chat member"
MUTED = ChatPermissions(can_send_messages=False)
FREE = ChatPermissions.all_permissions()


async def community(
    emu: BotApiEmulator, *, bot_rights: dict[str, bool] | None = None, supergroup: bool = True
) -> tuple[SimulatedGroup, SimulatedMember, SimulatedMember, SimulatedMember]:
    """Sian owns the group, Eleri moderates it, Tom is a member; the bot as given."""
    group = emu.group(SUPERGROUP if supergroup else GROUP, "Amser Canton", supergroup=supergroup)
    sian, eleri, tom = emu.member(1, "Sian"), emu.member(2, "Eleri"), emu.member(3, "Tom")
    group.add(sian, "creator")
    group.add(eleri, "administrator", can_restrict_members=True)
    group.add(tom)
    if bot_rights is not None:
        await group.set_bot("administrator", quiet=True, **bot_rights)
    return group, sian, eleri, tom


async def test_a_ban_with_the_right_keeps_the_member_out_until_its_date(
    emu: BotApiEmulator, bot: Bot, dates: FakeClock
) -> None:
    group, _, _, tom = await community(emu, bot_rights={"can_restrict_members": True})
    until = int(dates.now) + 7200
    assert await bot.ban_chat_member(SUPERGROUP, 3, until_date=until, revoke_messages=True)
    assert group.status(tom) == "kicked"
    banned = await bot.get_chat_member(SUPERGROUP, 3)
    assert int(banned.until_date.timestamp()) == until
    with pytest.raises(RefusedInGroup, match="banned"):
        await tom.send_in(group, "let me back")
    with pytest.raises(RefusedInGroup, match="banned"):
        await tom.join(group)
    assert "⚖ Bot in Amser Canton: bans Tom until " in emu.transcript()
    assert emu.calls_to("banChatMember")[0].params["revoke_messages"] is True
    dates.advance(7201)
    assert group.status(tom) == "left"
    await tom.join(group)


async def test_a_ban_too_near_or_without_a_date_is_for_ever_and_unban_lets_them_back(
    emu: BotApiEmulator, bot: Bot, dates: FakeClock
) -> None:
    group, _, _, tom = await community(emu, bot_rights={"can_restrict_members": True})
    await bot.ban_chat_member(SUPERGROUP, 3, until_date=int(dates.now) + 10)
    assert group.chat_member(tom)["until_date"] == 0
    dates.advance(3600)
    assert group.status(tom) == "kicked"
    assert await bot.unban_chat_member(SUPERGROUP, 3, only_if_banned=True)
    assert group.status(tom) == "left"
    await tom.join(group)
    assert "⚖ Bot in Amser Canton: unbans Tom" in emu.transcript()


async def test_unban_without_only_if_banned_removes_a_member_as_a_kick(
    emu: BotApiEmulator, bot: Bot
) -> None:
    group, _, _, tom = await community(emu, bot_rights={"can_restrict_members": True})
    await bot.unban_chat_member(SUPERGROUP, 3, only_if_banned=True)
    assert group.status(tom) == "member"  # not banned: nothing done
    await bot.unban_chat_member(SUPERGROUP, 3)
    assert group.status(tom) == "left"
    await tom.join(group)


async def test_without_the_right_or_as_a_plain_member_the_bot_is_refused(
    emu: BotApiEmulator, bot: Bot
) -> None:
    group, _, _, tom = await community(emu)
    await fails_with(emu, bot.ban_chat_member(SUPERGROUP, 3), 400, NO_RIGHTS)
    await fails_with(emu, bot.restrict_chat_member(SUPERGROUP, 3, MUTED), 400, NO_RIGHTS)
    await group.set_bot("administrator", quiet=True, can_delete_messages=True)
    await fails_with(emu, bot.unban_chat_member(SUPERGROUP, 3), 400, NO_RIGHTS)
    assert group.status(tom) == "member"
    assert all(call.status == 400 for call in emu.calls[-3:])


async def test_admins_and_the_owner_cannot_be_actioned(emu: BotApiEmulator, bot: Bot) -> None:
    group, sian, eleri, _ = await community(emu, bot_rights={"can_restrict_members": True})
    admin = "Bad Request: user is an administrator of the chat"
    owner = "Bad Request: can't remove chat owner"
    await fails_with(emu, bot.ban_chat_member(SUPERGROUP, 2), 400, admin)
    await fails_with(emu, bot.restrict_chat_member(SUPERGROUP, 2, MUTED), 400, admin)
    await fails_with(emu, bot.ban_chat_member(SUPERGROUP, 1), 400, owner)
    await fails_with(emu, bot.restrict_chat_member(SUPERGROUP, 1, MUTED), 400, owner)
    assert (group.status(sian), group.status(eleri)) == ("creator", "administrator")
    refusal = "   ✗ Telegram refuses, in Amser Canton: banChatMember: " + owner
    assert refusal in emu.transcript().splitlines()


async def test_the_wrong_target_or_chat_is_refused_in_telegrams_words(
    emu: BotApiEmulator, bot: Bot
) -> None:
    await community(emu, bot_rights={"can_restrict_members": True})
    eleri = emu.member(2, "Eleri")
    await eleri.send("hi")
    invalid = "Bad Request: PARTICIPANT_ID_INVALID"
    await fails_with(emu, bot.ban_chat_member(SUPERGROUP, 777), 400, invalid)
    await fails_with(
        emu, bot.ban_chat_member(SUPERGROUP, bot.id), 400, "Bad Request: can't restrict self"
    )
    private = "Bad Request: chat member status can't be changed in private chats"
    await fails_with(emu, bot.ban_chat_member(2, 3), 400, private)
    await fails_with(emu, bot.leave_chat(2), 400, private)
    await fails_with(emu, bot.ban_chat_member(-55, 3), 400, "Bad Request: chat not found")
    none = "Bad Request: there are no administrators in the private chat"
    await fails_with(emu, bot.get_chat_administrators(2), 400, none)


async def test_a_basic_group_has_no_restrictions_or_unbans(emu: BotApiEmulator, bot: Bot) -> None:
    group, _, _, tom = await community(
        emu, bot_rights={"can_restrict_members": True}, supergroup=False
    )
    only = "Bad Request: method is available only for supergroups"
    await fails_with(emu, bot.restrict_chat_member(GROUP, 3, MUTED), 400, only)
    also = "Bad Request: method is available for supergroup and channel chats only"
    await fails_with(emu, bot.unban_chat_member(GROUP, 3), 400, also)
    assert await bot.ban_chat_member(GROUP, 3)
    assert group.status(tom) == "kicked"


async def test_a_mute_stops_the_member_posting_until_it_is_lifted(
    emu: BotApiEmulator, bot: Bot, dates: FakeClock
) -> None:
    group, _, _, tom = await community(emu, bot_rights={"can_restrict_members": True})
    until = int(dates.now) + 3600
    assert await bot.restrict_chat_member(SUPERGROUP, 3, MUTED, until_date=until)
    muted = await bot.get_chat_member(SUPERGROUP, 3)
    assert isinstance(muted, ChatMemberRestricted) and muted.is_member
    assert not muted.can_send_messages and not muted.can_send_photos
    assert int(muted.until_date.timestamp()) == until
    with pytest.raises(RefusedInGroup, match="may not send messages"):
        await tom.send_in(group, "unfair!")
    assert await bot.restrict_chat_member(SUPERGROUP, 3, FREE)
    assert group.status(tom) == "member"
    await tom.send_in(group, "thank you")
    transcript = emu.transcript()
    assert "⚖ Bot in Amser Canton: mutes Tom until " in transcript
    assert "⚖ Bot in Amser Canton: lifts the restrictions on Tom" in transcript


async def test_other_messages_imply_sending_unless_permissions_are_independent(
    emu: BotApiEmulator, bot: Bot
) -> None:
    group, _, _, tom = await community(emu, bot_rights={"can_restrict_members": True})
    others = ChatPermissions(can_send_other_messages=True)
    await bot.restrict_chat_member(SUPERGROUP, 3, others)
    assert group.chat_member(tom)["can_send_messages"] is True
    assert group.chat_member(tom)["can_send_photos"] is True
    await bot.restrict_chat_member(SUPERGROUP, 3, others, use_independent_chat_permissions=True)
    assert group.chat_member(tom)["can_send_messages"] is False


async def test_moderation_reaches_an_administrator_bot_as_chat_member_updates(
    emu: BotApiEmulator, bot: Bot
) -> None:
    await community(emu, bot_rights={"can_restrict_members": True})
    await bot.get_updates(allowed_updates=["message", "chat_member"])
    await bot.ban_chat_member(SUPERGROUP, 3)
    (update,) = await bot.get_updates()
    change = update.chat_member
    assert (change.old_chat_member.status, change.new_chat_member.status) == ("member", "kicked")
    assert change.from_user.id == bot.id and change.chat.id == SUPERGROUP


async def test_promotion_needs_the_right_and_cannot_give_more_than_the_bot_holds(
    emu: BotApiEmulator, bot: Bot
) -> None:
    group, _, _, tom = await community(emu, bot_rights={"can_restrict_members": True})
    required = "Bad Request: CHAT_ADMIN_REQUIRED"
    await fails_with(
        emu, bot.promote_chat_member(SUPERGROUP, 3, can_pin_messages=True), 400, required
    )
    await group.set_bot(
        "administrator",
        quiet=True,
        can_restrict_members=True,
        can_promote_members=True,
        can_delete_messages=True,
    )
    forbidden = "Bad Request: RIGHT_FORBIDDEN"
    await fails_with(
        emu, bot.promote_chat_member(SUPERGROUP, 3, can_pin_messages=True), 400, forbidden
    )
    await fails_with(
        emu, bot.promote_chat_member(SUPERGROUP, 2, can_delete_messages=True), 400, required
    )
    assert await bot.promote_chat_member(SUPERGROUP, 3, can_delete_messages=True)
    promoted = await bot.get_chat_member(SUPERGROUP, 3)
    assert isinstance(promoted, ChatMemberAdministrator) and promoted.can_be_edited
    assert promoted.can_delete_messages and not promoted.can_restrict_members
    assert await bot.ban_chat_member(SUPERGROUP, 3)  # an administrator the bot made
    await bot.unban_chat_member(SUPERGROUP, 3)
    await tom.join(group)
    await bot.promote_chat_member(SUPERGROUP, 3, can_delete_messages=True)
    assert await bot.promote_chat_member(SUPERGROUP, 3)  # no rights at all: demoted
    assert group.status(tom) == "member"


async def test_deleting_others_messages_needs_the_right(emu: BotApiEmulator, bot: Bot) -> None:
    group, _, _, tom = await community(emu)
    emu.privacy_mode = False
    await tom.send_in(group, "buy my stuff")
    (spam,) = group.messages_from(tom)
    own = await bot.send_message(SUPERGROUP, "A notice")
    cannot = "Bad Request: message can't be deleted"
    await fails_with(emu, bot.delete_message(SUPERGROUP, spam["message_id"]), 400, cannot)
    assert await bot.delete_message(SUPERGROUP, own.message_id)  # its own: always
    await group.set_bot("administrator", quiet=True, can_delete_messages=True)
    assert await bot.delete_message(SUPERGROUP, spam["message_id"])
    assert group.messages_from(tom) == [] and group.messages == []
    assert "Bot deletes a message → Amser Canton: Tom's message “buy my stuff”" in emu.transcript()
    gone = "Bad Request: message to delete not found"
    await fails_with(emu, bot.delete_message(SUPERGROUP, spam["message_id"]), 400, gone)


async def test_a_bot_that_leaves_or_is_removed_can_no_longer_send_there(
    emu: BotApiEmulator, bot: Bot
) -> None:
    group, sian, _, _ = await community(emu, bot_rights={"can_restrict_members": True})
    basic = emu.group(GROUP, "Small group")
    assert await bot.leave_chat(GROUP)
    gone = "Forbidden: bot is not a member of the group chat"
    error = await fails_with(emu, bot.send_message(GROUP, "still here?"), 403, gone)
    assert isinstance(error, Forbidden) and basic.bot_status == "left"
    assert await group.set_bot("kicked", by=sian) is not None
    kicked = "Forbidden: bot was kicked from the supergroup chat"
    await fails_with(emu, bot.send_message(SUPERGROUP, "hello?"), 403, kicked)
    updates = await bot.get_updates()
    changes = [u.my_chat_member for u in updates]
    assert [(c.chat.id, c.new_chat_member.status) for c in changes] == [
        (GROUP, "left"),
        (SUPERGROUP, "kicked"),
    ]
    assert changes[1].from_user.first_name == "Sian"
    assert "✗ not delivered to Amser Canton: " + kicked in emu.transcript()
    assert await group.set_bot("kicked", by=sian) is None  # no change, no update
    await group.set_bot("member")  # added back: told, and greeted by the service message
    back = await bot.get_updates(offset=updates[-1].update_id + 1)
    assert back[0].my_chat_member.new_chat_member.status == "member"
    assert back[1].message.new_chat_members[0].id == bot.id
    await bot.send_message(SUPERGROUP, "Back again")
    with pytest.raises(BadRequest):
        await bot.get_chat_member(SUPERGROUP, 12345)
