"""Reading a moderation command's words (bot/domain/targets.py): the target, then the rest."""

from __future__ import annotations

import pytest

from bot.domain.roles import Role
from bot.domain.targets import (
    TargetWords,
    command_arguments,
    reason_of,
    role_and_reason,
    same_name,
    split_arguments,
)


def test_the_words_after_the_command() -> None:
    assert command_arguments("/promote @ann ambassador") == "@ann ambassador"
    assert command_arguments("/promote@AmserBot  Ann  admin ") == "Ann  admin"
    assert command_arguments("/demote") == ""
    assert command_arguments("not a command") == ""


def test_an_at_username_then_the_rest() -> None:
    words = split_arguments("@ann_w ambassador because she runs the repair café")
    assert words == TargetWords(
        username="ann_w", rest="ambassador because she runs the repair café"
    )


def test_a_telegram_id_then_the_rest() -> None:
    assert split_arguments("123456789 admin") == TargetWords(telegram_id=123456789, rest="admin")
    assert split_arguments("42") == TargetWords(telegram_id=42)


@pytest.mark.parametrize("typed", ["@", "@1abc", "@ann-w", "-5", "12x"])
def test_what_is_neither_a_username_nor_an_id_may_be_a_name(typed: str) -> None:
    words = split_arguments(typed)
    assert words.username is None and words.telegram_id is None
    assert words.words == (typed,)


def test_nothing_typed_names_nobody() -> None:
    assert split_arguments("   ").empty
    assert not split_arguments("Ann").empty


def test_a_name_may_be_any_start_of_the_words_longest_first() -> None:
    words = split_arguments("Siân  Jones ambassador thanks")
    assert words.name_splits() == [
        ("Siân Jones ambassador thanks", ""),
        ("Siân Jones ambassador", "thanks"),
        ("Siân Jones", "ambassador thanks"),
        ("Siân", "Jones ambassador thanks"),
    ]


def test_a_name_is_the_same_whatever_the_case_accents_and_spaces() -> None:
    assert same_name("sian  jones", "Siân Jones")
    assert not same_name("sian", "Siân Jones")


@pytest.mark.parametrize(
    ("rest", "role", "reason"),
    [
        (
            "ambassador because she runs the repair café",
            Role.AMBASSADOR,
            "because she runs the repair café",
        ),
        ("Admin", Role.ADMIN, None),
        ("coordinator  for  the  north ", Role.ADMIN, "for the north"),
        ("llysgennad", Role.AMBASSADOR, None),
        ("gydlynydd am ei gwaith", Role.ADMIN, "am ei gwaith"),
        ("boss please", None, "boss please"),
        ("", None, None),
    ],
)
def test_the_role_then_the_reason(rest: str, role: Role | None, reason: str | None) -> None:
    asked = role_and_reason(rest)
    assert (asked.role, asked.reason) == (role, reason)


def test_a_reason_is_one_line_or_none() -> None:
    assert reason_of("  kept\nposting  adverts ") == "kept posting adverts"
    assert reason_of("  ") is None
