"""Injected faults: Telegram's errors, timeouts and dropped connections, scripted or by share."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import aiohttp
import pytest
from telegram import Bot
from telegram.error import Forbidden, NetworkError, RetryAfter, TimedOut

from bot.emulator import ApiCall, BotApiEmulator, Limits, SimulatedMember
from bot.runtime.http import AiohttpRequest


@pytest.fixture
def limits() -> Limits:
    # Many sends to one chat on a clock that never moves: keep the flood limits out of the way.
    return Limits(global_per_second=10_000, private_chat_burst=10_000)


@pytest.fixture
async def eleri(emu: BotApiEmulator) -> SimulatedMember:
    member = emu.member(1, "Eleri")
    await member.send("/start")
    return member


@pytest.fixture
async def aiohttp_bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    """A Bot over the application's own aiohttp client, which gives up reading after 0.05 s."""
    request = AiohttpRequest(read_timeout=0.05)
    async with Bot(emu.token, base_url=emu.base_url, request=request) as client:
        yield client


def texts(member: SimulatedMember) -> list[str]:
    return [message.text for message in member.messages]


def sends(emu: BotApiEmulator) -> list[ApiCall]:
    return emu.calls_to("sendMessage")


@pytest.mark.usefixtures("eleri")
@pytest.mark.parametrize(
    ("kind", "error", "body"),
    [
        (
            "429",
            RetryAfter,
            {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 1",
                "parameters": {"retry_after": 1},
            },
        ),
        (
            "500",
            NetworkError,
            {"ok": False, "error_code": 500, "description": "Internal Server Error"},
        ),
        ("502", NetworkError, {"ok": False, "error_code": 502, "description": "Bad Gateway"}),
        (
            "403",
            Forbidden,
            {
                "ok": False,
                "error_code": 403,
                "description": "Forbidden: bot was blocked by the user",
            },
        ),
    ],
)
async def test_error_kinds_answer_as_telegram_and_deliver_nothing(
    emu: BotApiEmulator, bot: Bot, kind: str, error: type[Exception], body: dict
) -> None:
    emu.fail("sendMessage", kind=kind)
    with pytest.raises(error):
        await bot.send_message(1, "lost")
    failed = sends(emu)[-1]
    assert (failed.status, failed.response, failed.note) == (int(kind), body, f"injected {kind}")
    await bot.send_message(1, "next")  # only the one call failed
    assert texts(emu.member(1, "Eleri")) == ["next"]


async def test_retry_after_is_one_second(
    emu: BotApiEmulator, bot: Bot, eleri: SimulatedMember
) -> None:
    emu.fail(kind="429")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(1, "lost")
    assert caught.value.retry_after.total_seconds() == 1


async def test_scripted_faults_match_method_chat_and_count(
    emu: BotApiEmulator, bot: Bot, eleri: SimulatedMember
) -> None:
    await emu.member(2, "Gwyn").send("/start")
    emu.fail("SendMessage", kind="502", times=2, chat_id=2)
    await bot.send_message(1, "to Eleri")
    await bot.get_me()
    for _ in range(2):
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(2, "to Gwyn")
    await bot.send_message(2, "to Gwyn at last")
    assert [(c.params["chat_id"], c.status) for c in sends(emu)] == [
        (1, 200),
        (2, 502),
        (2, 502),
        (2, 200),
    ]


async def test_any_method_means_anything_but_get_updates(
    emu: BotApiEmulator, bot: Bot, eleri: SimulatedMember
) -> None:
    emu.fail(kind="500")
    assert len(await bot.get_updates()) == 1
    with pytest.raises(NetworkError):
        await bot.get_me()
    emu.fail("getUpdates", kind="500")
    with pytest.raises(NetworkError):
        await bot.get_updates()
    assert [c.status for c in emu.calls_to("getUpdates")] == [200, 500]


async def test_drop_closes_the_connection_and_carries_nothing_out(
    emu: BotApiEmulator, bot: Bot, aiohttp_bot: Bot, eleri: SimulatedMember
) -> None:
    emu.fail("sendMessage", kind="drop", times=2)
    with pytest.raises(NetworkError, match="Server disconnected"):
        await bot.send_message(1, "over httpx")
    with pytest.raises(NetworkError, match="ServerDisconnectedError"):
        await aiohttp_bot.send_message(1, "over aiohttp")
    assert texts(eleri) == []
    dropped = sends(emu)
    assert [(c.status, c.response) for c in dropped] == [(0, {}), (0, {})]
    assert all("not carried out" in c.note for c in dropped)


async def test_a_plain_aiohttp_client_sees_the_server_disconnect(
    emu: BotApiEmulator, eleri: SimulatedMember
) -> None:
    emu.fail("sendMessage", kind="drop")
    url = f"{emu.base_url}{emu.token}/sendMessage"
    async with aiohttp.ClientSession() as session:
        with pytest.raises((aiohttp.ServerDisconnectedError, aiohttp.ClientOSError)):
            async with session.post(url, json={"chat_id": 1, "text": "hi"}) as response:
                await response.read()
        async with session.post(url, json={"chat_id": 1, "text": "hi"}) as response:
            assert response.status == 200  # the next connection works
    assert texts(eleri) == ["hi"]


