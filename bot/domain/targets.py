"""Reading whom a moderation command is about, and what follows it, from the command's words:
`/promote @ann ambassador because she runs the repair café`. Pure: finding the member is the
handlers' (handlers/moderation/target.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.durations import parse_minutes
from bot.domain.roles import Role
from bot.domain.welsh import fold

REASON_MAX = 200

# Telegram's usernames: letters, digits and underscores (5 to 32; shorter ones are kept too,
# as some bots' and old accounts' are).
_USERNAME = re.compile(r"@([A-Za-z][A-Za-z0-9_]{1,31})")
_NUMBER = re.compile(r"[0-9]{1,19}")

# The words for each role a coordinator may type, in English and Welsh, folded.
ROLE_WORDS: dict[str, Role] = {
    "ambassador": Role.AMBASSADOR,
    "llysgennad": Role.AMBASSADOR,
    "lysgennad": Role.AMBASSADOR,  # after "yn", "neu"
    "admin": Role.ADMIN,
    "coordinator": Role.ADMIN,
    "cydlynydd": Role.ADMIN,
    "gydlynydd": Role.ADMIN,
    "gweinyddwr": Role.ADMIN,
}


@dataclass(frozen=True)
class TargetWords:
    """The command's words split as far as words alone allow: an @username or a Telegram id
    with the rest, or the words that may start with a member's display name."""

    username: str | None = None
    telegram_id: int | None = None
    rest: str = ""  # after the @username or id
    words: tuple[str, ...] = ()  # no @username or id: a name, then the rest

    @property
    def empty(self) -> bool:
        return self.username is None and self.telegram_id is None and not self.words

    def name_splits(self) -> list[tuple[str, str]]:
        """Each way the words may be a name and then the rest, the longest name first."""
        return [
            (" ".join(self.words[:end]), " ".join(self.words[end:]))
            for end in range(len(self.words), 0, -1)
        ]


def split_arguments(text: str) -> TargetWords:
    """The words after the command (without it), read as a target and the rest."""
    words = tuple(text.split())
    if not words:
        return TargetWords()
    first, rest = words[0], " ".join(words[1:])
    if (username := _USERNAME.fullmatch(first)) is not None:
        return TargetWords(username=username.group(1), rest=rest)
    if _NUMBER.fullmatch(first) is not None:
        return TargetWords(telegram_id=int(first), rest=rest)
    return TargetWords(words=words)


def command_arguments(text: str) -> str:
    """The words after `/command` (or `/command@bot`), without it."""
    parts = text.strip().split(maxsplit=1)
    return parts[1] if len(parts) > 1 and parts[0].startswith("/") else ""


def same_name(typed: str, display_name: str) -> bool:
    """Whether the typed words are the member's name, ignoring case and accents."""
    return fold(" ".join(typed.split())) == fold(" ".join(display_name.split()))


@dataclass(frozen=True)
class RoleAndReason:
    role: Role | None  # None: no role word came first
    reason: str | None


def role_and_reason(rest: str) -> RoleAndReason:
    """`ambassador because ...`: the role named first, then the reason (if any)."""
    words = rest.split(maxsplit=1)
    role = ROLE_WORDS.get(fold(words[0])) if words else None
    if role is None:
        return RoleAndReason(None, reason_of(rest))
    return RoleAndReason(role, reason_of(words[1] if len(words) > 1 else ""))


def reason_of(rest: str) -> str | None:
    """The reason typed after the target, on one line; None if there is none."""
    reason = " ".join(rest.split())
    return reason or None


@dataclass(frozen=True)
class DurationAndReason:
    """`2h spamming`: how long (None: no length given), then the reason."""

    minutes: int | None
    reason: str | None
    unreadable: str | None = None  # a length typed that can't be read: said back to them


_LOOKS_LIKE_A_LENGTH = re.compile(r"[0-9½¼¾]")
_LENGTH_WORDS_MAX = 5  # "an hour and a half"


def duration_and_reason(rest: str) -> DurationAndReason:
    """The length of time the words start with (the longest reading, up to five words), and
    the reason after it; words starting with a figure that are no length are unreadable."""
    words = rest.split()
    for end in range(min(len(words), _LENGTH_WORDS_MAX), 0, -1):
        minutes = parse_minutes(" ".join(words[:end]))
        if minutes is not None and minutes > 0:
            return DurationAndReason(minutes, reason_of(" ".join(words[end:])))
    if words and _LOOKS_LIKE_A_LENGTH.match(words[0]):
        return DurationAndReason(None, None, unreadable=words[0])
    return DurationAndReason(None, reason_of(rest))
