"""Words for search in Welsh and English: folded, Welsh mutations undone, common endings off.

Welsh changes the first letters of a word after many small words (initial mutations):
"gardd" (a garden) is "ei ardd" (his garden), "fy ngardd" (my garden); "car" is "ei char"
(her car), "fy nghar" (my car). Several radicals mutate to the same form ("f" comes from "b"
or "m") and some mutated forms are radicals too ("ch", "th", "ph"), so each word gives a SET
of candidate stems, and the same is done to what is indexed and to what is searched for, so
the two meet in the middle. There is no Welsh stemmer in SQLite; English words are left to its
Porter stemmer, and a text that shows no sign of Welsh is only folded, so English matches as
it did before (Welsh candidates for English words would find "gold" from "old").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Bump when the rules below change: stored search words made by an older version are remade.
VERSION = 1

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})
# A word (letters and digits), and whether it follows an apostrophe: "i'n" is "i" and "'n".
_TOKEN = re.compile(r"(')?([^\W_]+)")
_VOWELS = "aeiouwy"

# A mutated beginning, the radical beginnings it may come from, and whether the mutated form
# can be a radical itself. Longest first, so "ngh" is tried before "ng" and "n".
_MUTATIONS: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("ngh", ("c",), False),  # nasal: fy nghar <- car
    ("mh", ("p",), False),  # nasal: fy mhen <- pen
    ("nh", ("t",), False),  # nasal: fy nhad <- tad
    ("ng", ("g",), False),  # nasal: fy ngardd <- gardd
    ("dd", ("d",), False),  # soft: ei ddrws <- drws
    ("ch", ("c",), True),  # aspirate: ei char <- car; "chwarae" is a radical
    ("ph", ("p",), True),  # aspirate: a phlant <- plant
    ("th", ("t",), True),  # aspirate: ei thad <- tad
    ("ll", (), True),
    ("rh", (), True),
    ("ff", (), True),
    ("f", ("b", "m"), True),  # soft: fara <- bara, fam <- mam ("f" alone keeps loanwords)
    ("b", ("p",), True),  # soft: ei blant <- plant
    ("d", ("t",), True),  # soft: ei dad <- tad
    ("g", ("c",), True),  # soft: ei gar <- car
    ("l", ("ll", "gl"), True),  # soft: ei lyfr <- llyfr, lân <- glân
    ("r", ("rh", "gr"), True),  # soft: ei rieni <- rhieni, radd <- gradd
    ("m", ("b",), True),  # nasal: fy mara <- bara
    ("n", ("d",), True),  # nasal: fy nillad <- dillad
)
# After these an "h" comes before a vowel: "ei hardal" (her area) <- ardal; "'i", "'w" as in
# "a'i hardal", "i'w hysgol".
_H_AFTER = frozenset({"ei", "eu", "ein", "'i", "'w"})
# Verb nouns (garddio <- gardd, dysgu), plurals (llyfrau, caeau, swyddi, misoedd) and doers
# (garddwr): longest first; only one is taken off.
_ENDINGS = ("oedd", "iau", "ion", "ydd", "wyr", "au", "on", "io", "wr", "i", "u", "o")
MIN_STEM = 3

# Signs that a text is Welsh: small words English does not have, clitics ("i'n", "o'r",
# "a'i"), and spellings English does not use.
_WELSH_WORDS_TEXT = """
    yn yr y fy ei eu ein eich gyda efo hefo mae dw dwi rwy rwyf rydw rydyn ydw ydy ydi oes
    sydd sy wedi ddim angen eisiau isio moyn hoffi plis diolch neu ond hefyd iawn mewn gan
    nhw yng ym ar heddiw
