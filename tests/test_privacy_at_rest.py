"""Privacy at rest: /forget leaves the member's words nowhere in the files (not in a table, a
full-text shadow table, a freed page or the write-ahead log), and every file is the owner's
alone."""

from __future__ import annotations

import os
import sqlite3
import stat
from contextlib import closing
from pathlib import Path

from bot.config import Config
from bot.runtime.context import AmserApplication
from storage.database import Database
from tests.helpers import join, joined, member_of, tap
from tests.test_cli import amser
from tests.test_database_files import community_at, config_naming
from tests.test_introductions import introduced

# One unusual word for each place a member's words go; none is changed by the search
# normaliser, so the indexes hold them as typed.
NAME = "Gwenzorvak"
OFFERS = "trellqovax"
MATTERS = "mattqivex"
TITLE = "plovrixt"
DETAILS = "brumqaxt"
RELAYED = "snorqvixt"
FORM_ANSWER = "formqazvix"
TELEGRAM_NAME = "Telqorvix"  # her name on Telegram, in every update she sends (the inbox)
WORDS = (NAME, OFFERS, MATTERS, TITLE, DETAILS, RELAYED, FORM_ANSWER, TELEGRAM_NAME)


def traces(data: bytes) -> set[str]:
    """The words found in raw bytes. Full-text segments store a term after the prefix it
    shares with the one before it, so the end of each word is looked for too."""
    lowered = data.lower()
    return {word for word in WORDS if word.lower().encode() in lowered or word[3:].encode() in data}


def traces_in_cells(path: Path) -> set[str]:
    """The words found in any cell of any table, shadow tables included."""
    found: set[str] = set()
    with closing(sqlite3.connect(path)) as db:
        tables = [
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}"'):
                for cell in row:
                    if isinstance(cell, str):
                        found |= traces(cell.encode())
                    elif isinstance(cell, bytes):
                        found |= traces(cell)
    return found


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def beside(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


async def test_forget_leaves_no_trace_in_any_table_shadow_table_or_the_log(
    bot: AmserApplication, emulator, config: Config
) -> None:
    huw = await joined(emulator, 402, "Huw")
    gwen = emulator.member(401, TELEGRAM_NAME)
    await join(gwen, name=NAME, categories=("Gardening",))
    await gwen.send("/profile")
    await gwen.press("In my words")
    await gwen.send(f"Hedges and {OFFERS}")
    await gwen.press("What matters")
    await gwen.send(f"Kindness and {MATTERS}")
    await gwen.send("/offer")
    await gwen.press("Gardening")
    await gwen.send(f"Weeding {TITLE}")
    await gwen.send(f"Any garden, {DETAILS}")
    await gwen.press("Canton")
    await gwen.press("Weekends")
    await gwen.press("30 days")
    await gwen.press("Post it")
    assert (await bot.services.listings.by_member((await member_of(bot, gwen)).id))[0].title == (
        f"Weeding {TITLE}"
    )
    await introduced(bot, huw, gwen)
    await tap(bot, gwen, "in", "msg")
    await gwen.send(f"Tuesday, {RELAYED}?")
    assert RELAYED in huw.last.text
    await gwen.send("/request")
    await gwen.press("Gardening")
    await gwen.send(f"Help with {FORM_ANSWER}")  # a form left half-way
    # Every word is in the database before she goes (so the checks below can see them).
    assert traces_in_cells(config.database_path) >= set(WORDS) - {RELAYED, TELEGRAM_NAME}
    await gwen.send("/forget")
    await gwen.press("Yes, erase my details")
    assert "Your details have been erased" in gwen.last.text

    assert traces_in_cells(config.database_path) == set()
    assert traces(config.database_path.read_bytes()) == set()
    wal = beside(config.database_path, "-wal")
    if wal.exists():
        assert traces(wal.read_bytes()) == set()


async def test_files_are_made_for_their_owner_only(
    bot: AmserApplication, emulator, config: Config
) -> None:
    await joined(emulator, 403, "Ifor")  # some writes, so the log and shared memory exist
    for path in (
        config.database_path,
        *(beside(config.database_path, s) for s in ("-wal", "-shm")),
    ):
        assert path.exists() and mode(path) == 0o600, path


async def test_an_existing_world_readable_database_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "amser.db"
    await (await Database.open(path)).close()
    os.chmod(path, 0o644)
    db = await Database.open(path)
    try:
        assert mode(path) == 0o600
    finally:
        await db.close()


async def test_a_backup_is_made_for_its_owner_only(tmp_path: Path) -> None:
    live = tmp_path / "amser.db"
    await community_at(live)
    config = config_naming(tmp_path, live)
    code, _, err = await amser("backup", "copy.db", "--config", str(config), cwd=tmp_path)
    assert code == 0, err
    assert mode(tmp_path / "copy.db") == 0o600
    for path in (live, beside(live, "-wal"), beside(live, "-shm")):
        assert not path.exists() or mode(path) == 0o600, path
