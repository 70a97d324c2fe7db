"""Days as members type them: dates in figures, and words in English and Welsh."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.days import parse_day

TODAY = date(2026, 11, 25)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # Dates in figures, as before.
        ("21/11/2026", date(2026, 11, 21)),
        ("21.11.26", date(2026, 11, 21)),
        ("21-11", date(2026, 11, 21)),
        ("2026-11-21", date(2026, 11, 21)),
        ("1/12", date(2025, 12, 1)),  # without a year: the latest such day not after today
        ("31/02/2026", None),
        # Words.
        ("today", TODAY),
        ("Today", TODAY),
        ("heddiw", TODAY),
        ("yesterday", date(2026, 11, 24)),
        ("ddoe", date(2026, 11, 24)),
        ("Ddoe.", date(2026, 11, 24)),
        ("echdoe", date(2026, 11, 23)),
        ("the day before yesterday", date(2026, 11, 23)),
        ("tomorrow", date(2026, 11, 26)),  # read, so the caller can say it hasn't come yet
        ("yfory", date(2026, 11, 26)),
        # Weekdays: the latest such day, today included.
        ("Monday", date(2026, 11, 23)),
        ("on Monday", date(2026, 11, 23)),
        ("dydd Llun", date(2026, 11, 23)),
        ("Llun", date(2026, 11, 23)),
        ("ddydd Llun", date(2026, 11, 23)),
        ("nos Lun", date(2026, 11, 23)),
        ("Tuesday", date(2026, 11, 24)),
        ("dydd Mawrth", date(2026, 11, 24)),
        ("Wednesday", TODAY),
        ("dydd Mercher", TODAY),
        ("last Wednesday", date(2026, 11, 18)),  # "last" means before today
        ("dydd Mercher diwethaf", date(2026, 11, 18)),
        ("Thursday", date(2026, 11, 19)),
        ("dydd Iau", date(2026, 11, 19)),
        ("dydd Gwener", date(2026, 11, 20)),
        ("nos Wener", date(2026, 11, 20)),
        ("dydd Sadwrn", date(2026, 11, 21)),
        ("Saturday", date(2026, 11, 21)),
        ("dydd Sul", date(2026, 11, 22)),
        ("Sunday", date(2026, 11, 22)),
        # Not a day.
        ("soon", None),
        ("dydd", None),
        ("Monday or Tuesday", None),
        ("Llun Mawrth", None),
        ("I helped her", None),
        ("", None),
    ],
)
def test_typed_days(text: str, day: date | None) -> None:
    assert parse_day(text, TODAY) == day
