"""A local Telegram Bot API emulator: the bot talks to it exactly as to api.telegram.org.

async with BotApiEmulator() as emu:
    app = (ApplicationBuilder().token(emu.token).base_url(emu.base_url)
           .base_file_url(emu.base_file_url).build())
    ...  # add handlers, initialize, start, app.updater.start_polling()
    emu.settle = settle_after_processing(emu, app.update_queue)
    eleri = emu.member(1, "Eleri", language_code="cy")
    await eleri.send("/start")      # returns once the bot has handled it
    await eleri.press("Cymraeg")
    print(emu.transcript())
"""

from bot.emulator.emulator import BotApiEmulator
from bot.emulator.groups import RefusedInGroup, SimulatedGroup
from bot.emulator.limits import Limits
from bot.emulator.members import SimulatedMember
from bot.emulator.models import ApiCall, BotMessage, Document, InlineButton
from bot.emulator.settling import settle_after_processing

__all__ = [
    "ApiCall",
    "BotApiEmulator",
    "BotMessage",
    "Document",
    "InlineButton",
    "Limits",
    "RefusedInGroup",
    "SimulatedGroup",
    "SimulatedMember",
    "settle_after_processing",
]
