"""Logs never hold what members wrote, their names, or the token, at any level."""

from __future__ import annotations

import logging

import pytest

from bot.emulator import BotApiEmulator
from bot.runtime.context import AmserApplication
from bot.runtime.logs import RedactToken
from tests.helpers import joined


async def test_nothing_a_member_wrote_reaches_the_logs_even_at_debug(
    bot: AmserApplication, emulator: BotApiEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    ann = await joined(emulator, 1, "Zebedee")
    await ann.send("/offer")
    await ann.press("Gardening")
    await ann.send("Quixotic hedge trimming")
    await ann.send("/balance")
    for secret in ("Zebedee", "Quixotic", bot.config.token or "-"):
        assert secret not in caplog.text


def test_the_token_is_taken_out_of_every_line() -> None:
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "cannot reach %s", ("https://h/bot123:ABC/getMe",), None
    )
    assert RedactToken("123:ABC").filter(record)
    assert record.getMessage() == "cannot reach https://h/bot<token>/getMe"