async def test_drop_after_delivers_then_closes(
    emu: BotApiEmulator, aiohttp_bot: Bot, eleri: SimulatedMember
) -> None:
    emu.fail("sendMessage", kind="drop_after")
    with pytest.raises(NetworkError):
        await aiohttp_bot.send_message(1, "did it arrive?")
    assert texts(eleri) == ["did it arrive?"]
    call = sends(emu)[-1]
    assert call.status == 0 and "carried out" in call.note
    assert call.response["result"]["text"] == "did it arrive?"


async def test_timeout_delivers_but_the_client_gives_up(
    emu: BotApiEmulator, aiohttp_bot: Bot, eleri: SimulatedMember
) -> None:
    emu.fail("sendMessage", kind="timeout")
    with pytest.raises(TimedOut):
        await aiohttp_bot.send_message(1, "slow")
    assert texts(eleri) == ["slow"]
    call = await emu.wait_for_call(lambda c: c.method == "sendMessage")
    assert (call.status, call.ok) == (0, False)
    assert call.note.startswith("injected timeout")
    await aiohttp_bot.send_message(1, "fine again")
    assert [c.status for c in sends(emu)] == [0, 200]


async def test_a_held_response_is_released_when_the_emulator_stops() -> None:
    async with BotApiEmulator() as emu:
        await emu.member(1, "Eleri").send("/start")
        emu.fail("sendMessage", kind="timeout")
        async with Bot(emu.token, base_url=emu.base_url, request=AiohttpRequest()) as bot:
            sending = asyncio.create_task(bot.send_message(1, "held"))
            call = await emu.wait_for_call(lambda c: c.method == "sendMessage")
            assert call.status == 0 and not sending.done()
            async with asyncio.timeout(5):
                await emu.stop()
                with pytest.raises(NetworkError):
                    await sending


async def test_a_held_response_arrives_after_the_timeout_delay(
    emu: BotApiEmulator, bot: Bot, eleri: SimulatedMember
) -> None:
    assert emu.timeout_delay == 30
    emu.timeout_delay = 0  # sooner than the client's read timeout: the answer comes late
    emu.fail("sendMessage", kind="timeout")
    sent = await bot.send_message(1, "late")
    assert sent.text == "late"
    assert sends(emu)[-1].status == 0


async def test_wait_for_call_sees_past_faults(
    emu: BotApiEmulator, bot: Bot, eleri: SimulatedMember
) -> None:
    emu.fail("sendMessage", kind="502")
    emu.fail("sendMessage", kind="drop")
    waiting = asyncio.create_task(emu.wait_for_call(lambda c: c.method == "sendMessage" and c.ok))
    for _ in range(2):
        with pytest.raises(NetworkError):
            await bot.send_message(1, "retry me")
    await bot.send_message(1, "retry me")
    found = await waiting
    assert found is sends(emu)[-1] and texts(eleri) == ["retry me"]


async def test_a_share_of_calls_fail_reproducibly(
    emu: BotApiEmulator, bot: Bot, eleri: SimulatedMember
) -> None:
    async def outcomes(seed: int) -> list[int]:
        emu.fail_share(0.5, kinds=["500", "403"], methods={"sendMessage"}, seed=seed)
        for number in range(40):
            with contextlib.suppress(NetworkError, Forbidden):
                await bot.send_message(1, str(number))
        return [call.status for call in sends(emu)[-40:]]

    first = await outcomes(seed=7)
    assert first == await outcomes(seed=7)
    assert {500, 403, 200} == set(first)
    assert len(texts(eleri)) == 2 * first.count(200)
    assert all(c.note == f"injected {c.status}" for c in sends(emu) if not c.ok)
    await bot.get_me()
    assert emu.calls_to("getMe")[-1].ok  # methods named: nothing else fails


async def test_a_share_never_fails_get_updates_unless_named_and_turns_off(
    emu: BotApiEmulator, bot: Bot, eleri: SimulatedMember
) -> None:
    emu.fail_share(1, kinds=["502"])
    assert len(await bot.get_updates()) == 1
    with pytest.raises(NetworkError):
        await bot.send_message(1, "lost")
    emu.fail_share(1, kinds=["502"], methods=["getUpdates"])
    with pytest.raises(NetworkError):
        await bot.get_updates()
    emu.fail_share(0, kinds=())
    assert len(await bot.get_updates()) == 1
    await bot.send_message(1, "delivered")
    assert texts(eleri) == ["delivered"]


async def test_transcript_shows_what_was_not_delivered(
    emu: BotApiEmulator, bot: Bot, eleri: SimulatedMember
) -> None:
    emu.fail(kind="502")
    with pytest.raises(NetworkError):
        await bot.send_message(1, "hello")
    assert emu.transcript().endswith("   ✗ not delivered to Eleri: Bad Gateway\n")


async def test_faults_are_checked(emu: BotApiEmulator) -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        emu.fail("sendMessage", kind="418")
    with pytest.raises(ValueError, match="times"):
        emu.fail(kind="500", times=0)
    with pytest.raises(ValueError, match="between 0 and 1"):
        emu.fail_share(1.5, kinds=["500"])
    with pytest.raises(ValueError, match="kinds"):
        emu.fail_share(0.5, kinds=())
