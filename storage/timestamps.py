"""Timestamps as stored: ISO-8601 in UTC, so that text order is time order."""

from __future__ import annotations

from datetime import UTC, datetime


def to_db(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_db(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def required_from_db(text: str | None, column: str) -> datetime:
    """A NOT NULL timestamp column: missing means the database is not what we wrote."""
    moment = from_db(text)
    if moment is None:
        raise RuntimeError(f"{column} is empty")
    return moment
