"""The bot copes with everything that happens in a group it is in, before it moderates any."""

from __future__ import annotations

from bot.emulator import BotApiEmulator
from bot.runtime.context import AmserApplication
from tests.helpers import joined

GROUP = -4_012_345_678
SUPERGROUP = -1_009_876_543_210


async def test_group_life_troubles_no_handler(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    group = emulator.group(GROUP, "Amser Canton")
    emulator.privacy_mode = False  # the bot hears every word said there
    eleri = await joined(emulator, 701, "Eleri")
    sian = emulator.member(702, "Sian")
    group.add(sian, "creator")
    await group.set_bot("administrator", can_restrict_members=True)
    await eleri.join(group)
    await eleri.send_in(group, "hello all")
    await eleri.send_in(group, "/start")
    await eleri.send_in(group, "/help@amser_test_bot")
    successor = await group.migrate_to_supergroup(SUPERGROUP)
    await eleri.send_in(successor, "/warns")
    await eleri.leave(successor)
    await successor.set_bot("kicked", by=sian)
    before = len(eleri.messages)
    await eleri.send("/help")  # and the private chat goes on as before
    assert len(eleri.messages) == before + 1
