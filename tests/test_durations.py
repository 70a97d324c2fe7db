"""Lengths of time as members type them: figures, English words and Welsh words."""

from __future__ import annotations

import pytest

from bot.domain.durations import parse_minutes


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        # Figures, as before.
        ("1", 60),
        ("1.5", 90),
        ("1,5", 90),
        (" 2 hours ", 120),
        ("0.25h", 15),
        (".5", 30),
        ("1½", 90),
        ("¾", 45),
        ("2 ¼ hours", 135),
        ("1:30", 90),
        ("1h30", 90),
        ("1 h 30 min", 90),
        ("2 hours 15 minutes", 135),
        ("1 awr 30 munud", 90),
        ("2 awr", 120),
        ("90 min", 90),
        ("45m", 45),
        ("0", 0),
        # Welsh words.
        ("hanner awr", 30),
        ("chwarter awr", 15),
        ("tri chwarter awr", 45),
        ("awr", 60),
        ("Awr.", 60),
        ("un awr", 60),
        ("awr a hanner", 90),
        ("awr a chwarter", 75),
        ("awr a thri chwarter", 105),
        ("dwy awr", 120),
        ("am ddwy awr", 120),
        ("tair awr", 180),
        ("pedair awr", 240),
        ("pum awr", 300),
        ("dwy awr a hanner", 150),
        ("2 awr a hanner", 150),
        ("deg munud", 10),
        ("pymtheg munud", 15),
        ("ugain munud", 20),
        ("deg ar hugain munud", 30),
        ("tri deg munud", 30),
        ("pedwar deg pump munud", 45),
        ("awr a deg munud", 70),
        ("tua awr", 60),
        # English words.
        ("half an hour", 30),
        ("a half hour", 30),
        ("an hour", 60),
        ("one hour", 60),
        ("an hour and a half", 90),
        ("one and a half hours", 90),
        ("1 and a half hours", 90),
        ("two and a half hours", 150),
        ("two hours and a half", 150),
        ("an hour and a quarter", 75),
        ("two hours", 120),
        ("Three Hours", 180),
        ("ten minutes", 10),
        ("twenty five minutes", 25),
        ("forty-five minutes", 45),
        ("quarter of an hour", 15),
        ("a quarter of an hour", 15),
        ("three quarters of an hour", 45),
        ("an hour and ten minutes", 70),
        ("about an hour", 60),
        # Not a length of time.
        ("two", None),
        ("dwy", None),
        ("hanner", None),
        ("", None),
        ("-1", None),
        ("-awr", None),
        ("1.333", None),
        ("1h75", None),
        ("1:75", None),
        ("3 apples", None),
        ("awr awr", None),
        ("deg munud a hanner", None),  # not whole minutes
        ("an hour or two", None),
        ("I helped her", None),
        ("Ydy", None),
        ("a", None),
        ("h", None),
    ],
)
def test_typed_lengths_of_time_are_read_as_minutes(text: str, minutes: int | None) -> None:
    assert parse_minutes(text) == minutes


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("3d", 3 * 24 * 60),
        ("2 days", 2 * 24 * 60),
        ("tri diwrnod", 3 * 24 * 60),
        ("two days", 2 * 24 * 60),
        ("1w", 7 * 24 * 60),
        ("2 weeks", 14 * 24 * 60),
        ("dwy wythnos", 14 * 24 * 60),
        ("a week", 7 * 24 * 60),
        ("30m", 30),
        ("2h", 120),
    ],
)
def test_days_and_weeks_as_group_bots_and_members_write_them(typed: str, minutes: int) -> None:
    assert parse_minutes(typed) == minutes


@pytest.mark.parametrize("typed", ["3x", "d3", "week days", "for ever"])
def test_not_a_length_of_time(typed: str) -> None:
    assert parse_minutes(typed) is None
