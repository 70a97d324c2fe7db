"""Welsh words for search: mutations undone, endings off, English left to Porter, and the
words that must not find each other."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.matching import fts_query
from bot.domain.membership import Status
from bot.domain.welsh import VERSION, fold, index_text, looks_welsh, stems, terms, words
from bot.emulator import BotApiEmulator
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from storage.database import Database, migrate_to
from storage.listings import Listing, ListingRepository
from storage.matching import MatchingRepository
from storage.members import MemberRepository
from tests.helpers import agree_in, joined, member_of


def search_terms(text: str) -> set[str]:
    """Every stem of every word of a text, as both the index and a query see them."""
    return {stem for _word, found in terms(text) for stem in found}


def meet(query: str, text: str) -> bool:
    """Whether a search for `query` shares a stem with `text` (what FTS then finds)."""
    return bool(search_terms(query) & search_terms(text))


def test_folding_lowers_case_drops_accents_and_splits_at_apostrophes() -> None:
    assert fold("Siân a'r DŴR ŷ") == "sian a'r dwr y"
    assert words("Dw i’n mwynhau") == ["dw", "i", "n", "mwynhau"]  # a curly apostrophe too
    assert words("gyda'r plant, 2 awr!") == ["gyda", "r", "plant", "2", "awr"]


@pytest.mark.parametrize(
    ("word", "before", "radical"),
    [
        ("ngardd", "fy", "gardd"),  # nasal
        ("ardd", "ei", "gardd"),  # soft: the g goes
        ("gardd", "ei", "gardd"),
        ("garddio", "", "gardd"),  # verb noun
        ("garddwr", "", "gardd"),  # the one who does it
        ("nghar", "fy", "car"),
        ("char", "ei", "car"),  # aspirate
        ("gar", "ei", "car"),  # soft
        ("mhen", "fy", "pen"),
        ("nhad", "fy", "tad"),
        ("thad", "ei", "tad"),
        ("dad", "ei", "tad"),
        ("fara", "ei", "bara"),
        ("mara", "fy", "bara"),
        ("fam", "ei", "mam"),
        ("ddrws", "ei", "drws"),
        ("lyfr", "ei", "llyfr"),
        ("llyfrau", "", "llyfr"),  # plural
        ("lyfrau", "ei", "llyfr"),  # both at once
        ("blant", "ei", "plant"),
        ("phlant", "a", "plant"),
        ("plant", "y", "plant"),
        ("waith", "ei", "gwaith"),
        ("rieni", "ei", "rhieni"),
        ("hardal", "ei", "ardal"),  # an h before a vowel after "ei" (her)
        ("hysgol", "'w", "ysgol"),  # i'w hysgol
        ("swyddi", "", "swydd"),
        ("caeau", "", "cae"),
        ("misoedd", "", "mis"),
        ("ffrindiau", "", "ffrind"),
        ("cymdogion", "", "cymdog"),
        ("dysgu", "", "dysg"),
        ("trwsio", "", "trws"),
        ("Siopa", "", "siopa"),
        ("DŴR", "", "dwr"),
    ],
)
def test_each_word_gives_its_radical_among_its_stems(word: str, before: str, radical: str) -> None:
    assert radical in stems(word, before)


def test_forms_that_are_never_radicals_give_only_their_radical() -> None:
    assert stems("ngardd") == {"gardd"}
    assert stems("nghar") == {"car"}
    assert stems("mhen") == {"pen"}
    assert stems("nhad") == {"tad"}
    assert stems("ddrws") == {"drws"}


def test_ambiguous_forms_keep_every_candidate() -> None:
    assert stems("ardd") == {"ardd", "gardd"}
    assert stems("char") == {"char", "car"}  # "ch" starts radicals too
    assert stems("gar") == {"gar", "car"}
    assert {"bara", "mara", "fara"} <= stems("fara")  # f comes from b or m
    assert {"gardd", "garddio"} <= stems("garddio")


def test_an_h_is_only_taken_off_after_the_words_that_add_it() -> None:
    assert "ardal" in stems("hardal", "ei") and "ardal" in stems("hardal", "'i")
    assert stems("haf", "yr") == {"haf"}  # summer stays summer
    assert stems("hen") == {"hen"}


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("Angen help gyda fy ngardd", "Dw i'n mwynhau garddio"),
        ("gardd", "Garddio"),
        ("gardd", "tacluso ei ardd"),
        ("Help yn yr ardd", "Dw i'n arddwr da"),
        ("fy nghar", "Gallaf olchi car"),
        ("Mae angen trwsio ei char", "Dw i'n trwsio ceir a cheir bach"),
        ("fy mhen", "pen tost"),
        ("Lifft i weld fy nhad", "Dw i'n gallu mynd â'th dad"),
        ("Dw i'n pobi bara", "Angen bara o'r siop"),
        ("trwsio'r drws", "Angen help gyda fy nrws"),
        ("ei hardal", "ardal Treganna"),
        ("Darllen llyfrau", "Dw i'n hoffi llyfr da"),
        ("chwarae gyda'r plant", "Gwarchod ei blant"),
        ("Siân", "sian"),
        ("Gardening help please", "I love gardening"),
    ],
)
def test_welsh_and_english_phrases_meet(query: str, text: str) -> None:
    assert meet(query, text), (sorted(search_terms(query)), sorted(search_terms(text)))


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("cath", "car"),  # different words that no mutation joins
        ("mam", "man"),
        ("tad", "tan"),
        ("bwyd", "bwrdd"),
        ("gardd", "gwaith"),
        ("llyfr", "lle"),
        ("plant", "planhigion"),
    ],
)
def test_different_words_do_not_meet(one: str, other: str) -> None:
    assert not meet("fy " + one, "ei " + other)
    assert not meet(one + "au", "y " + other)


def test_the_mutation_table_forces_some_shared_stems_and_that_is_accepted() -> None:
    # "bara" (bread) can be the soft mutation of "para" (to last), so the two share "para";
    # a request about bread may reach someone whose words say "para". Rare, and harmless.
    assert "para" in stems("bara")
    assert stems("para") == {"para"}
    assert meet("ei ben", "pen")  # "ben" is "pen" after "ei" (his), and also a word of its own
    # A word made only of a radical never reaches for other radicals: "cath" is just "cath".
    assert stems("cath") == {"cath"}
    assert stems("car") == {"car"}


def test_english_text_is_not_given_welsh_candidates() -> None:
    # Without this, "old" would find "gold" and "cat" a "chat".
    assert not looks_welsh("I love a chat and old films")
    assert search_terms("I love a chat and old films") == {
        "i",
        "love",
        "a",
        "chat",
        "and",
        "old",
        "films",
    }
    assert not meet("help with my cat", "I enjoy a chat")
    assert not meet("old furniture", "gold jewellery")
    assert not looks_welsh("Help with my toddler and a ladder")
    assert not looks_welsh("Tai chi in the park")


@pytest.mark.parametrize(
    "text",
    [
        "Dw i'n mwynhau garddio",
        "Angen help gyda fy ngardd",
        "Garddio",
        "Torri gwair",
        "Siopa bwyd",
        "Paned a sgwrs",
        "Glanhau'r tŷ",
        "fy mhen",
    ],
)
def test_welsh_is_recognised(text: str) -> None:
    assert looks_welsh(text)


def test_the_index_keeps_each_word_first_then_its_candidates() -> None:
    assert index_text("Garddio") == "garddio cardd carddio gardd"
    assert index_text("fy ngardd") == "fy by my gardd"
    assert index_text("My garden") == "my garden"  # English as it was
    assert index_text("") == ""


def test_queries_carry_the_candidates_and_drop_common_words() -> None:
    assert fts_query("Angen help gyda fy ngardd") == '"gardd"'
    assert fts_query("Dw i'n mwynhau garddio") == '"garddio" OR "cardd" OR "carddio" OR "gardd"'
    assert fts_query("Help with my GARDEN", "please, the garden!") == '"garden"'
    assert fts_query("angen help plis", "diolch") is None
    # A candidate that is a common word is left out, but the word itself stays.
    assert fts_query("Dw i'n canu") == '"canu"'


# --- the index, through the repositories ---------------------------------------------------------

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "welsh.db")
    yield database
    await database.close()


async def helper(db: Database, telegram_id: int, words: str | None) -> int:
    members = MemberRepository(db)
    member = await members.join(telegram_id, "cy", NOW)
    await members.update(member.id, NOW, status=Status.ACTIVE, area="canton", offers_text=words)
    return member.id


async def request(db: Database, owner: int, title: str, details: str = "") -> Listing:
    return await ListingRepository(db).create(
        owner, "request", "shopping", title, details or "-", "canton", None, NOW, NOW
    )


async def found_by_words(db: Database, listing: Listing) -> set[int]:
    candidates = await MatchingRepository(db).candidates(listing, NOW, NOW - timedelta(days=7))
    return {c.member_id for c in candidates if c.text_relevance > 0}


async def test_own_words_in_welsh_are_found_by_a_mutated_request(db: Database) -> None:
    asker = await helper(db, 1, None)
    gardener = await helper(db, 2, "Dw i'n mwynhau garddio")
    await helper(db, 3, "Dw i'n hoffi cathod a chŵn")
    await helper(db, 4, "I can fix computers")
    assert await found_by_words(db, await request(db, asker, "Angen help gyda fy ngardd")) == {
        gardener
    }


async def test_listings_and_english_words_are_found_as_before(db: Database) -> None:
    asker = await helper(db, 1, None)
    by_words = await helper(db, 2, "I love gardening and growing vegetables")
    offerer = await helper(db, 3, None)
    await ListingRepository(db).create(
        offerer, "offer", "gardening", "Tacluso gerddi", "Unrhyw ardd", "canton", None, NOW, NOW
    )
    english = await request(db, asker, "Someone to help in my garden", "Weeds.")
    welsh_request = await request(db, asker, "Help gyda'r ardd")
    assert await found_by_words(db, english) == {by_words}
    assert await found_by_words(db, welsh_request) == {offerer}


async def test_changed_words_are_indexed_again_and_erased_words_leave(db: Database) -> None:
    members = MemberRepository(db)
    listings = ListingRepository(db)
    asker = await helper(db, 1, None)
    gardener = await helper(db, 2, "Garddio")
    garden = await request(db, asker, "Angen help gyda fy ngardd")
    assert await found_by_words(db, garden) == {gardener}
    await members.update(gardener, NOW, offers_text="Trwsio beiciau")
    assert await found_by_words(db, garden) == set()
    bike = await listings.update(garden.id, NOW, title="Mae angen trwsio fy meic")
    assert await found_by_words(db, bike) == {gardener}
    assert await members.erase(gardener, NOW)
    rows = await db.fetch_all("SELECT rowid FROM members_offers_fts WHERE rowid = ?", (gardener,))
    assert rows == []


async def test_rows_indexed_before_welsh_search_are_normalised_at_start(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with closing(sqlite3.connect(path, isolation_level=None)) as old:
        migrate_to(old, 9)
        old.execute(
            "INSERT INTO members (id, telegram_id, language, status, offers_text, created_at,"
            " updated_at) VALUES (1, 1, 'cy', 'active', NULL, ?, ?),"
            " (2, 2, 'cy', 'active', 'Dw i''n mwynhau garddio', ?, ?)",
            (NOW.isoformat(),) * 4,
        )
    db = await Database.open(path)
    try:
        versions = await db.fetch_all("SELECT rowid, version FROM members_offers_fts")
        assert [tuple(row) for row in versions] == [(2, 0)]  # plain text until the start
        listing = await request(db, 1, "Angen help gyda fy ngardd")
        assert await found_by_words(db, listing) == {2}
        versions = await db.fetch_all("SELECT rowid, version FROM members_offers_fts")
        assert [tuple(row) for row in versions] == [(2, VERSION)]
    finally:
        await db.close()


# --- end to end: a Welsh request reaches a member by their own words -----------------------------


async def test_a_welsh_request_reaches_a_member_by_their_own_words_in_another_category(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    assert clock.now().hour == 10  # daytime in Cardiff: no quiet hours hold the notice
    bethan = emulator.member(801, "Bethan")
    await agree_in(bethan, "cy")
    await bethan.send("Bethan")
    await bethan.press("Treganna")
    await bethan.press("Cwmni a sgwrs")  # she offers company, not gardening
    await bethan.press("Gorffen")
    await bethan.send("Dw i'n mwynhau garddio")  # ...but her own words say she loves gardening
    await bethan.press("Hepgor")
    await bethan.press("Dim nawr")
    gwyn = await joined(
        emulator, 802, "Gwyn", language="cy", categories=("Ffonau a chyfrifiaduron",)
    )
    await bot.services.members.update(
        (await member_of(bot, gwyn)).id, clock.now(), offers_text="Dw i'n trwsio ffonau"
    )
    dilys = await joined(emulator, 803, "Dilys", language="cy")

    await dilys.send("/request")
    await dilys.press("Mân atgyweiriadau")
    await dilys.send("Angen help gyda fy ngardd")
    await dilys.send("Mae'r gwair yn uchel iawn.")
    await dilys.press("Treganna")
    await dilys.press("Unrhyw bryd")
    await dilys.press("14 diwrnod")
    await dilys.press("Postio")

    [notice] = [m for m in bethan.messages if "Angen help gyda fy ngardd" in m.text]
    assert "Cais am help · Mân atgyweiriadau" in notice.text
    assert notice.button_texts[1] == "Ddim y tro hwn"
    assert not [m for m in gwyn.messages if "Angen help gyda fy ngardd" in m.text]
