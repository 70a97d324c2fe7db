"""The database file as a coordinator handles it: backups that are real copies wherever they
are written, and a database from a newer Amser refused with one clear line."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.emulator import BotApiEmulator
from storage import database
from storage.database import Database, DatabaseError, backup, migrations
from storage.members import MemberRepository
from tests.test_cli import amser, assert_one_line_error, emulator_config, environment

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
MEMBERS = {701: "Eleri", 702: "Tom", 703: "Siân"}


async def community_at(path: Path) -> None:
    """An Amser database at `path` with a few members in it."""
    db = await Database.open(path)
    try:
        members = MemberRepository(db)
        for telegram_id, name in MEMBERS.items():
            member = await members.join(telegram_id, "cy", NOW)
            await members.update(member.id, NOW, display_name=name)
    finally:
        await db.close()


def members_in(path: Path) -> dict[int, str]:
    with closing(sqlite3.connect(path)) as connection:
        rows = connection.execute("SELECT telegram_id, display_name FROM members").fetchall()
    return dict(rows)


def names_in(directory: Path) -> set[str]:
    return {path.name for path in directory.iterdir()}


def config_naming(directory: Path, database_path: Path) -> Path:
    config = directory / "config.toml"
    config.write_text(f'[database]\npath = "{database_path}"\n')
    return config


@pytest.mark.parametrize(
    ("source", "copy"),
    [("amser.db", "my#backup?.db"), ("live#1?/amser #2?.db", "copy.db")],
    ids=["to a path with # and ?", "from a path with # and ?"],
)
async def test_backup_copies_every_member_whatever_the_path(
    tmp_path: Path, source: str, copy: str
) -> None:
    live = tmp_path / source
    live.parent.mkdir(exist_ok=True)
    await community_at(live)
    config = config_naming(tmp_path, live)
    before = names_in(tmp_path)
    code, out, err = await amser("backup", copy, "--config", str(config), cwd=tmp_path)
    assert code == 0, err
    assert f"to {copy}" in out
    assert members_in(tmp_path / copy) == MEMBERS
    with closing(sqlite3.connect(tmp_path / copy)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == migrations()[-1][0]
    # Nothing else was made on the way (a path cut short at # or ? opens a new, empty file);
    # reading the live database in WAL mode may leave its -wal and -shm files, as the bot does.
    made = names_in(tmp_path) - before
    assert made - {f"{live.name}-wal", f"{live.name}-shm"} == {copy}


async def test_backup_of_a_file_that_is_not_an_amser_database_is_refused(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "amser.db") as connection:
        connection.execute("CREATE TABLE t (x)")
    code, _, err = await amser("backup", "copy.db", cwd=tmp_path)
    assert_one_line_error(code, err, "not an Amser database", "amser.db")
    assert not (tmp_path / "copy.db").exists()


async def test_a_copy_that_fails_its_check_is_reported_and_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await community_at(tmp_path / "amser.db")

    def copies_nothing(source: sqlite3.Connection, destination: Path) -> None:
        destination.write_bytes(b"")

    monkeypatch.setattr(database, "_copy", copies_nothing)
    with pytest.raises(DatabaseError, match=r"copy\.db failed its check") as failed:
        backup(tmp_path / "amser.db", tmp_path / "copy.db")
    assert "\n" not in str(failed.value)
    assert not (tmp_path / "copy.db").exists()


async def newer_database(path: Path) -> int:
    """A database as a newer Amser would leave it: one migration beyond ours."""
    await community_at(path)
    newer = migrations()[-1][0] + 1
    with closing(sqlite3.connect(path)) as connection:
        connection.execute(f"PRAGMA user_version = {newer}")
    return newer


async def test_a_database_from_a_newer_amser_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "amser.db"
    newer = await newer_database(path)
    with pytest.raises(DatabaseError) as refused:
        await Database.open(path)
    message = str(refused.value)
    assert "newer Amser" in message and "upgrade" in message and str(path) in message
    assert "\n" not in message
    with closing(sqlite3.connect(path)) as connection:  # left exactly as it was
        assert connection.execute("PRAGMA user_version").fetchone()[0] == newer
    assert members_in(path) == MEMBERS


async def test_run_on_a_database_from_a_newer_amser_is_one_line(
    tmp_path: Path, emulator: BotApiEmulator
) -> None:
    path = tmp_path / "amser.db"
    await newer_database(path)
    config = await emulator_config(tmp_path, emulator, database=str(path))
    code, _, err = await amser(
        "run",
        "--config",
        str(config),
        cwd=tmp_path,
        env=environment(TELEGRAM_BOT_TOKEN=emulator.token),
    )
    assert_one_line_error(code, err, "newer Amser", "upgrade")
