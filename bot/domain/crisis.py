"""Crisis words: whether a member's text says they may be in danger, so the helplines reach them.

A plain function over normalised text: folded (case and accents, `welsh.fold`), split into
words as search splits them, and matched phrase by phrase, whole words only. Welsh phrases
also match their initial mutations ("marw" -> "farw", "lladd" -> "ladd", "poen" -> "boen",
"mhoen", "phoen"), since the word before them changes their first letters. Common idioms
("I could kill myself laughing", "marw o chwerthin") that contain a phrase are not crises.
It errs towards answering: a kind reply with helplines to someone who was fine costs little.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain.welsh import words

# Radical beginning -> its soft, nasal and aspirate forms (domain notes §8). Longest first.
_MUTATED: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ll", ("l",)),
    ("rh", ("r",)),
    ("p", ("b", "mh", "ph")),
    ("t", ("d", "nh", "th")),
    ("c", ("g", "ngh", "ch")),
    ("b", ("f", "m")),
    ("d", ("dd", "n")),
    ("g", ("", "ng")),
    ("m", ("f",)),
)
_VOWELS = "aeiouwy"

# Small Welsh words people write in more than one way ("dw i isio marw", "lladd 'yn hunan").
_WELSH_VARIANTS: dict[str, frozenset[str]] = {
    "fy": frozenset({"fy", "y"}),
    "eisiau": frozenset({"eisiau", "isio", "isie", "ishe", "moyn", "eisio"}),
    "hun": frozenset({"hun", "hunan"}),
}

# Idioms that contain a crisis phrase but mean something else. A crisis phrase found inside
# one of these is not a crisis.
IDIOMS_EN: tuple[str, ...] = (
    "kill myself laughing",
    "killing myself laughing",
    "killed myself laughing",
    "want to die of embarrassment",
    "wanted to die of embarrassment",
    "want to die of shame",
    "suicide squad",
    "suicide mission",
    "suicide doors",
    "suicide blonde",
)
IDIOMS_CY: tuple[str, ...] = (
    "eisiau marw o chwerthin",
    "eisiau marw o gywilydd",
    "lladd fy hun yn chwerthin",
    "lladd fy hun wrth chwerthin",
)


def mutations(word: str) -> frozenset[str]:
    """A Welsh word as it may be written: itself and its soft, nasal and aspirate forms (and,
    for a vowel, with an "h" before it, as after "ei" her)."""
    found = {word}
    for radical, mutated in _MUTATED:
        if word.startswith(radical):
            rest = word[len(radical) :]
            found.update(start + rest for start in mutated if start + rest)
            break
    if word and word[0] in _VOWELS:
        found.add("h" + word)
    return frozenset(found)


Pattern = tuple[frozenset[str], ...]  # each word of a phrase: the written forms it matches


def _pattern(phrase: str, *, welsh: bool) -> Pattern:
    forms: list[frozenset[str]] = []
    for word in words(phrase):
        variants = _WELSH_VARIANTS.get(word, frozenset({word})) if welsh else frozenset({word})
        forms.append(
            frozenset(form for variant in variants for form in mutations(variant))
            if welsh
            else variants
        )
    return tuple(forms)


@dataclass(frozen=True)
class CrisisWords:
    """The configured phrases, ready to match: (phrase as configured, its pattern)."""

    phrases: tuple[tuple[str, Pattern], ...]
    idioms: tuple[Pattern, ...]


def crisis_words(english: Iterable[str], welsh: Iterable[str]) -> CrisisWords:
    """Compile the configured English and Welsh phrases (with the built-in idioms)."""
    phrases = [(phrase, _pattern(phrase, welsh=False)) for phrase in english]
    phrases += [(phrase, _pattern(phrase, welsh=True)) for phrase in welsh]
    idioms = [_pattern(idiom, welsh=False) for idiom in IDIOMS_EN]
    idioms += [_pattern(idiom, welsh=True) for idiom in IDIOMS_CY]
    return CrisisWords(
        tuple((phrase, pattern) for phrase, pattern in phrases if pattern),
        tuple(pattern for pattern in idioms if pattern),
    )


def _spans(tokens: list[str], pattern: Pattern) -> list[tuple[int, int]]:
    size = len(pattern)
    return [
        (start, start + size)
        for start in range(len(tokens) - size + 1)
        if all(tokens[start + offset] in forms for offset, forms in enumerate(pattern))
    ]


def crisis_in(text: str, known: CrisisWords) -> str | None:
    """The first configured phrase the text says (not inside an idiom), or None."""
    tokens = words(text)
    if not tokens:
        return None
    idiom_spans = [span for idiom in known.idioms for span in _spans(tokens, idiom)]
    for phrase, pattern in known.phrases:
        for start, end in _spans(tokens, pattern):
            if not any(left <= start and end <= right for left, right in idiom_spans):
                return phrase
    return None


def is_crisis(text: str, known: CrisisWords) -> bool:
    return crisis_in(text, known) is not None
