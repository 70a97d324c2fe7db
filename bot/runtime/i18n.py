"""Translations: gettext catalogs for Welsh and English, read from the .po files at start-up."""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.config import LANGUAGES
from bot.domain import N_

DOMAIN = "amser"
# Before consent nothing is stored: a newcomer's chosen language lives only in user_data.
LANGUAGE_KEY = "language"

__all__ = [
    "DOMAIN",
    "LANGUAGE_KEY",
    "LANGUAGE_NAMES",
    "N_",
    "Catalogs",
    "Translator",
    "locales_dir",
]


# Each language is offered by its own name, the same on every screen and in both languages.
LANGUAGE_NAMES = {"cy": "Cymraeg", "en": "English"}


def locales_dir() -> Path:
    """The catalogs: packaged inside `bot/` in a wheel, at the top of a source checkout."""
    package = Path(__file__).resolve().parent.parent  # bot/, from bot/runtime/
    packaged = package / "locales"
    return packaged if packaged.is_dir() else package.parent / "locales"


@dataclass(frozen=True)
class Translator:
    """The texts of one language."""

    language: str
    _translations: gettext.NullTranslations

    def gettext(self, message: str) -> str:
        return self._translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._translations.ngettext(singular, plural, n)


class Catalogs:
    """All languages' translators, compiled once from the .po files."""

    def __init__(self, directory: Path | None = None) -> None:
        directory = directory or locales_dir()
        self._translators = {
            language: Translator(language, _load(directory, language)) for language in LANGUAGES
        }

    def __getitem__(self, language: str) -> Translator:
        return self._translators.get(language, self._translators["en"])

    def in_both(self, message: str, **values: object) -> str:
        """A message in Welsh, then in English: for screens before anyone has chosen."""
        return "\n\n".join(
            self[language].gettext(message).format(**values) for language in LANGUAGES
        )


def _load(directory: Path, language: str) -> gettext.NullTranslations:
    po_path = directory / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
