"""Groups as Telegram has them: who is in them with which standing, what members do there,
and what privacy mode lets the bot see."""

from __future__ import annotations

import pytest
from telegram import (
    Bot,
    ChatMemberAdministrator,
    ChatMemberBanned,
    ChatMemberLeft,
    ChatMemberMember,
    ChatMemberOwner,
    ChatMemberRestricted,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)
from telegram.error import BadRequest

from bot.emulator import BotApiEmulator, RefusedInGroup
from tests.emulator.helpers import GROUP, SUPERGROUP, FakeClock, fails_with

ANONYMOUS_ADMIN_ID = 1087968824


async def test_a_new_group_has_the_bot_as_a_member_and_shows_what_it_posts(
    emu: BotApiEmulator, bot: Bot
) -> None:
    group = emu.group(GROUP, "Amser Canton")
    assert emu.group(GROUP, "Another title") is group
    chat = await bot.get_chat(GROUP)
    assert (chat.type, chat.title) == ("group", "Amser Canton")
    me = await bot.get_chat_member(GROUP, bot.id)
    assert isinstance(me, ChatMemberMember) and group.bot_status == "member"
    await bot.send_message(GROUP, "Croeso!")
    assert group.last.text == "Croeso!" and group.last.chat_id == GROUP
    assert await bot.get_chat_member_count(GROUP) == 1
    with pytest.raises(ValueError, match="negative"):
        emu.group(5, "Not a group")


async def test_each_status_reads_back_as_telegrams_chat_member(
    emu: BotApiEmulator, bot: Bot, dates: FakeClock
) -> None:
    group = emu.group(SUPERGROUP, "Amser Canton", supergroup=True)
    people = [emu.member(n, name) for n, name in enumerate(["Sian", "Eleri", "Tom"], 1)]
    sian, eleri, tom = people
    gwen, huw, ifan = (emu.member(n, name) for n, name in [(4, "Gwen"), (5, "Huw"), (6, "Ifan")])
    later = dates.now + 3600
    group.add(sian, "creator")
    group.add(eleri, "administrator", can_restrict_members=True, custom_title="Mod")
    group.add(tom)
    group.add(gwen, "restricted", until_date=later, can_send_polls=True)
    group.add(huw, "left")
    group.add(ifan, "kicked", until_date=later)
    owner = await bot.get_chat_member(SUPERGROUP, 1)
    assert isinstance(owner, ChatMemberOwner) and owner.user.first_name == "Sian"
    mod = await bot.get_chat_member(SUPERGROUP, 2)
    assert isinstance(mod, ChatMemberAdministrator)
    assert mod.can_restrict_members and mod.can_manage_chat and not mod.can_delete_messages
    assert mod.custom_title == "Mod" and not mod.can_be_edited
    assert isinstance(await bot.get_chat_member(SUPERGROUP, 3), ChatMemberMember)
    muted = await bot.get_chat_member(SUPERGROUP, 4)
    assert isinstance(muted, ChatMemberRestricted) and muted.is_member
    assert muted.can_send_polls and not muted.can_send_messages
    assert int(muted.until_date.timestamp()) == later
    assert isinstance(await bot.get_chat_member(SUPERGROUP, 5), ChatMemberLeft)
    banned = await bot.get_chat_member(SUPERGROUP, 6)
    assert isinstance(banned, ChatMemberBanned) and int(banned.until_date.timestamp()) == later
    assert [group.status(p) for p in (sian, eleri, tom, gwen, huw, ifan)] == [
        "creator", "administrator", "member", "restricted", "left", "kicked",
    ]  # fmt: skip
    admins = await bot.get_chat_administrators(SUPERGROUP)
    assert sorted(a.user.first_name for a in admins) == ["Eleri", "Sian"]
    assert await bot.get_chat_member_count(SUPERGROUP) == 5  # four people and the bot
    await fails_with(emu, bot.get_chat_member(SUPERGROUP, 99), 400, "Bad Request: user not found")
    dates.advance(3601)
    assert group.status(gwen) == "member" and group.status(ifan) == "left"
    with pytest.raises(ValueError, match="unknown permissions"):
        group.add(tom, "restricted", can_fly=True)
    with pytest.raises(ValueError, match="already has an owner"):
        group.add(tom, "creator")


