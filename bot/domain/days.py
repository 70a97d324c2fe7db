"""Days as members type them: dates in figures, or words in English or Welsh.

"21/11/2026", "21.11.26", "21-11", "2026-11-21"; "today", "yesterday", "heddiw", "ddoe",
"echdoe"; "Monday", "dydd Llun", "Llun" (the latest such day, today included; "last Monday" and
"dydd Llun diwethaf" are before today). "tomorrow"/"yfory" are read too, so that the caller can
say kindly that the day has not come yet. Whether the day will do is checked elsewhere. With
`ahead` (an event being planned) a date without a year and a weekday are the next such day
instead, today included.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.domain.welsh import fold

_DAY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{2}|\d{4}))?")
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")

# Days from today.
_RELATIVE = {
    "today": 0,
    "heddiw": 0,
    "yesterday": -1,
    "ddoe": -1,
    "doe": -1,
    "the day before yesterday": -2,
    "day before yesterday": -2,
    "echdoe": -2,
    "tomorrow": 1,
    "yfory": 1,
    "fory": 1,
    "the day after tomorrow": 2,
    "day after tomorrow": 2,
    "drennydd": 2,
}
# Weekday names (Monday is 0), in English and Welsh, with the mutations Welsh gives them after
# "nos" ("nos Fawrth", Tuesday night).
_WEEKDAYS = {
    **dict.fromkeys(("monday", "mon", "llun", "lun"), 0),
    **dict.fromkeys(("tuesday", "tue", "tues", "mawrth", "fawrth"), 1),
    **dict.fromkeys(("wednesday", "wed", "mercher", "fercher"), 2),
    **dict.fromkeys(("thursday", "thu", "thur", "thurs", "iau"), 3),
    **dict.fromkeys(("friday", "fri", "gwener", "wener"), 4),
    **dict.fromkeys(("saturday", "sat", "sadwrn"), 5),
    **dict.fromkeys(("sunday", "sun", "sul"), 6),
}
# Words that may come before a weekday: "on Monday", "dydd Llun", "ddydd Llun", "nos Lun".
_BEFORE_WEEKDAY = frozenset({"on", "dydd", "ddydd", "nos", "last", "the"})
_BEFORE_TODAY = frozenset({"last", "diwethaf", "dwetha", "diwetha"})
_AFTER_WEEKDAY = frozenset({"diwethaf", "dwetha", "diwetha", "morning", "afternoon", "evening"})


def parse_day(text: str, today: date, *, ahead: bool = False) -> date | None:
    """The day a member typed, or None if it is not a day.

    A date without a year is the latest such day not after today (with `ahead`, the next such
    day not before today).
    """
    cleaned = text.strip()
    try:
        if match := _ISO_DAY.fullmatch(cleaned):
            year, month, day = (int(group) for group in match.groups())
            return date(year, month, day)
        if match := _DAY.fullmatch(cleaned):
            day, month = int(match.group(1)), int(match.group(2))
            if match.group(3) is None:
                candidate = date(today.year, month, day)
                if ahead:
                    return candidate if candidate >= today else date(today.year + 1, month, day)
                return candidate if candidate <= today else date(today.year - 1, month, day)
            year = int(match.group(3))
            return date(year + 2000 if year < 100 else year, month, day)
    except ValueError:  # 31/02 and the like
        return None
    return _from_words(cleaned, today, ahead)


def _from_words(text: str, today: date, ahead: bool) -> date | None:
    words = re.sub(r"[^\w\s]", " ", fold(text)).split()
    phrase = " ".join(words)
    if phrase in _RELATIVE:
        return today + timedelta(days=_RELATIVE[phrase])
    named = [word for word in words if word in _WEEKDAYS]
    others = [
        word
        for word in words
        if word not in _WEEKDAYS and word not in _BEFORE_WEEKDAY and word not in _AFTER_WEEKDAY
    ]
    if len(named) != 1 or others:
        return None
    if ahead:
        return today + timedelta(days=(_WEEKDAYS[named[0]] - today.weekday()) % 7)
    back = (today.weekday() - _WEEKDAYS[named[0]]) % 7
    if back == 0 and any(word in _BEFORE_TODAY for word in words):
        back = 7
    return today - timedelta(days=back)
