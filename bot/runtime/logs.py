"""Logging that never holds what members wrote, their names, or the bot's token.

Libraries that log whole requests and updates at DEBUG (python-telegram-bot, aiosqlite with
its SQL parameters) are held at INFO whatever the root level, and every line is stripped of
the token before it is written."""

from __future__ import annotations

import logging

# Loggers that would write message texts, names or SQL parameters below INFO.
TALKATIVE = ("telegram", "aiosqlite", "httpx", "httpcore", "aiohttp")


def keep_private() -> None:
    """Hold the talkative libraries at INFO, however verbose the root logger is."""
    for name in TALKATIVE:
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < logging.INFO or logger.level < logging.INFO:
            logger.setLevel(logging.INFO)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


class RedactToken(logging.Filter):
    """Replaces the token wherever it appears in a log line (a URL in an error, say)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self._token and self._token in message:
            record.msg = message.replace(self._token, "<token>")
            record.args = None
        return True


def configure(token: str, level: int = logging.INFO) -> None:
    """The logging of `amser run`: one line per record, private."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactToken(token))
    keep_private()
