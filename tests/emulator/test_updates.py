"""Updates beyond messages and presses: my_chat_member on (un)blocking, and raw update bodies."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from telegram import Bot, ChatMemberBanned, ChatMemberMember, Update
from telegram.ext import ChatMemberHandler, ContextTypes

from bot.emulator import BotApiEmulator, SimulatedMember
from tests.emulator.helpers import StartApp

POISON = {"message": {"message_id": "x", "date": "nonsense"}}


@pytest.fixture
async def eleri(emu: BotApiEmulator) -> SimulatedMember:
    member = emu.member(1, "Eleri")
    await member.send("/start")
    return member


async def raw_updates(emu: BotApiEmulator, **params: Any) -> list[dict[str, Any]]:
    """getUpdates as JSON, without PTB decoding it."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{emu.base_url}{emu.token}/getUpdates", json=params) as response,
    ):
        body = await response.json()
    assert body["ok"], body
    return body["result"]


async def test_blocking_and_unblocking_queue_my_chat_member(
    emu: BotApiEmulator, bot: Bot, eleri: SimulatedMember
) -> None:
    start = (await bot.get_updates())[-1].update_id
    blocked = eleri.block_bot()
    assert eleri.block_bot() is None  # already blocked: nothing changes, nothing is sent
    unblocked = eleri.unblock_bot()
    assert eleri.unblock_bot() is None
    updates = await bot.get_updates(offset=start + 1)
    assert [u.update_id for u in updates] == [blocked, unblocked]
    kicked, back = (u.my_chat_member for u in updates)
    assert kicked is not None and back is not None
    assert (kicked.chat.id, kicked.chat.type, kicked.from_user.id) == (1, "private", 1)
    assert isinstance(kicked.old_chat_member, ChatMemberMember)
    assert isinstance(kicked.new_chat_member, ChatMemberBanned)
    assert kicked.new_chat_member.user.id == (await bot.get_me()).id
    assert isinstance(back.old_chat_member, ChatMemberBanned)
    assert isinstance(back.new_chat_member, ChatMemberMember)


async def test_my_chat_member_is_telegram_json(emu: BotApiEmulator, eleri: SimulatedMember) -> None:
    update_id = eleri.block_bot()
    (update,) = [u for u in await raw_updates(emu) if u["update_id"] == update_id]
    change = update["my_chat_member"]
    assert change["old_chat_member"]["status"] == "member"
    assert change["new_chat_member"]["status"] == "kicked"
    assert change["new_chat_member"]["until_date"] == 0
    assert change["from"]["id"] == change["chat"]["id"] == 1


async def test_allowed_updates_filter_my_chat_member(
    emu: BotApiEmulator, bot: Bot, eleri: SimulatedMember
) -> None:
    eleri.block_bot()
    only_messages = await bot.get_updates(allowed_updates=["message"])
    assert [u.message is not None for u in only_messages] == [True]
    only_membership = await bot.get_updates(allowed_updates=["my_chat_member"])
    assert [u.my_chat_member is not None for u in only_membership] == [True]
    by_default = await bot.get_updates(allowed_updates=[])
    assert len(by_default) == 2  # my_chat_member is delivered by default, as by Telegram


async def test_an_application_learns_it_was_blocked(
    emu: BotApiEmulator, start_app: StartApp
) -> None:
    seen: list[tuple[int, str]] = []

    async def membership(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        change = update.my_chat_member
        assert change is not None
        seen.append((change.chat.id, change.new_chat_member.status))

    await start_app(ChatMemberHandler(membership, ChatMemberHandler.MY_CHAT_MEMBER))
    eleri = emu.member(1, "Eleri")
    await eleri.send("/start")
    assert emu.settle is not None
    blocked = eleri.block_bot()
    assert blocked is not None
    await emu.settle(blocked)
    unblocked = eleri.unblock_bot()
    assert unblocked is not None
    await emu.settle(unblocked)
    assert seen == [(1, "kicked"), (1, "member")]


async def test_a_raw_update_is_delivered_as_it_is(
    emu: BotApiEmulator, bot: Bot, eleri: SimulatedMember
) -> None:
    payload = {"update_id": 999, "message": dict(POISON["message"])}
    update_id = emu.push_raw_update(payload)
    payload["message"]["message_id"] = "changed"  # the queued update is a copy
    fetched = await raw_updates(emu)
    assert fetched[-1] == {"update_id": update_id, **POISON}
    assert update_id == fetched[-2]["update_id"] + 1  # numbered like any other update
    with pytest.raises(TypeError):
        await bot.get_updates()  # PTB cannot decode it
    assert await raw_updates(emu, offset=update_id + 1) == []
    assert emu.pending_updates == []


async def test_an_empty_raw_update_passes_any_filter(emu: BotApiEmulator) -> None:
    update_id = emu.push_raw_update({})
    assert await raw_updates(emu, allowed_updates=["message"]) == [{"update_id": update_id}]


async def test_an_update_is_delivered_again_under_its_own_id(
    emu: BotApiEmulator, bot: Bot, eleri: SimulatedMember
) -> None:
    said = await eleri.send("hello")
    first = [u for u in await bot.get_updates() if u.update_id == said]
    assert first and first[0].message is not None
    assert await bot.get_updates(offset=said + 1) == ()  # confirmed: gone
    emu.redeliver(said)
    emu.redeliver(said)  # still pending: queued once
    assert [u["update_id"] for u in emu.pending_updates] == [said]
    assert await bot.get_updates(offset=said + 1) == ()  # a poll past it confirms it again
    emu.redeliver(said)
    again = await bot.get_updates()  # a fresh start polls without an offset
    assert [u.update_id for u in again] == [said]
    assert again[0].message is not None and again[0].message.text == "hello"
    with pytest.raises(LookupError):
        emu.redeliver(said + 100)
