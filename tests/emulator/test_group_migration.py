"""A group becoming a supergroup, and a PTB Application moderating a group end to end."""

from __future__ import annotations

import pytest
from telegram import Bot, ChatPermissions, Update
from telegram.constants import ChatMemberStatus
from telegram.error import ChatMigrated
from telegram.ext import CommandHandler, ContextTypes, MessageHandler, filters

from bot.emulator import BotApiEmulator
from tests.emulator.helpers import GROUP, SUPERGROUP, StartApp, fails_with


async def test_migration_tells_the_bot_both_ids_and_the_old_id_then_fails(
    emu: BotApiEmulator, bot: Bot
) -> None:
    group = emu.group(GROUP, "Amser Canton")
    sian, tom = emu.member(1, "Sian"), emu.member(3, "Tom")
    group.add(sian, "creator")
    group.add(tom, "restricted", can_send_messages=True)
    await bot.send_message(GROUP, "Before")
    successor = await group.migrate_to_supergroup(SUPERGROUP)
    assert emu.group(SUPERGROUP, "whatever") is successor and successor.supergroup
    assert group.migrated_to == SUPERGROUP and successor.status(tom) == "restricted"
    old, new = (update.message for update in await bot.get_updates())
    assert (old.chat.id, old.migrate_to_chat_id) == (GROUP, SUPERGROUP)
    assert (new.chat.id, new.chat.type, new.migrate_from_chat_id) == (
        SUPERGROUP,
        "supergroup",
        GROUP,
    )
    assert old.from_user.first_name == "Sian"
    upgraded = "Bad Request: group chat was upgraded to a supergroup chat"
    error = await fails_with(emu, bot.send_message(GROUP, "After"), 400, upgraded)
    assert isinstance(error, ChatMigrated) and error.new_chat_id == SUPERGROUP
    assert emu.calls[-1].response["parameters"] == {"migrate_to_chat_id": SUPERGROUP}
    await bot.send_message(SUPERGROUP, "After")
    assert [m.text for m in group.messages] == ["Before"]
    assert successor.last.text == "After"
    assert "⚙ Amser Canton: becomes a supergroup (chat id" in emu.transcript()
    with pytest.raises(ValueError, match="already a supergroup"):
        await successor.migrate_to_supergroup(-1_009_999)


async def test_a_ptb_application_moderates_a_group_end_to_end(
    emu: BotApiEmulator, start_app: StartApp
) -> None:
    group = emu.group(GROUP, "Amser Canton")
    sian, eleri, tom = emu.member(1, "Sian"), emu.member(2, "Eleri"), emu.member(3, "Tom")
    group.add(sian, "creator")
    group.add(eleri, "administrator", can_restrict_members=True)
    group.add(tom)
    await group.set_bot("administrator", quiet=True, can_restrict_members=True)
    chats: dict[int, int] = {}

    async def mute(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        chat = update.effective_chat
        if message is None or chat is None or message.reply_to_message is None:
            return
        asker = await chat.get_member(message.from_user.id)
        if asker.status not in {ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR}:
            await message.reply_text("Only admins may mute.")
            return
        target = message.reply_to_message.from_user
        await chat.restrict_member(target.id, ChatPermissions(can_send_messages=False))
        await message.reply_text(f"{target.first_name} is muted.")

    async def migrated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is not None and message.migrate_to_chat_id:
            chats[message.chat.id] = message.migrate_to_chat_id

    await start_app(
        CommandHandler("mute", mute, filters.ChatType.GROUPS),
        MessageHandler(filters.StatusUpdate.MIGRATE, migrated),
    )
    await tom.send_in(group, "noise")  # the bot is an administrator: it sees everything
    (noise,) = group.messages_from(tom)
    await tom.send_in(group, "/mute", reply_to=noise)
    assert group.last.text == "Only admins may mute."
    successor = await group.migrate_to_supergroup(SUPERGROUP)
    assert chats == {GROUP: SUPERGROUP}
    await eleri.send_in(successor, "/mute", reply_to=successor.sent_messages[0])
    assert successor.status(sian) == "creator"  # the service message was Sian's: refused
    assert (
        "can't remove chat owner" in emu.calls_to("restrictChatMember")[-1].response["description"]
    )
    await tom.send_in(successor, "more noise")
    (more,) = successor.messages_from(tom)
    await eleri.send_in(successor, "/mute", reply_to=more)
    assert successor.last.text == "Tom is muted." and successor.status(tom) == "restricted"
    transcript = emu.transcript()
    assert "Eleri in Amser Canton: (in reply to “more noise”) /mute" in transcript
    assert "⚖ Bot in Amser Canton: mutes Tom for ever" in transcript
    assert "Bot → Amser Canton: Tom is muted." in transcript
