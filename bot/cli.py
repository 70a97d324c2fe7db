"""The `amser` command: run the bot, play the demo, back up the database."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from pathlib import Path

from telegram.error import InvalidToken, NetworkError

from bot.config import TOKEN_ENV, Config, ConfigError, load_config
from bot.demo import play
from bot.runtime import logs
from bot.runtime.app import build_application
from bot.runtime.context import AmserApplication
from bot.runtime.inbox import receiving_updates
from storage.database import DatabaseError, backup

logger = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="amser", description="A Telegram bot for community time banks, in Welsh and English."
    )
    commands = parser.add_subparsers(
        dest="command",
        description=f"With no command: the demo, or the bot if {TOKEN_ENV} is set.",
    )
    run = commands.add_parser("run", help="run the bot (long-polling Telegram)")
    run.add_argument("--config", type=Path, help="TOML config file (default: none, use defaults)")
    commands.add_parser("demo", help="play a short scripted community against a built-in emulator")
    copy = commands.add_parser("backup", help="copy the live database safely")
    copy.add_argument("path", type=Path, help="where to write the copy")
    copy.add_argument("--config", type=Path, help="TOML config file naming the database")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command is None:
        args.command = "run" if os.environ.get(TOKEN_ENV, "").strip() else "demo"
        args.config = None
    try:
        if args.command == "demo":
            print(asyncio.run(play()))
            print(f"\n(That was the demo. To run a real bot, set {TOKEN_ENV}; see README.md.)")
            return 0
        config = load_config(args.config)
        if args.command == "backup":
            backup(config.database_path, args.path)
            print(f"Backed up {config.database_path} to {args.path} and checked the copy")
            return 0
        return _run(config)
    except (ConfigError, DatabaseError) as exc:
        return _fail(str(exc))


def _run(config: Config) -> int:
    if not config.token:
        return _fail(f"no Telegram bot token: set {TOKEN_ENV} or telegram.token in the config")
    logs.configure(config.token)
    return asyncio.run(_serve(build_application(config), config))


async def _serve(application: AmserApplication, config: Config) -> int:
    """Start up (a problem then ends as one clear line), then serve until SIGINT or SIGTERM."""
    try:
        await application.initialize()
    except InvalidToken:
        return _fail("Telegram rejected the bot token: check it with @BotFather")
    except DatabaseError as exc:
        return _fail(str(exc))
    except NetworkError as exc:
        return _fail(f"cannot reach the Bot API at {config.api_base_url}: {exc.message}")
    try:
        await application.start()
        async with receiving_updates(application):
            logger.info("Amser is running; stop it with Ctrl+C")
            await _until_stopped()
            logger.info("stopping: finishing the updates in hand")
        await application.stop()
    finally:
        await application.shutdown()
    return 0


async def _until_stopped() -> None:
    """Returns on SIGINT or SIGTERM."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    signals = (signal.SIGINT, signal.SIGTERM)
    for signum in signals:
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        for signum in signals:
            loop.remove_signal_handler(signum)


def _fail(message: str) -> int:
    print(f"amser: error: {message}", file=sys.stderr)
    return 2
