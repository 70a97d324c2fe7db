"""The same update delivered again (Telegram never learnt it had arrived: the bot restarted
first) is answered once: crisis words get the helplines once, and "yes, please ask someone to
get in touch" asks once, in English and Welsh."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import Config
from bot.emulator import BotApiEmulator
from bot.runtime.clock import FakeClock
from bot.runtime.harness import running_bot
from storage.database import Database
from storage.helpline_replies import HelplineReplyRepository
from storage.members import MemberRepository
from tests.conftest import AMBASSADOR_ID
from tests.helpers import joined
from tests.test_safeguarding import ASK_CY, ASK_EN, HELPLINES_CY, HELPLINES_EN, contact_requests
from tests.test_support_storage import NOW, active


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "replies.db")
    yield database
    await database.close()


CASES = {
    "en": ("I just want to die", HELPLINES_EN, ASK_EN, "would like someone from the community"),
    "cy": ("Dw i wedi bod yn meddwl am ladd fy hun", HELPLINES_CY, ASK_CY, "i rywun o'r gymuned"),
}


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_crisis_words_delivered_again_get_one_reply_and_ask_once(
    config: Config, emulator: BotApiEmulator, clock: FakeClock, language: str
) -> None:
    words, helplines, ask, asked = CASES[language]
    async with running_bot(config, emulator, clock) as app:
        ambassador = await joined(emulator, AMBASSADOR_ID, "Alys", language=language)
        ann = await joined(emulator, 701, "Ann", language=language)
        said = await ann.send(words)
        (reply,) = [m for m in ann.messages if helplines in m.text]
        pressed = await ann.press(ask, reply)
        await app.settle()
        assert len(await contact_requests(app)) == 1
        assert sum(asked in m.text for m in ambassador.messages) == 1
        assert not app.services.errors

    # Both updates come again under their own ids, as after a restart before the offset
    # confirming them reached Telegram.
    emulator.redeliver(said)
    emulator.redeliver(pressed)
    async with running_bot(config, emulator, clock) as app:
        for update_id in (said, pressed):
            await asyncio.wait_for(app.wait_processed(update_id), 10)
        await app.settle()
        assert [m.message_id for m in ann.messages if helplines in m.text] == [reply.message_id]
        assert len(await contact_requests(app)) == 1
        assert sum(asked in m.text for m in ambassador.messages) == 1
        assert not app.services.errors


async def test_each_new_message_with_crisis_words_is_answered(
    config: Config, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    """Different messages are each answered: only the same message is not answered twice."""
    async with running_bot(config, emulator, clock) as app:
        ann = await joined(emulator, 702, "Ann")
        await ann.send("I just want to die")
        await ann.send("I just want to die")
        assert sum(HELPLINES_EN in m.text for m in ann.messages) == 2
        assert not app.services.errors


async def test_answered_messages_are_remembered_two_days_shown_and_forgotten(
    db: Database,
) -> None:
    members, replies = MemberRepository(db), HelplineReplyRepository(db)
    ann = await active(members, 1)
    await replies.record(1, 40, NOW)
    await replies.record(1, 40, NOW)  # twice: once
    await replies.record(2, 40, NOW)  # another chat's message 40
    assert await replies.answered(1, 40) and not await replies.answered(1, 41)
    assert [
        row["message_id"] for row in (await members.personal_data(ann.id))["helpline_replies"]
    ] == [40]
    later = NOW + timedelta(days=2, seconds=1)
    await replies.record(1, 41, later)  # the write forgets those two days old
    assert not await replies.answered(1, 40) and not await replies.answered(2, 40)
    assert await replies.answered(1, 41)
    await members.erase(ann.id, later)
    assert not await replies.answered(1, 41)
