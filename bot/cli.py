"""The `amser` command: run the bot, play the demo, back up the database."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from telegram import Update
from telegram.error import InvalidToken, NetworkError

from bot.config import TOKEN_ENV, Config, ConfigError, load_config
from bot.demo import play
from bot.runtime import logs
from bot.runtime.app import build_application
from storage.database import DatabaseError, backup


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
    application = build_application(config)
    # Start up on the loop run_polling will use, so start-up problems end as one clear line
    # (run_polling's own start-up retries log a traceback for each).
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(application.initialize())
    except InvalidToken:
        return _fail("Telegram rejected the bot token: check it with @BotFather")
    except DatabaseError as exc:
        return _fail(str(exc))
    except NetworkError as exc:
        return _fail(f"cannot reach the Bot API at {config.api_base_url}: {exc.message}")
    application.run_polling(
        allowed_updates=Update.ALL_TYPES, timeout=config.poll_timeout, close_loop=True
    )
    return 0


def _fail(message: str) -> int:
    print(f"amser: error: {message}", file=sys.stderr)
    return 2