async def test_in_privacy_mode_the_bot_sees_only_what_is_meant_for_it(
    emu: BotApiEmulator, bot: Bot
) -> None:
    group = emu.group(GROUP, "Amser Canton")
    eleri = emu.member(2, "Eleri")
    group.add(eleri)
    await bot.send_message(GROUP, "Hello all")
    assert await eleri.send_in(group, "just chatting") is None
    assert await eleri.send_in(group, "/warns@some_other_bot") is None
    seen = [
        await eleri.send_in(group, "/warns"),
        await eleri.send_in(group, "/warns@amser_test_bot please"),
        await eleri.send_in(group, "thanks", reply_to=group.last),
        await eleri.send_in(group, "hey @amser_test_bot"),
    ]
    assert all(update_id is not None for update_id in seen)
    texts = [update.message.text for update in await bot.get_updates()]
    assert texts == ["/warns", "/warns@amser_test_bot please", "thanks", "hey @amser_test_bot"]
    assert "Eleri in Amser Canton (the bot does not see it): just chatting" in emu.transcript()
    assert len(group.sent_messages) == 6  # Telegram keeps them all, seen or not
    assert not (await bot.get_me()).can_read_all_group_messages


async def test_an_administrator_bot_or_one_without_privacy_mode_sees_everything(
    emu: BotApiEmulator, bot: Bot
) -> None:
    group = emu.group(GROUP, "Amser Canton")
    eleri = emu.member(2, "Eleri")
    group.add(eleri)
    await group.set_bot("administrator", quiet=True, can_delete_messages=True)
    assert await eleri.send_in(group, "chatting") is not None
    await group.set_bot("member", quiet=True)
    emu.privacy_mode = False
    assert await eleri.send_in(group, "still chatting") is not None
    assert (await bot.get_me()).can_read_all_group_messages
    updates = await bot.get_updates()
    assert [u.message.text for u in updates] == ["chatting", "still chatting"]


async def test_a_mention_carries_its_entity_and_a_reply_carries_the_message(
    emu: BotApiEmulator, bot: Bot
) -> None:
    group = emu.group(GROUP, "Amser Canton")
    eleri, tom = emu.member(2, "Eleri"), emu.member(3, "Tom")
    group.add(eleri)
    group.add(tom)
    emu.privacy_mode = False
    await tom.send_in(group, "spam spam")
    (spam,) = group.messages_from(tom)
    await eleri.send_in(group, "/warn@amser_test_bot too much", reply_to=spam)
    await eleri.send_in(group, "ping @amser_test_bot")
    updates = await bot.get_updates()
    warn = updates[1].message
    assert warn.reply_to_message.from_user.first_name == "Tom"
    assert warn.reply_to_message.text == "spam spam" and warn.chat.type == "group"
    assert warn.entities[0].type == "bot_command"
    mention = updates[2].message.entities[0]
    assert (mention.type, mention.offset, mention.length) == ("mention", 5, 15)
    with pytest.raises(LookupError, match="no message 99"):
        await eleri.send_in(group, "hm", reply_to=99)


async def test_an_anonymous_administrator_posts_as_the_group(emu: BotApiEmulator, bot: Bot) -> None:
    group = emu.group(SUPERGROUP, "Amser Canton", supergroup=True)
    eleri = emu.member(2, "Eleri")
    group.add(eleri, "administrator", anonymous=True, custom_title="Cydlynydd")
    await eleri.send_in(group, "/ban")
    (update,) = await bot.get_updates()
    message = update.message
    assert message.from_user.id == ANONYMOUS_ADMIN_ID
    assert message.from_user.username == "GroupAnonymousBot"
    assert message.sender_chat.id == SUPERGROUP and message.author_signature == "Cydlynydd"
    assert group.messages_from(eleri)[0]["text"] == "/ban"
    assert "Amser Canton (anonymous admin Eleri): /ban" in emu.transcript()
    basic = emu.group(GROUP, "Small group")
    with pytest.raises(ValueError, match="supergroup"):
        basic.add(eleri, "administrator", anonymous=True)


