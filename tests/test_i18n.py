"""Every text a member can see exists in English and in Welsh."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.runtime.i18n import Catalogs, locales_dir

ROOT = Path(__file__).parent.parent
WELSH_PLURALS = (
    "nplurals=6; plural=(n==0) ? 0 : (n==1) ? 1 : (n==2) ? 2 : (n==3) ? 3 : (n==6) ? 4 : 5;"
)
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
TAG = re.compile(r"</?[a-z]+>")


def source_messages() -> set[str | tuple[str, str]]:
    """Every msgid marked in the code, found the way `pybabel extract` finds them."""
    found: set[str | tuple[str, str]] = set()
    for package in ("bot", "handlers"):
        keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords=keywords
        ):
            found.add(message if isinstance(message, str) else tuple(message))
    return found


def catalog(language: str):
    with (locales_dir() / language / "LC_MESSAGES" / "amser.po").open("rb") as po:
        return read_po(po, locale=language)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_message_in_the_code_is_in_the_catalog(language: str) -> None:
    ids = {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog(language) if m.id}
    missing = source_messages() - ids
    assert not missing, f"run the Babel update in the README; missing from {language}: {missing}"


def test_every_message_is_translated_into_welsh() -> None:
    welsh = catalog("cy")
    untranslated = [
        m.id for m in welsh if m.id and ("fuzzy" in m.flags or not m.string or not all(m.string))
    ]
    assert not untranslated, f"missing in Welsh: {untranslated}"
    plural = next(m for m in welsh if m.pluralizable)
    assert len(plural.string) == 6


def test_welsh_plural_forms_follow_the_welsh_rules() -> None:
    assert catalog("cy").plural_forms == WELSH_PLURALS
    tr = Catalogs()["cy"]
    one, many = "{count} person is waiting to join.", "{count} people are waiting to join."
    forms = [tr.ngettext(one, many, n).format(count=n) for n in (1, 2, 3, 4, 6)]
    assert forms == [
        "Mae 1 person yn aros i ymuno.",
        "Mae 2 berson yn aros i ymuno.",
        "Mae 3 pherson yn aros i ymuno.",
        "Mae 4 person yn aros i ymuno.",
        "Mae 6 pherson yn aros i ymuno.",
    ]


def test_welsh_keeps_every_placeholder_and_tag() -> None:
    for message in catalog("cy"):
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[0]
        translations = message.string if isinstance(message.string, tuple) else (message.string,)
        for translation in translations:
            assert sorted(PLACEHOLDER.findall(translation)) == sorted(
                PLACEHOLDER.findall(source)
            ), source
            assert TAG.findall(translation) == TAG.findall(source), source


def test_lookups_fall_back_to_english() -> None:
    catalogs = Catalogs()
    assert catalogs["cy"].gettext("Skip") == "Hepgor"
    assert catalogs["en"].gettext("Skip") == "Skip"
    assert catalogs["fr"].gettext("Skip") == "Skip"


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_catalogs_are_well_formed(language: str) -> None:
    # A merge of two sets of appended entries can leave one without its msgstr.
    with (locales_dir() / language / "LC_MESSAGES" / "amser.po").open("rb") as po:
        read_po(po, abort_invalid=True)
