"""Loading and validating the TOML configuration."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import time
from functools import cached_property
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.crisis import CrisisWords, crisis_words
from bot.domain.helplines import (
    DEFAULT_CRISIS_WORDS_CY,
    DEFAULT_CRISIS_WORDS_EN,
    DEFAULT_HELPLINES,
    Helpline,
)

TOKEN_ENV = "TELEGRAM_BOT_TOKEN"
# Matching counts the notices each member had in the last week, so they are kept at least that.
MATCH_NOTICE_DAYS_MIN = 7
LANGUAGES = ("cy", "en")
ORGANISATION_NAME_MAX = 60


class ConfigError(Exception):
    """A problem with the configuration, explained in one line."""


@dataclass(frozen=True)
class Choice:
    """A configured option (an area or a category) with its label in both languages."""

    key: str
    en: str
    cy: str

    def label(self, language: str) -> str:
        return self.cy if language == "cy" else self.en


DEFAULT_AREAS = (
    Choice("canton", "Canton", "Treganna"),
    Choice("grangetown", "Grangetown", "Grangetown"),
    Choice("riverside", "Riverside", "Glan-yr-afon"),
    Choice("splott", "Splott", "Sblot"),
)


DEFAULT_CATEGORIES = (
    Choice("company", "Company and a chat", "Cwmni a sgwrs"),
    Choice("shopping", "Shopping and errands", "Siopa a negeseuon"),
    Choice("gardening", "Gardening", "Garddio"),
    Choice("diy", "Small repairs and DIY", "Mân atgyweiriadau"),
    Choice("tech", "Phones and computers", "Ffonau a chyfrifiaduron"),
    Choice("transport", "Lifts and getting about", "Lifftiau a theithio"),
    Choice("cooking", "Cooking and baking", "Coginio a phobi"),
    Choice("language", "Language practice", "Ymarfer iaith"),
)


@dataclass(frozen=True)
class Config:
    token: str | None = None
    api_base_url: str = "https://api.telegram.org"
    poll_timeout: int = 30
    max_messages_per_second: int = 25
    delivery_max_attempts: int = 10
    database_path: Path = Path("amser.db")
    community_name: str = "Amser"
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/London"))
    areas: tuple[Choice, ...] = DEFAULT_AREAS
    categories: tuple[Choice, ...] = DEFAULT_CATEGORIES
    require_approval: bool = False
    admins: frozenset[int] = frozenset()
    ambassadors: frozenset[int] = frozenset()
    onboarding_reminder_hours: float = 24.0
    listing_days: int = 30
    listing_warning_days: int = 3
    unanswered_request_days: int = 7
    notify_best: int = 5
    daily_notice_cap: int = 3
    quiet_hours_start: time = time(21, 0)
    quiet_hours_end: time = time(8, 0)
    due_work_interval_seconds: float = 60.0
    max_exchange_hours: float = 12.0
    balance_floor_hours: float = -10.0
    starter_hours: float = 0.0
    ambassadors_may_grant: bool = False
    organisations: tuple[str, ...] = ()  # who may give Spice-style credits through /grant
    match_notice_days: int = 90
    fts_optimise_hours: float = 24.0
    member_burst: int = 20  # updates one member may send at once before being slowed down
    member_per_second: float = 2.0  # and how many a second after that
    broadcast_approval_above: int = 500  # bigger broadcasts need a second person's yes
    broadcast_progress_seconds: float = 5.0  # how often the author's progress message changes
    event_reminder_hours: tuple[float, ...] = (24.0, 2.0)  # before an event, to those going
    event_group_chats: tuple[int, ...] = ()  # community group chats events may be posted in
    request_nudge_days: int = 14  # a request still open this long: "is this still needed?"
    quiet_nudge_days: int = 60  # this long without activity: "what could you offer?"
    crisis_words_en: tuple[str, ...] = DEFAULT_CRISIS_WORDS_EN
    crisis_words_cy: tuple[str, ...] = DEFAULT_CRISIS_WORDS_CY
    helplines: tuple[Helpline, ...] = DEFAULT_HELPLINES

    @cached_property
    def crisis_words(self) -> CrisisWords:
        """The crisis phrases of both languages, ready to match."""
        return crisis_words(self.crisis_words_en, self.crisis_words_cy)

    queue_remind_hours: float = 24.0  # unclaimed requests are reminded of after this, at most daily
    queue_escalate_after_hours: float = 48.0  # and go to the coordinators, once, after this
    checkin_pass_minutes: float = 5.0  # how often the check-ins due are looked for and queued
    log_chat: int | None = None  # where each admin and ambassador action gets a line (#WARN ...)
    log_language: str = "en"  # the language of those lines
    group_language: str = "both"  # a new group's language: "en", "cy" or "both" (Welsh first)
    flood_messages: int = 10  # more than this many messages from one sender in a group...
    flood_seconds: float = 10.0  # ...within this many seconds is a flood...
    flood_mute_minutes: int = 10  # ...and mutes them for this long
    warn_expiry_days: int = 90  # a warning stops counting after this many days
    warn_limit: int = 3  # this many warnings that still count suspend the member

    @property
    def bot_base_url(self) -> str:
        return f"{self.api_base_url.rstrip('/')}/bot"

    @property
    def bot_file_url(self) -> str:
        return f"{self.api_base_url.rstrip('/')}/file/bot"

    @property
    def max_exchange_minutes(self) -> int:
        return round(self.max_exchange_hours * 60)

    @property
    def balance_floor_minutes(self) -> int:
        return round(self.balance_floor_hours * 60)

    @property
    def starter_minutes(self) -> int:
        return round(self.starter_hours * 60)

    def area(self, key: str) -> Choice | None:
        return next((area for area in self.areas if area.key == key), None)

    def category(self, key: str) -> Choice | None:
        return next((cat for cat in self.categories if cat.key == key), None)


def _string(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"config key '{name}' must be a non-empty string")
    return value.strip()


def _positive_number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ConfigError(f"config key '{name}' must be a positive number")
    return float(value)


def _positive_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(f"config key '{name}' must be a positive whole number")
    return value


def _hours(name: str, value: Any, *, minimum: float, maximum: float) -> float:
    """A number of hours in whole quarter-hours, between `minimum` and `maximum`."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not minimum <= value <= maximum
        or (value * 4) != int(value * 4)
    ):
        raise ConfigError(
            f"config key '{name}' must be a number of hours (in quarter-hours)"
            f" from {minimum:g} to {maximum:g}"
        )
    return float(value)


