"""Crisis words: true and false positives in English and Welsh, over normalised text."""

from __future__ import annotations

import pytest

from bot.domain.crisis import crisis_in, crisis_words, is_crisis, mutations
from bot.domain.helplines import DEFAULT_CRISIS_WORDS_CY, DEFAULT_CRISIS_WORDS_EN

WORDS = crisis_words(DEFAULT_CRISIS_WORDS_EN, DEFAULT_CRISIS_WORDS_CY)


@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself",
        "i just want to DIE",
        "I've been thinking about suicide",
        "I feel suicidal tonight",
        "Sometimes I think I'd be better off dead",
        "I want to end my life.",
        "I've been self-harming again",
        "i self harm",
        "There's no reason to live any more",
        "I don’t want to live like this",
        "I want to hurt myself",
        "Thinking of ending... no. I want to end it all",
        "KILL MYSELF",
        "I keep thinking about killing myself",
        "I've thought about ending my life",
        "I want to end my own life",
        "I've been hurting myself",
        "I self-harmed last night",
        "I'm harming myself again",
        "I wish I was dead",
        "Sometimes I wish I were dead",
        "I'm killing myself laughing, but honestly I'm killing myself slowly",
    ],
)
def test_english_crises_are_found(text: str) -> None:
    assert is_crisis(text, WORDS), text


@pytest.mark.parametrize(
    "text",
    [
        "Dw i eisiau lladd fy hun",
        "Rwy'n meddwl am ladd fy hun",  # soft mutation after "am"
        "dwi isio marw",  # "isio" for "eisiau", the North
        "Dw i'n moyn marw",  # "moyn", the South
        "Rydw i eisiau farw",  # a soft mutation, written as people say it
        "Rwy wedi bod yn meddwl am hunanladdiad",
        "Dw i eisiau rhoi diwedd ar fy mywyd",
        "Dw i wedi bod yn hunan-niweidio",
        "dwi wedi bod yn niweidio fy hun",
        "Does dim rheswm i fyw",
        "Dw i ddim eisiau byw",
        "HUNANLADDIAD",
        "dw i am ladd 'y hunan",  # "'y" for "fy", "hunan" for "hun"
        "Dw i'n teimlo'n hunanladdol",
        "Dw i eisiau lladd fy hunan",
        "Dw i wedi bod yn brifo fy hunan",
    ],
)
def test_welsh_crises_are_found(text: str) -> None:
    assert is_crisis(text, WORDS), text


@pytest.mark.parametrize(
    "text",
    [
        "I could kill for a cuppa",
        "Dying to see you on Saturday!",
        "You're killing it with that garden",
        "This is killing me 😂",
        "I could kill myself laughing at that",
        "I wanted to die of embarrassment",
        "My phone is dying",
        "We watched Suicide Squad",
        "I hurt my back digging",
        "I was killing myself laughing at the panto",
        "I wish I was there",
        "The self-service till was dead",
        "suicidality",  # a longer word is not the word
        "the end of my life's work",  # not "end my life"
        "The weekend was killer",
        "",
    ],
)
def test_english_idioms_and_near_misses_are_not_crises(text: str) -> None:
    assert not is_crisis(text, WORDS), text


@pytest.mark.parametrize(
    "text",
    [
        "Mae'r ci wedi marw",  # the dog has died: "marw" alone is not listed
        "Bu farw Nain y llynedd",  # a death, said plainly
        "Ro'n i eisiau marw o chwerthin",  # dying of laughter
        "Bron i mi ladd fy hun yn chwerthin",
        "Dw i eisiau paned",
        "Mae'n lladd y chwyn yn yr ardd",  # killing the weeds in the garden
        "Diwedd y dydd",
        "hunan-ddysgu",
        "Mae fy mywyd yn brysur",
        "Dw i eisiau mynd i'r farchnad",
        "llinell Gymraeg",
        "rheswm da i fyw yma",  # a good reason to live here
    ],
)
def test_welsh_everyday_words_are_not_crises(text: str) -> None:
    assert not is_crisis(text, WORDS), text


def test_accents_and_case_are_folded() -> None:
    assert crisis_in("HUNANLÂDDIAD", WORDS) == "hunanladdiad"
    assert crisis_in("Sùicide", WORDS) == "suicide"


def test_the_matched_phrase_is_named() -> None:
    assert crisis_in("dwi isio marw", WORDS) == "eisiau marw"
    assert crisis_in("nothing here", WORDS) is None


def test_mutations_give_the_soft_nasal_and_aspirate_forms() -> None:
    assert mutations("marw") == {"marw", "farw"}
    assert mutations("lladd") == {"lladd", "ladd"}
    assert mutations("poen") == {"poen", "boen", "mhoen", "phoen"}
    assert mutations("gwaith") == {"gwaith", "waith", "ngwaith"}
    assert mutations("eisiau") == {"eisiau", "heisiau"}
    assert mutations("rhoi") == {"rhoi", "roi"}


def test_mutated_welsh_phrases_match_only_welsh_lists() -> None:
    only_english = crisis_words(["poen"], [])
    only_welsh = crisis_words([], ["poen"])
    assert not is_crisis("dw i mewn mhoen", only_english)
    assert is_crisis("dw i mewn mhoen", only_welsh)
    assert is_crisis("ei phoen hi", only_welsh)
    assert not is_crisis("poeni", only_welsh)


def test_an_idiom_only_excuses_the_phrase_inside_it() -> None:
    assert is_crisis("I could kill myself laughing, but really I want to kill myself", WORDS)
