"""The SQLite database: connections, serialised write transactions and migrations."""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from contextlib import closing
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from storage.timestamps import to_db

BUSY_TIMEOUT_MS = 5000

# Query parameters: values for ? placeholders in order, or a mapping for :named ones.
Params = Iterable[Any] | Mapping[str, Any]
T = TypeVar("T")


class DatabaseError(Exception):
    """The database could not be opened or migrated; the message is one line for a human."""


def migrations() -> list[tuple[int, str]]:
    """The numbered migrations shipped in storage/migrations, in order."""
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        match = re.fullmatch(r"(\d{4})_\w+\.sql", entry.name)
        if match:
            found.append((int(match.group(1)), entry.read_text(encoding="utf-8")))
    return sorted(found)


class Database:
    """One writer connection behind a lock, and one reader connection (WAL lets them overlap)."""

    def __init__(self, writer: aiosqlite.Connection, reader: aiosqlite.Connection) -> None:
        self._writer = writer
        self._reader = reader
        self._write_lock = asyncio.Lock()
        self._written = asyncio.Event()

    @classmethod
    async def open(cls, path: Path) -> Database:
        """Create or migrate the database, then connect; a bad path is a DatabaseError."""
        await asyncio.to_thread(prepare, path)
        writer = await _connect(path)
        reader = await _connect(path)
        return cls(writer, reader)

    async def close(self) -> None:
        await self._reader.close()
        await self._writer.close()

    async def write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run `work` as one BEGIN IMMEDIATE transaction, committed if it returns and rolled
        back if it raises. It runs in a single call on the database thread, so SQLite's write
        lock is held only for SQLite's own time, never across the event loop."""
        async with self._write_lock:
            writer = self._writer
            # aiosqlite has no public "run this on the connection's thread"; _execute is it.
            result: T = await writer._execute(_in_transaction, writer, work)
        self._written.set()
        self._written = asyncio.Event()
        return result

    async def scrub(self) -> None:
        """Rewrite every full-text index without its deleted entries, then copy the write-ahead
        log into the database and empty it: after an erasure, the words erased are nowhere in
        the files (secure_delete has zeroed the pages they were on)."""
        await self.write(optimise_fts_in)
        async with self._write_lock:
            writer = self._writer
            await writer._execute(_checkpoint, writer)

    async def next_write(self) -> None:
        """Returns once another write transaction has committed (for the outbox sender)."""
        await self._written.wait()

    async def fetch_one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_all(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        # Run and finish the statement in one call: a statement left open across an await would
        # hold the reader's snapshot, and other tasks' reads would miss newer commits.
        return list(await self._reader.execute_fetchall(sql, _bound(params)))


def _in_transaction(writer: aiosqlite.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    connection = writer._conn  # on the database thread, where the connection lives
    connection.execute("BEGIN IMMEDIATE")
    try:
        result = work(connection)
    except BaseException:
        connection.rollback()
        raise
    connection.commit()
    return result


def _checkpoint(writer: aiosqlite.Connection) -> None:
    writer._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def fts_tables(tx: sqlite3.Connection) -> list[str]:
    """The names of the full-text (FTS5 virtual) tables."""
    rows = tx.execute(
        "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'"
        " ORDER BY name"
    ).fetchall()
    return [row[0] for row in rows]


def optimise_fts_in(tx: sqlite3.Connection) -> None:
    """Merge each full-text index into one segment, dropping deleted entries from the shadow
    tables (SQLite 3.40's FTS5 has no 'secure-delete' option to do it as they go)."""
    for table in fts_tables(tx):
        tx.execute(f'INSERT INTO "{table}" ("{table}") VALUES (\'optimize\')')


async def _connect(path: Path) -> aiosqlite.Connection:
    connection = await aiosqlite.connect(path, isolation_level=None)
    connection.row_factory = sqlite3.Row
    await connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    await connection.execute("PRAGMA foreign_keys=ON")
    await connection.execute("PRAGMA synchronous=FULL")
    await connection.execute("PRAGMA secure_delete=ON")
    return connection


def update_row_in(
    tx: sqlite3.Connection,
    table: str,
    key: tuple[str, object],
    changes: Mapping[str, object],
    allowed: frozenset[str],
    now: datetime,
) -> None:
    """Set some columns of one row, only those allowed, and its updated_at."""
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"not editable in {table}: {sorted(unknown)}")
    values = [to_db(v) if isinstance(v, datetime) else v for v in changes.values()]
    assignments = "".join(f"{column} = ?, " for column in changes)
    key_column, key_value = key
    tx.execute(
        f"UPDATE {table} SET {assignments}updated_at = ? WHERE {key_column} = ?",
        (*values, to_db(now), key_value),
    )


def fetch_one_in(tx: sqlite3.Connection, sql: str, params: Params = ()) -> sqlite3.Row | None:
    """One row read inside a write transaction (sees its own uncommitted writes)."""
    rows = tx.execute(sql, _bound(params)).fetchall()
    return rows[0] if rows else None


def fetch_all_in(tx: sqlite3.Connection, sql: str, params: Params = ()) -> list[sqlite3.Row]:
    """Rows read inside a write transaction (sees its own uncommitted writes)."""
    return tx.execute(sql, _bound(params)).fetchall()


def private(path: Path) -> None:
    """Make the file (created empty if missing) and its write-ahead log and shared-memory files
    readable by their owner only. SQLite gives the -wal, -shm and -journal files it creates the
    database file's mode, so making the database file first is enough for those."""
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists():
            os.chmod(file, 0o600)


def _bound(params: Params) -> tuple[Any, ...] | Mapping[str, Any]:
    """Values for ? placeholders in order, or for :named ones by name (never ?1, ?2: Python
    3.12 deprecates binding those from a sequence, and 3.14 refuses)."""
    return params if isinstance(params, Mapping) else tuple(params)


def prepare(path: Path) -> None:
    """Turn on WAL and apply the migrations not yet applied, each in its own transaction; a
    database from a newer Amser (a migration this one doesn't know) is refused untouched."""
    try:
        private(path)
        with closing(sqlite3.connect(path, isolation_level=None)) as connection:
            connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA secure_delete=ON")
            current = _schema_version(connection)
            shipped = migrations()
            latest = shipped[-1][0] if shipped else 0
            if current > latest:
                raise DatabaseError(
                    f"the database at {path} was made by a newer Amser (schema version {current};"
                    f" this Amser knows up to {latest}): upgrade Amser to use it"
                )
            connection.execute("PRAGMA journal_mode=WAL")
            migrate_to(connection)
    except (sqlite3.Error, OSError) as exc:
        raise DatabaseError(f"cannot use the database at {path}: {exc}") from exc


def _schema_version(connection: sqlite3.Connection) -> int:
    """The number of the last migration applied (0 for a new or foreign database)."""
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def migrate_to(connection: sqlite3.Connection, version: int | None = None) -> None:
    """Apply the shipped migrations after the database's own, up to `version` (every one if
    None): start-up applies them all; an upgrade test builds an older database with fewer."""
    current = _schema_version(connection)
    for number, script in migrations():
        if current < number and (version is None or number <= version):
            _apply(connection, number, script)


def _apply(connection: sqlite3.Connection, number: int, script: str) -> None:
    try:
        connection.executescript(
            f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;"
        )
    except sqlite3.Error:
        if connection.in_transaction:
            connection.rollback()
        raise


def backup(source: Path, destination: Path) -> None:
    """Copy a live database consistently with SQLite's online backup API, then check the copy
    opens, is intact and has the source's schema version; a bad copy is removed."""
    if not source.exists():
        raise DatabaseError(f"there is no database at {source}")
    # A URI, so the source is opened read-only; as_uri() percent-encodes "#" and "?", which
    # would otherwise end the path and open (and create) some other, empty database.
    uri = f"{source.resolve().as_uri()}?mode=ro"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as src:
            src.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            version = _schema_version(src)
            if version == 0:
                raise DatabaseError(f"{source} is not an Amser database (it has no schema version)")
            _copy(src, destination)
    except (sqlite3.Error, OSError) as exc:
        raise DatabaseError(f"cannot back up {source} to {destination}: {exc}") from exc
    problem = _check_copy(destination, version)
    if problem is not None:
        destination.unlink(missing_ok=True)
        raise DatabaseError(
            f"the copy at {destination} failed its check ({problem}), so it was removed"
        )


def _copy(source: sqlite3.Connection, destination: Path) -> None:
    """The backup itself, left as one self-contained file (no write-ahead log beside it),
    readable by its owner only."""
    private(destination)
    with closing(sqlite3.connect(destination)) as dst:
        source.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")


def _check_copy(path: Path, version: int) -> str | None:
    """What is wrong with a fresh copy, or None if it is sound and of `version`."""
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as copy:
            integrity = [row[0] for row in copy.execute("PRAGMA integrity_check")]
            if integrity != ["ok"]:
                return "integrity: " + "; ".join(integrity[:3])
            found = _schema_version(copy)
    except sqlite3.Error as exc:
        return str(exc)
    if found != version:
        return f"schema version {found}, not {version}"
    return None