def _notice_days(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < MATCH_NOTICE_DAYS_MIN:
        raise ConfigError(
            f"config key '{name}' must be a whole number of days, at least {MATCH_NOTICE_DAYS_MIN}"
        )
    return value


def _boolean(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"config key '{name}' must be true or false")
    return value


def _user_ids(name: str, value: Any) -> frozenset[int]:
    if not isinstance(value, list) or not all(
        isinstance(item, int) and not isinstance(item, bool) and item > 0 for item in value
    ):
        raise ConfigError(f"config key '{name}' must be a list of Telegram user ids (numbers)")
    return frozenset(value)


def _timezone(name: str, value: Any) -> ZoneInfo:
    try:
        return ZoneInfo(_string(name, value))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"config key '{name}' is not a known time zone: {value!r}") from exc


def _clock_time(name: str, value: Any) -> time:
    try:
        return time.fromisoformat(_string(name, value))
    except ValueError as exc:
        raise ConfigError(f"config key '{name}' must be a time like \"21:00\"") from exc


def _choices(name: str, value: Any) -> tuple[Choice, ...]:
    shape = f"config key '{name}' must be a list of {{ key = ..., en = ..., cy = ... }}"
    if not isinstance(value, list) or not value:
        raise ConfigError(shape)
    choices: list[Choice] = []
    for item in value:
        if not isinstance(item, dict) or set(item) != {"key", "en", "cy"}:
            raise ConfigError(shape)
        key = _string(f"{name}.key", item["key"])
        if not key.isascii() or not key.replace("_", "").replace("-", "").isalnum():
            raise ConfigError(f"config key '{name}': key {key!r} must be letters, digits, - or _")
        if len(key) > 20:
            raise ConfigError(f"config key '{name}': key {key!r} is longer than 20 characters")
        choices.append(
            Choice(key, _string(f"{name}.en", item["en"]), _string(f"{name}.cy", item["cy"]))
        )
    if len({choice.key for choice in choices}) != len(choices):
        raise ConfigError(f"config key '{name}' has the same key twice")
    return tuple(choices)


def _chat_ids(name: str, value: Any) -> tuple[int, ...]:
    """Telegram chat ids (a group's is negative), each once."""
    if (
        not isinstance(value, list)
        or not all(isinstance(item, int) and not isinstance(item, bool) for item in value)
        or len(set(value)) != len(value)
    ):
        raise ConfigError(f"config key '{name}' must be a list of chat ids, each once")
    return tuple(value)


