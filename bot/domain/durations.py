"""Lengths of time as members type them, in figures or in words, in English or Welsh.

"1½", "1,5", "1:30", "90 min", "1h30", "2 awr"; "hanner awr", "awr a hanner", "dwy awr",
"tri chwarter awr", "deg munud"; "half an hour", "an hour and a half", "ten minutes"; and, for
moderation, days and weeks as group bots write them ("3d", "1w") or in words ("two days",
"dwy wythnos"). Whether the amount will do (positive, whole quarter-hours, not too long) is
checked elsewhere.
"""

from __future__ import annotations

import re
from fractions import Fraction

from bot.domain.welsh import fold

MINUTES_PER_HOUR = 60
MINUTES_PER_DAY = 24 * MINUTES_PER_HOUR
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY

# Fractions of an hour as one character: "1½", "¾".
GLYPH_MINUTES = {"¼": 15, "½": 30, "¾": 45}

_HOURS_WORDS = r"(?:h|hr|hrs|hour|hours|awr|oriau)"
_MINUTES_WORDS = r"(?:m|min|mins|minute|minutes|mun|munud)"
_DAY_WORDS = ("d", "day", "days", "diwrnod", "ddiwrnod", "niwrnod", "diwrnodau", "dydd")
_WEEK_WORDS = ("w", "wk", "wks", "week", "weeks", "wythnos", "wythnosau")
_DECIMAL = r"(\d+(?:[.,]\d+)?|[.,]\d+)"
_FIGURES = (
    # 1½, ¾, 2 ¼ hours
    (re.compile(rf"(\d*)\s*([¼½¾])\s*{_HOURS_WORDS}?"), "fraction"),
    # 1:30
    (re.compile(r"(\d+):([0-5]\d)"), "clock"),
    # 1h30, 1 h 30 min, 2 hours 15 minutes, 1 awr 30 munud
    (re.compile(rf"(\d+)\s*{_HOURS_WORDS}\s*(\d+)\s*{_MINUTES_WORDS}?"), "hours_minutes"),
    # 90 min, 45m
    (re.compile(rf"(\d+)\s*{_MINUTES_WORDS}"), "minutes"),
    # 3d, 2 days, 3 diwrnod; 1w, 2 weeks, 2 wythnos
    (re.compile(rf"(\d+)\s*(?:{'|'.join(_DAY_WORDS)})"), "days"),
    (re.compile(rf"(\d+)\s*(?:{'|'.join(_WEEK_WORDS)})"), "weeks"),
    # 1.5, 1,5, 2 hours, 0.25h
    (re.compile(rf"{_DECIMAL}\s*{_HOURS_WORDS}?"), "decimal"),
)

# Words, with Welsh mutations where they follow "am", "a" or a number ("am ddwy awr").
_UNITS = {
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours", "awr", "oriau"), MINUTES_PER_HOUR),
    **dict.fromkeys(
        ("m", "min", "mins", "minute", "minutes", "mun", "munud", "funud", "munudau"), 1
    ),
    **dict.fromkeys(_DAY_WORDS, MINUTES_PER_DAY),
    **dict.fromkeys(_WEEK_WORDS, MINUTES_PER_WEEK),
}
_ENGLISH = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
_ENGLISH += " fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty"
_ENGLISH += " seventy eighty ninety"
_ENGLISH_VALUES = (*range(1, 20), *range(20, 100, 10))
_ENGLISH_NUMBERS = dict(zip(_ENGLISH.split(), _ENGLISH_VALUES, strict=True))
_ONES = {
    **{word: value for word, value in _ENGLISH_NUMBERS.items() if value < 10},
    **dict.fromkeys(("un",), 1),
    **dict.fromkeys(("dau", "ddau", "dwy", "ddwy"), 2),
    **dict.fromkeys(("tri", "dri", "thri", "tair", "dair", "thair"), 3),
    **dict.fromkeys(("pedwar", "bedwar", "phedwar", "pedair", "bedair", "phedair"), 4),
    **dict.fromkeys(("pump", "pum", "bump", "bum", "phump", "phum"), 5),
    **dict.fromkeys(("chwech", "chwe"), 6),
    **dict.fromkeys(("saith",), 7),
    **dict.fromkeys(("wyth",), 8),
    **dict.fromkeys(("naw",), 9),
}
_TEENS = {word: value for word, value in _ENGLISH_NUMBERS.items() if 10 <= value < 20}
_TENS = {word: value for word, value in _ENGLISH_NUMBERS.items() if value >= 20}
# Welsh counts in twenties, and whole words: "deg ar hugain" (30), "deugain" (40).
_WELSH_WHOLE = {
    **dict.fromkeys(("deg", "ddeg", "deng", "ddeng"), 10),
    **dict.fromkeys(("deuddeg", "ddeuddeg", "deuddeng"), 12),
    **dict.fromkeys(("pymtheg", "bymtheg", "pymtheng", "bymtheng"), 15),
    **dict.fromkeys(("ugain", "hugain"), 20),
    **dict.fromkeys(("deugain", "ddeugain"), 40),
    **dict.fromkeys(("trigain", "drigain"), 60),
}
_WELSH_TENS = frozenset({"deg", "ddeg"})  # "tri deg" (30), "pedwar deg pump" (45)
_AR = {"ddeg": 10, "bymtheg": 15, "hugain": 20}  # "un ar ddeg" (11), "pump ar hugain" (25)
_PARTS = {"half": Fraction(1, 2), "hanner": Fraction(1, 2)} | dict.fromkeys(
    ("quarter", "quarters", "chwarter"), Fraction(1, 4)
)
_BARE_UNITS = frozenset({"awr", "hour"})  # "awr a hanner": an hour without "an" or "one"
_AND = frozenset({"and", "a", "ac", "&"})
_ARTICLES = frozenset({"a", "an"})
_FILLERS = frozenset({"am", "tua", "rhyw", "for", "about", "around", "roughly", "approximately"})
_TOKEN = re.compile(r"[a-z]+|\d+(?:[.,]\d+)?|&")


