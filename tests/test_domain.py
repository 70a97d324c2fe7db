"""Plain domain rules, tested directly: text cleaning, joining steps, signed buttons."""

from __future__ import annotations

from itertools import pairwise

import pytest

from bot.domain.membership import (
    JOIN_ORDER,
    Status,
    Step,
    passed,
    status_after_joining,
)
from bot.domain.roles import Role
from bot.domain.text import TextRejected, clean_line, clean_paragraphs
from bot.runtime.callbacks import CallbackSigner


def test_clean_line_collapses_space_and_drops_control_characters() -> None:
    assert clean_line("  Eleri \t  Wyn\n", 40) == "Eleri Wyn"
    assert clean_line("A\u200bB\x07C", 40) == "ABC"


def test_clean_paragraphs_keeps_single_blank_lines() -> None:
    assert clean_paragraphs(" one  two \n\n\n\n three ", 100) == "one two\n\nthree"


@pytest.mark.parametrize(
    ("text", "reason", "length"),
    [("", "empty", 0), (" \n ", "empty", 0), ("x" * 41, "too_long", 41)],
)
def test_rejections_say_why(text: str, reason: str, length: int) -> None:
    with pytest.raises(TextRejected) as rejected:
        clean_line(text, 40)
    assert (rejected.value.reason, rejected.value.length, rejected.value.limit) == (
        reason,
        length,
        40,
    )


def test_joining_questions_are_done_once_the_member_has_gone_past_them() -> None:
    assert JOIN_ORDER[0] is Step.NAME
    for earlier, later in pairwise(JOIN_ORDER):
        assert passed(earlier, later, answered=False)
        assert not passed(later, earlier, answered=True)
    assert passed(Step.AREA, Step.AREA, answered=True)
    assert not passed(Step.AREA, Step.AREA, answered=False)


def test_only_members_wait_for_approval() -> None:
    assert status_after_joining(True, Role.MEMBER) is Status.PENDING
    assert status_after_joining(True, Role.AMBASSADOR) is Status.ACTIVE
    assert status_after_joining(False, Role.MEMBER) is Status.ACTIVE


def test_signed_buttons_work_only_for_their_member() -> None:
    signer = CallbackSigner(b"k" * 32)
    data = signer.sign(7, "adm", "approve", 12)
    assert signer.verify(7, data) == ["adm", "approve", "12"]
    assert signer.verify(8, data) is None
    assert signer.verify(7, data.replace("12", "13")) is None
    assert signer.verify(7, "adm:approve:12") is None
    assert CallbackSigner(b"other" * 8).verify(7, data) is None


def test_signed_buttons_fit_telegrams_64_bytes() -> None:
    signer = CallbackSigner(b"k" * 32)
    assert len(signer.sign(10**12, "st", "offers_text", "clear").encode()) <= 64
    with pytest.raises(ValueError, match="too long"):
        signer.sign(1, "x" * 60)
