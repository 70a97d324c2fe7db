"""Act three of the demo: the community's group chat (the welcome, and a mute by reply)."""

from __future__ import annotations

from bot.emulator import BotApiEmulator, SimulatedMember
from bot.runtime.context import AmserApplication

COMMUNITY_GROUP = -1_001_234_567_890

TITLE = "Act three: the community's group chat"
SCENES = (
    "Siân makes Amser an administrator of the community's group; Dai joins it and is "
    "welcomed in Welsh and English, with a button to join the time bank",
    "Dai posts an advert; Siân replies to it with /mute 1d: Dai is muted for a day, and the "
    "action is audited",
)


async def the_bot_joins_the_group_and_welcomes(
    emulator: BotApiEmulator, sian: SimulatedMember, dai: SimulatedMember, app: AmserApplication
) -> None:
    group = emulator.group(COMMUNITY_GROUP, "Amser Caerdydd", supergroup=True)
    group.add(sian, "creator")
    await group.set_bot("administrator", can_restrict_members=True, can_delete_messages=True)
    await dai.join(group)
    await app.settle()


async def an_advert_is_muted(
    emulator: BotApiEmulator, sian: SimulatedMember, dai: SimulatedMember
) -> None:
    group = emulator.group(COMMUNITY_GROUP, "Amser Caerdydd", supergroup=True)
    await dai.send_in(group, "Cheap watches!! DM me")
    advert = group.messages_from(dai)[-1]
    await sian.send_in(group, "/mute 1d advertising", reply_to=advert)