"""
_WELSH_WORDS = frozenset(_WELSH_WORDS_TEXT.split())
_WELSH_CLITICS = frozenset({"n", "r", "i", "w", "th"})
_WELSH_SPELLING = re.compile(
    r"^(?:dd|ngh|mh|nh|ng|ff|gw)"  # beginnings English has not
    r"|[rlnwy]dd|ddw|ddio|dd$"  # gardd, heddiw, smwddio, newydd
    r"|[^aeiouwy]wy|[^aeiouwy]w[^aeiouwy]"  # bwyd, cwm, drws, sgwrs
    r"|oedd$|i?au$"  # misoedd, llyfrau, mwynhau
)
_ENGLISH_DD = frozenset({"add", "odd"})
_WELSH_LETTERS = frozenset("âêîôûŵŷïÂÊÎÔÛŴŶ")


def fold(text: str) -> str:
    """Lower case without accents ("Siân" -> "sian", "dŵr" -> "dwr"); apostrophes made plain."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _tokens(text: str) -> list[tuple[str, str]]:
    """(word, the word before it as a context: "'i" for a clitic "i") for each folded word."""
    found: list[tuple[str, str]] = []
    before = ""
    for match in _TOKEN.finditer(fold(text)):
        word = match.group(2)
        found.append((word, before))
        before = ("'" + word) if match.group(1) else word
    return found


def words(text: str) -> list[str]:
    """The folded words of a text, apostrophes splitting them: "i'n" -> "i", "n"."""
    return [word for word, _before in _tokens(text)]


def looks_welsh(*texts: str) -> bool:
    """Whether any of the texts shows a sign of Welsh (then its words get Welsh candidates)."""
    for text in texts:
        if any(char in _WELSH_LETTERS for char in text):
            return True
        for match in _TOKEN.finditer(fold(text)):
            clitic, word = match.groups()
            if clitic and word in _WELSH_CLITICS:
                return True
            if word in _WELSH_WORDS:
                return True
            if word.isalpha() and word not in _ENGLISH_DD and _WELSH_SPELLING.search(word):
                return True
    return False


def _radicals(word: str, before: str) -> set[str]:
    """The word as it may have been before a mutation (itself too, where that can be)."""
    found: set[str] = set()
    if before in _H_AFTER and len(word) > 1 and word[0] == "h" and word[1] in _VOWELS:
        found.add(word[1:])  # ei hardal <- ardal
    for start, radicals, keeps in _MUTATIONS:
        if word.startswith(start):
            rest = word[len(start) :]
            found.update(radical + rest for radical in radicals)
            if keeps:
                found.add(word)
            return found
    found.add(word)
    if word[0] in _VOWELS:
        found.add("g" + word)  # soft mutation drops a "g": ardd <- gardd, waith <- gwaith
    return found


def _without_ending(word: str) -> str | None:
    for ending in _ENDINGS:
        if not word.endswith(ending):
            continue
        stem = word[: -len(ending)]
        if len(stem) < MIN_STEM or not any(char in _VOWELS for char in stem):
            continue
        if ending in ("ion", "on") and word.endswith(("tion", "sion", "son", "ton")):
            continue  # English: question, person, button
        return stem
    return None


def stems(word: str, before: str = "") -> frozenset[str]:
    """Every candidate stem of one Welsh word: radicals, and each without a common ending.

    "ngardd" -> {"gardd"}; "ardd" -> {"ardd", "gardd"}; "char" -> {"char", "car"};
    "garddio" -> {"garddio", "gardd", "carddio", "cardd"}. `before` is the word before it
    (it decides whether an "h" may have been added: "ei hardal" -> "ardal").
    """
    word = fold(word)
    if not word.isalpha():
        return frozenset({word})
    radicals = _radicals(word, fold(before))
    found = set(radicals)
    for radical in radicals:
        stem = _without_ending(radical)
        if stem is not None:
            found.add(stem)
    return frozenset(found)


def terms(*texts: str) -> list[tuple[str, frozenset[str]]]:
    """Each folded word of the texts with the stems to search it by: its Welsh candidates when
    the texts look Welsh, else only itself (SQLite's Porter stemmer does English)."""
    welsh = looks_welsh(*texts)
    return [
        (word, stems(word, before) if welsh else frozenset({word}))
        for text in texts
        for word, before in _tokens(text)
    ]


def ordered(word: str, found: Iterable[str]) -> list[str]:
    """The word itself first, then its other stems in alphabetical order."""
    return sorted(found, key=lambda stem: (stem != word, stem))


def index_text(text: str, welsh: bool | None = None) -> str:
    """What to store in the search index for a text: its words and their candidates.

    `welsh` says whether to add Welsh candidates (a listing decides it for its title and
    details together); None: decide from this text.
    """
    if welsh is None:
        welsh = looks_welsh(text)
    out: list[str] = []
    for word, before in _tokens(text):
        out.extend(ordered(word, stems(word, before)) if welsh else [word])
    return " ".join(out)