async def test_joining_and_leaving_send_service_messages_and_chat_member_updates(
    emu: BotApiEmulator, bot: Bot
) -> None:
    group = emu.group(SUPERGROUP, "Amser Canton", supergroup=True)
    sian, eleri, tom = emu.member(1, "Sian"), emu.member(2, "Eleri"), emu.member(3, "Tom")
    group.add(sian, "creator")
    await bot.get_updates(allowed_updates=["message", "chat_member", "my_chat_member"])
    await eleri.join(group)  # the bot is no administrator: no chat_member for it
    await group.set_bot("administrator", can_restrict_members=True)
    await tom.join(group, invited_by=sian)
    await eleri.leave(group)
    updates = await bot.get_updates()
    kinds = [next(k for k in u.to_dict() if k != "update_id") for u in updates]
    assert kinds == [
        "message",
        "my_chat_member",
        "chat_member",
        "message",
        "chat_member",
        "message",
    ]
    assert updates[0].message.new_chat_members[0].first_name == "Eleri"
    assert updates[1].my_chat_member.new_chat_member.status == "administrator"
    joined = updates[2].chat_member
    assert (joined.old_chat_member.status, joined.new_chat_member.status) == ("left", "member")
    assert joined.from_user.first_name == "Sian"
    assert updates[3].message.from_user.first_name == "Sian"
    assert updates[5].message.left_chat_member.first_name == "Eleri"
    assert group.status(eleri) == "left" and group.status(tom) == "member"
    with pytest.raises(RefusedInGroup, match="already in"):
        await tom.join(group)
    with pytest.raises(RefusedInGroup, match="not in"):
        await eleri.leave(group)
    transcript = emu.transcript()
    assert "⚙ Amser Canton: Sian adds Tom" in transcript
    assert "⚙ Amser Canton: Eleri leaves" in transcript


async def test_people_who_may_not_post_are_stopped_by_their_app(
    emu: BotApiEmulator, dates: FakeClock
) -> None:
    group = emu.group(SUPERGROUP, "Amser Canton", supergroup=True)
    eleri, tom, huw = emu.member(2, "Eleri"), emu.member(3, "Tom"), emu.member(4, "Huw")
    group.add(eleri, "restricted", until_date=dates.now + 600, can_send_polls=False)
    group.add(tom, "kicked")
    with pytest.raises(RefusedInGroup, match="may not send messages in Amser Canton until"):
        await eleri.send_in(group, "let me speak")
    with pytest.raises(RefusedInGroup, match="banned"):
        await tom.send_in(group, "hello?")
    with pytest.raises(RefusedInGroup, match="banned"):
        await tom.join(group)
    with pytest.raises(RefusedInGroup, match="Huw is not in"):
        await huw.send_in(group, "hi")
    dates.advance(601)
    await eleri.send_in(group, "/start")  # the restriction has ended by itself
    assert group.status(eleri) == "member"


async def test_a_member_presses_a_button_under_the_bots_group_message(
    emu: BotApiEmulator, bot: Bot
) -> None:
    group = emu.group(GROUP, "Amser Canton")
    eleri = emu.member(2, "Eleri")
    group.add(eleri)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Pick", callback_data="p:1")]])
    await bot.send_message(GROUP, "Which one?", reply_markup=keyboard)
    await eleri.press_in(group, "Pick")
    (update,) = await bot.get_updates()
    query = update.callback_query
    assert query.data == "p:1" and query.from_user.first_name == "Eleri"
    assert query.message.chat.id == GROUP
    await bot.answer_callback_query(query.id, "Done")
    assert "Eleri in Amser Canton presses [Pick]" in emu.transcript()
    with pytest.raises(BadRequest):
        await bot.answer_callback_query(query.id)


async def test_an_administrator_acting_in_the_app_is_seen_by_an_administrator_bot(
    emu: BotApiEmulator, bot: Bot
) -> None:
    group = emu.group(SUPERGROUP, "Amser Canton", supergroup=True)
    sian, eleri, tom = emu.member(1, "Sian"), emu.member(2, "Eleri"), emu.member(3, "Tom")
    group.add(sian, "creator")
    group.add(eleri, "administrator", can_delete_messages=True)
    group.add(tom)
    await group.set_bot("administrator", quiet=True, can_restrict_members=True)
    await bot.get_updates(allowed_updates=["message", "chat_member"])
    with pytest.raises(RefusedInGroup, match="Eleri may not"):
        await group.change(tom, "kicked", by=eleri)
    await group.change(tom, "restricted", by=sian, can_send_polls=True)
    await group.change(tom, "kicked")
    assert await group.change(tom, "kicked") is None  # nothing changed: nothing sent
    updates = await bot.get_updates()
    statuses = [
        (u.chat_member.old_chat_member.status, u.chat_member.new_chat_member.status)
        for u in updates
        if u.chat_member
    ]
    assert statuses == [("member", "restricted"), ("restricted", "kicked")]
    assert updates[-1].message.left_chat_member.first_name == "Tom"
    assert updates[-1].message.from_user.first_name == "Sian"
    assert "⚙ Amser Canton: Sian bans Tom" in emu.transcript()
    with pytest.raises(RefusedInGroup, match="owner"):
        await group.change(sian, "kicked")
