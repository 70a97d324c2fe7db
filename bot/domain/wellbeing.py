"""Wellbeing questions: the ONS personal wellbeing questions every three months, the "since you
joined" questions once a year, and which answers are low enough to offer the helplines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.domain import N_

ONS_EVERY = timedelta(days=91)  # about three months
SINCE_EVERY = timedelta(days=365)


class Kind(StrEnum):
    ONS = "ons"  # the four ONS questions, 0 ("not at all") to 10 ("completely")
    SINCE = "since"  # "since you joined...": yes / no / not sure


@dataclass(frozen=True)
class Round:
    """One offering of a kind of questions, named by the day it was due."""

    kind: Kind
    day: date


# The ONS personal wellbeing questions (ONS4), in this order and wording; free to use, cited
# as the ONS questions. Each is reported apart, never summed.
ONS_QUESTIONS = (
    N_("Overall, how satisfied are you with your life nowadays?"),
    N_("Overall, to what extent do you feel that the things you do in your life are worthwhile?"),
    N_("Overall, how happy did you feel yesterday?"),
    N_("Overall, how anxious did you feel yesterday?"),
)
LIFE_SATISFACTION, WORTHWHILE, HAPPY, ANXIOUS = range(4)
SCALE = range(11)

SINCE_QUESTIONS = (
    N_("Since you joined, do you feel your quality of life has improved?"),
    N_("Since you joined, do you feel healthier?"),
    N_("Since you joined, have you needed to see the doctor less often?"),
    N_("Since you joined, have you made new friends?"),
    N_("Since you joined, do you feel more able to contribute to your community?"),
)


class Since(StrEnum):
    """An answer to a "since you joined" question, as stored: 1 yes, 0 no, 2 not sure."""

    NO = "0"
    YES = "1"
    NOT_SURE = "2"


def questions(kind: Kind) -> tuple[str, ...]:
    return ONS_QUESTIONS if kind is Kind.ONS else SINCE_QUESTIONS


def valid_press(kind: Kind, question: int, answer: int | None) -> bool:
    """Whether a question of that number exists and takes that answer (None: skipped)."""
    if not 0 <= question < len(questions(kind)):
        return False
    if answer is None:
        return True
    return answer in SCALE if kind is Kind.ONS else str(answer) in {s.value for s in Since}


def needs_helplines(kind: Kind, question: int, answer: int | None) -> bool:
    """Very low answers: life satisfaction 4 or less, or anxiety 6 or more (domain notes §5-6)."""
    if kind is not Kind.ONS or answer is None:
        return False
    if question == LIFE_SATISFACTION:
        return answer <= 4
    return question == ANXIOUS and answer >= 6


def every(kind: Kind) -> timedelta:
    return ONS_EVERY if kind is Kind.ONS else SINCE_EVERY