def parse_minutes(text: str) -> int | None:
    """Minutes from what a member typed; None if it is not a length of time."""
    cleaned = " ".join(text.strip().lower().split())
    for pattern, shape in _FIGURES:
        match = pattern.fullmatch(cleaned)
        if match:
            return _from_figures(match, shape)
    return _from_words(cleaned)


def _from_figures(match: re.Match[str], shape: str) -> int | None:
    if shape == "fraction":
        whole, glyph = match.groups()
        return int(whole or 0) * MINUTES_PER_HOUR + GLYPH_MINUTES[glyph]
    if shape in ("clock", "hours_minutes"):
        hours, minutes = (int(group) for group in match.groups())
        if shape == "hours_minutes" and minutes >= MINUTES_PER_HOUR:
            return None
        return hours * MINUTES_PER_HOUR + minutes
    if shape == "minutes":
        return int(match.group(1))
    if shape in ("days", "weeks"):
        return int(match.group(1)) * (MINUTES_PER_DAY if shape == "days" else MINUTES_PER_WEEK)
    minutes = float(match.group(1).replace(",", ".")) * MINUTES_PER_HOUR
    return round(minutes) if abs(minutes - round(minutes)) < 1e-9 else None


def _from_words(text: str) -> int | None:
    text = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", fold(text)).rstrip(".!")
    tokens = text.split()
    if not tokens or not all(_TOKEN.fullmatch(token) for token in tokens):
        return None
    return _Words(tokens).duration()


class _Words:
    """A small parser over the words: parts ("dwy awr", "ten minutes") joined by "and"/"a",
    where a part after "and" may be just a fraction of the one before ("awr a hanner")."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens

    def at(self, index: int) -> str:
        return self.tokens[index] if index < len(self.tokens) else ""

    def duration(self) -> int | None:
        index = 0
        while self.at(index) in _FILLERS:
            index += 1
        part = self.part(index)
        if part is None:
            return None
        total, index, unit = part
        while index < len(self.tokens):
            if self.at(index) not in _AND:
                return None
            part = self.part(index + 1)
            if part is not None:
                minutes, index, unit = part
                total += minutes
                continue
            count = self.count(index + 1)
            if count is None or count[0] >= 1 or self.at(count[1]) not in ("", *_AND):
                return None
            total += count[0] * unit  # "awr a hanner", "an hour and a half"
            index = count[1]
        return int(total) if total.denominator == 1 else None

    def part(self, index: int) -> tuple[Fraction, int, int] | None:
        """A count and its unit ("dwy awr", "half an hour"), or a unit alone ("awr")."""
        if self.at(index) in _BARE_UNITS:
            return Fraction(MINUTES_PER_HOUR), index + 1, MINUTES_PER_HOUR
        count = self.count(index)
        if count is None:
            return None
        value, index = count
        if self.at(index) == "of":  # "quarter of an hour"
            index += 1
        if self.at(index) in _ARTICLES and self.at(index + 1) in _UNITS:  # "half an hour"
            index += 1
        if self.at(index) not in _UNITS:
            return None
        unit = _UNITS[self.at(index)]
        return value * unit, index + 1, unit

    def count(self, index: int) -> tuple[Fraction, int] | None:
        """How many: "two", "dwy", "2", "an", "half", "tri chwarter", "two and a half"."""
        word = self.at(index)
        if word in _ARTICLES:
            if self.at(index + 1) in _UNITS:
                return Fraction(1), index + 1
            if self.at(index + 1) not in _PARTS:
                return None
            index, word = index + 1, self.at(index + 1)
        if word in _PARTS:
            return _PARTS[word], index + 1
        number = self.number(index)
        if number is None:
            return None
        value, index = number
        if self.at(index) in _PARTS and self.at(index) not in ("half", "hanner"):
            return value * _PARTS[self.at(index)], index + 1  # "tri chwarter", "three quarters"
        after = index + 1
        if self.at(index) in _AND and self.at(after) in _ARTICLES:
            after += 1
        if self.at(index) in _AND and self.at(after) in _PARTS:
            following = self.at(after + 1)
            if following in _UNITS or following == "of":  # "two and a half hours"
                return value + _PARTS[self.at(after)], after + 1
        return value, index

    def number(self, index: int) -> tuple[Fraction, int] | None:
        word = self.at(index)
        if word[:1].isdigit():
            return Fraction(word.replace(",", ".")), index + 1
        if word in _TENS:
            if self.at(index + 1) in _ONES:
                return Fraction(_TENS[word] + _ONES[self.at(index + 1)]), index + 2
            return Fraction(_TENS[word]), index + 1
        if word in _TEENS:
            return Fraction(_TEENS[word]), index + 1
        if word in _WELSH_WHOLE:
            if self.at(index + 1) == "ar" and self.at(index + 2) in _AR:
                return Fraction(_WELSH_WHOLE[word] + _AR[self.at(index + 2)]), index + 3
            return Fraction(_WELSH_WHOLE[word]), index + 1
        if word in _ONES:
            value = _ONES[word]
            if self.at(index + 1) in _WELSH_TENS:
                value *= 10
                if self.at(index + 2) in _ONES:
                    return Fraction(value + _ONES[self.at(index + 2)]), index + 3
                return Fraction(value), index + 2
            if self.at(index + 1) == "ar" and self.at(index + 2) in _AR:
                return Fraction(value + _AR[self.at(index + 2)]), index + 3
            return Fraction(value), index + 1
        return None