def _chat_id(name: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ConfigError(f"config key '{name}' must be a chat id (a number)")
    return value


def _language(name: str, value: Any) -> str:
    if value not in ("en", "cy"):
        raise ConfigError(f'config key \'{name}\' must be "en" or "cy"')
    return str(value)


def _group_language(name: str, value: Any) -> str:
    if value not in ("en", "cy", "both"):
        raise ConfigError(f'config key \'{name}\' must be "en", "cy" or "both"')
    return str(value)


def _organisations(name: str, value: Any) -> tuple[str, ...]:
    """Organisation names: unique (whatever the case), one line each, not too long."""
    shape = (
        f"config key '{name}' must be a list of organisation names, each on one line and"
        f" at most {ORGANISATION_NAME_MAX} characters"
    )
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(shape)
    names = tuple(item.strip() for item in value)
    if not all(names) or any(
        len(item) > ORGANISATION_NAME_MAX or not item.isprintable() for item in names
    ):
        raise ConfigError(shape)
    if len({item.casefold() for item in names}) != len(names):
        raise ConfigError(f"config key '{name}' has the same organisation twice")
    return names


def _reminder_hours(name: str, value: Any) -> tuple[float, ...]:
    """Hours before an event to remind those going: positive numbers, each once."""
    shape = f"config key '{name}' must be a list of different positive numbers of hours"
    if not isinstance(value, list) or not all(
        isinstance(item, int | float) and not isinstance(item, bool) and item > 0 for item in value
    ):
        raise ConfigError(shape)
    hours = tuple(sorted((float(item) for item in value), reverse=True))
    if len(set(hours)) != len(hours):
        raise ConfigError(shape)
    return hours


def _phrases(name: str, value: Any) -> tuple[str, ...]:
    """Words or phrases to look for, each different (an empty list looks for none)."""
    shape = f"config key '{name}' must be a list of different words or phrases"
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(shape)
    phrases = tuple(" ".join(item.split()) for item in value)
    if not all(any(char.isalpha() for char in item) for item in phrases):
        raise ConfigError(shape)
    if len({item.casefold() for item in phrases}) != len(phrases):
        raise ConfigError(f"config key '{name}' has the same phrase twice")
    return phrases


_HELPLINE_KEYS = {"name_en", "name_cy", "number", "note_en", "note_cy"}


def _helplines(name: str, value: Any) -> tuple[Helpline, ...]:
    """Helplines: { name_en, name_cy, number, and optionally note_en, note_cy }, at least one."""
    shape = (
        f"config key '{name}' must be a list of {{ name_en = ..., name_cy = ..., number = ...,"
        " note_en = ..., note_cy = ... }} (the notes may be left out)"
    )
    if not isinstance(value, list) or not value:
        raise ConfigError(shape)
    helplines: list[Helpline] = []
    for item in value:
        if (
            not isinstance(item, dict)
            or not {"name_en", "name_cy", "number"} <= set(item) <= _HELPLINE_KEYS
        ):
            raise ConfigError(shape)
        number = _string(f"{name}.number", item["number"])
        if not all(char.isdigit() or char in " +-" for char in number):
            raise ConfigError(f"config key '{name}': {number!r} is not a phone number")
        helplines.append(
            Helpline(
                _string(f"{name}.name_en", item["name_en"]),
                _string(f"{name}.name_cy", item["name_cy"]),
                number,
                _string(f"{name}.note_en", item["note_en"]) if "note_en" in item else "",
                _string(f"{name}.note_cy", item["note_cy"]) if "note_cy" in item else "",
            )
        )
    return tuple(helplines)


# section -> key -> (Config field, parser)
_SCHEMA: dict[str, dict[str, tuple[str, Callable[[str, Any], Any]]]] = {
    "telegram": {
        "token": ("token", _string),
        "api_base_url": ("api_base_url", _string),
        "poll_timeout": ("poll_timeout", _positive_int),
    },
    "delivery": {
        "messages_per_second": ("max_messages_per_second", _positive_int),
        "max_attempts": ("delivery_max_attempts", _positive_int),
    },
    "database": {
        "path": ("database_path", lambda name, value: Path(_string(name, value))),
    },
    "community": {
        "name": ("community_name", _string),
        "timezone": ("timezone", _timezone),
        "areas": ("areas", _choices),
        "categories": ("categories", _choices),
        "require_approval": ("require_approval", _boolean),
    },
    "roles": {
        "admins": ("admins", _user_ids),
        "ambassadors": ("ambassadors", _user_ids),
    },
    "onboarding": {
        "reminder_after_hours": ("onboarding_reminder_hours", _positive_number),
    },
    "listings": {
        "open_days": ("listing_days", _positive_int),
        "warning_days": ("listing_warning_days", _positive_int),
        "unanswered_request_days": ("unanswered_request_days", _positive_int),
    },
    "matching": {
        "notify_best": ("notify_best", _positive_int),
        "daily_notice_cap": ("daily_notice_cap", _positive_int),
        "quiet_hours_start": ("quiet_hours_start", _clock_time),
        "quiet_hours_end": ("quiet_hours_end", _clock_time),
    },
    "scheduler": {
        "due_work_interval_seconds": ("due_work_interval_seconds", _positive_number),
    },
    "ledger": {
        "max_exchange_hours": (
            "max_exchange_hours",
            lambda name, value: _hours(name, value, minimum=0.25, maximum=24),
        ),
        "balance_floor_hours": (
            "balance_floor_hours",
            lambda name, value: _hours(name, value, minimum=-10_000, maximum=0),
        ),
        "starter_hours": (
            "starter_hours",
            lambda name, value: _hours(name, value, minimum=0, maximum=100),
        ),
        "ambassadors_may_grant": ("ambassadors_may_grant", _boolean),
        "organisations": ("organisations", _organisations),
    },
    "housekeeping": {
        "match_notice_days": ("match_notice_days", _notice_days),
        "fts_optimise_hours": ("fts_optimise_hours", _positive_number),
    },
    "broadcasts": {
        "approval_above": ("broadcast_approval_above", _positive_int),
        "progress_seconds": ("broadcast_progress_seconds", _positive_number),
    },
    "events": {
        "remind_before_hours": ("event_reminder_hours", _reminder_hours),
        "group_chats": ("event_group_chats", _chat_ids),
    },
    "nudges": {
        "request_open_days": ("request_nudge_days", _positive_int),
        "quiet_days": ("quiet_nudge_days", _positive_int),
    },
    "safeguarding": {
        "crisis_words_en": ("crisis_words_en", _phrases),
        "crisis_words_cy": ("crisis_words_cy", _phrases),
        "helplines": ("helplines", _helplines),
    },
    "queue": {
        "remind_hours": ("queue_remind_hours", _positive_number),
        "escalate_after_hours": ("queue_escalate_after_hours", _positive_number),
    },
    "checkins": {
        "pass_minutes": ("checkin_pass_minutes", _positive_number),
    },
    "moderation": {
        "log_chat": ("log_chat", _chat_id),
        "log_language": ("log_language", _language),
        "group_language": ("group_language", _group_language),
        "flood_messages": ("flood_messages", _positive_int),
        "flood_seconds": ("flood_seconds", _positive_number),
        "flood_mute_minutes": ("flood_mute_minutes", _positive_int),
        "warn_expiry_days": ("warn_expiry_days", _positive_int),
        "warn_limit": ("warn_limit", _positive_int),
    },
    "updates": {
        "member_burst": ("member_burst", _positive_int),
        "member_per_second": ("member_per_second", _positive_number),
    },
}


def parse_config(data: Mapping[str, Any], environ: Mapping[str, str] = os.environ) -> Config:
    """Build a Config from parsed TOML, naming the first unknown or malformed key."""
    values: dict[str, Any] = {}
    for section, table in data.items():
        keys = _SCHEMA.get(section)
        if keys is None:
            raise ConfigError(f"unknown config section '{section}'")
        if not isinstance(table, dict):
            raise ConfigError(f"config section '{section}' must be a table ([{section}])")
        for key, value in table.items():
            if key not in keys:
                raise ConfigError(f"unknown config key '{section}.{key}'")
            field_name, parse = keys[key]
            values[field_name] = parse(f"{section}.{key}", value)
    env_token = environ.get(TOKEN_ENV, "").strip()
    if env_token:
        values["token"] = env_token
    return Config(**values)


def load_config(path: Path | None, environ: Mapping[str, str] = os.environ) -> Config:
    """Read the config file (or use defaults when there is none) plus the token from the env."""
    if path is None:
        return parse_config({}, environ)
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except FileNotFoundError as exc:
        raise ConfigError(f"config file not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from exc
    return parse_config(data, environ)
