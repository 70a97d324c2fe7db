"""Matching: who should hear about a new listing, and when. Plain domain, no Telegram.

A new request is matched against members who offer its category or whose words fit it; a
new offer against members with open requests that fit. Each candidate gets a score from the
category, the words (FTS5 bm25), the area, availability and recent activity, less a fairness
penalty for notices they had lately, so the same helpful person is not asked every time.
When a notice may go out is decided by `send_after`: never in quiet hours, never more than
the daily cap; held notices wait in the queue, they are not lost.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot.domain import welsh

REMOTE = "remote"

# Weights of each factor; a candidate needs a category fit or some words in common.
CATEGORY_WEIGHT = 3.0
TEXT_WEIGHT = 2.5
TEXT_BASE = 0.4  # any words in common earn this share of TEXT_WEIGHT (bm25 is ~0 when few)
TEXT_HALF = 2.0  # the bm25 relevance that earns half of the rest
AREA_WEIGHT = 1.5
AVAILABILITY_WEIGHT = 1.0
ACTIVITY_WEIGHT = 1.0
ACTIVITY_HALF_LIFE_DAYS = 14.0
# Fairness: each notice in the last 7 days, and again each one today, lowers the score.
WEEK_PENALTY = 0.6
TODAY_PENALTY = 1.0

MAX_QUERY_WORDS = 5
MIN_WORD_LENGTH = 3
# Words that say nothing about what is needed, in English and Welsh.
_STOP_WORDS_TEXT = """
    the and for with this that from have has had are was were will would could should can
    you your yours our ours their them they she her his him its not but all any some
    someone somebody anyone anybody something anything please thanks thank help helps helping
    need needs needed want wants like just also very really much more most than then there
    here when what which who whom how why where about into onto over under after before
    able get got make made time times bit little lot lots one two three day days week weeks
    yr ydw ydy oes mae sydd gyda gan ond neu fel hefyd iawn angen eisiau helpu help plis
    diolch rhywun rhywbeth unrhyw pan beth pwy sut pam lle dros dan ar gyfer wedi bydd byddai
    fy ein eich hwn hon hyn yma yna dwi rwy rydw roedd oedd bod fod yng mewn trwy drwy heb efo
    hefo isio moyn gallu allu medru fedru gael cael wneud gwneud pob nhw chi mwy dim ddim
    mwynhau hoffi hoff caru gallaf allaf medraf fedraf gen gennyf gennym cymorth gymorth
    chymorth nghymorth ychydig tipyn dipyn rhaid sydd
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


@dataclass(frozen=True)
class Candidate:
    """A member who might hear about a listing, with what the database knows about the fit."""

    member_id: int
    telegram_id: int
    language: str
    category_fit: bool  # offers (or, for an offer, asked for) the listing's category
    text_relevance: float  # -bm25 of the best of their texts against the listing; 0 if none
    area: str | None  # the member's area key
    places: frozenset[str]  # where their fitting listings are ('remote' included)
    availability: frozenset[str] | None  # when their fitting listings are; None: any time
    last_active_at: datetime | None
    sent_today: int
    sent_week: int


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    score: float


def fts_query(*texts: str, limit: int = MAX_QUERY_WORDS) -> str | None:
    """A safe FTS5 query from member text: the stems of its first distinct words, quoted and
    ORed; None if no words.

    Member text is never passed as FTS syntax: each stem is quoted as a string (so AND, NEAR,
    * or a stray quote mean nothing), and common words are left out. A Welsh word brings every
    radical it may be a mutation of, with and without a common ending, as the index holds them
    (bot.domain.welsh), so "fy ngardd" finds "garddio"; the porter tokenizer then stems each
    quoted term, so "gardening" finds "garden".
    """
    chosen: list[str] = []
    stems: list[str] = []
    for word, found in welsh.terms(*texts):
        if (
            len(word) < MIN_WORD_LENGTH
            or word in STOP_WORDS
            or word.isdigit()
            or word in chosen
            or len(chosen) == limit
        ):
            continue
        useful = [
            stem
            for stem in welsh.ordered(word, found)
            if len(stem) >= MIN_WORD_LENGTH and stem not in STOP_WORDS and stem not in stems
        ]
        if useful:
            chosen.append(word)
            stems.extend(useful)
    if not stems:
        return None
    return " OR ".join('"' + stem.replace('"', '""') + '"' for stem in stems)


def score(
    candidate: Candidate, *, place: str, availability: str | None, now: datetime
) -> float | None:
    """The candidate's score for a listing at `place` and `availability`; None: not a match."""
    if not candidate.category_fit and candidate.text_relevance <= 0:
        return None
    total = CATEGORY_WEIGHT if candidate.category_fit else 0.0
    relevance = candidate.text_relevance
    if relevance > 0:
        total += TEXT_WEIGHT * (TEXT_BASE + (1 - TEXT_BASE) * relevance / (relevance + TEXT_HALF))
    if (
        place == REMOTE
        or REMOTE in candidate.places
        or place == candidate.area
        or place in candidate.places
    ):
        total += AREA_WEIGHT
    if availability is None or candidate.availability is None:
        total += AVAILABILITY_WEIGHT / 2
    elif availability in candidate.availability:
        total += AVAILABILITY_WEIGHT
    if candidate.last_active_at is not None:
        idle_days = max((now - candidate.last_active_at).total_seconds(), 0.0) / 86400
        total += ACTIVITY_WEIGHT * math.pow(0.5, idle_days / ACTIVITY_HALF_LIFE_DAYS)
    total -= WEEK_PENALTY * candidate.sent_week + TODAY_PENALTY * candidate.sent_today
    return total


def rank(
    candidates: Iterable[Candidate],
    *,
    place: str,
    availability: str | None,
    now: datetime,
    limit: int,
) -> list[Ranked]:
    """The best `limit` candidates, best first (ties: fewer recent notices, then member id)."""
    scored = []
    for candidate in candidates:
        value = score(candidate, place=place, availability=availability, now=now)
        if value is not None:
            scored.append(Ranked(candidate, round(value, 6)))
    scored.sort(key=lambda r: (-r.score, r.candidate.sent_week, r.candidate.member_id))
    return scored[:limit]


# --- when a notice may go out ----------------------------------------------------------------


def in_quiet_hours(moment: time, start: time, end: time) -> bool:
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end  # over midnight, e.g. 21:00-08:00


def _local(day: date, at: time, tz: tzinfo) -> datetime:
    return datetime.combine(day, at, tzinfo=tz)


def day_start(now: datetime, tz: tzinfo) -> datetime:
    """Midnight of the community's day that `now` falls in, in UTC: the daily cap counts from it."""
    return _local(now.astimezone(tz).date(), time(0), tz).astimezone(UTC)


def send_after(
    now: datetime,
    tz: tzinfo,
    quiet_start: time,
    quiet_end: time,
    sent_today: int,
    cap: int,
) -> datetime:
    """When a notice may be sent: `now` if allowed, else the end of quiet hours (the morning),
    or the next day's first allowed moment when today's cap is used up."""
    local = now.astimezone(tz)
    candidate = local
    if sent_today >= cap:
        candidate = _local(local.date() + timedelta(days=1), time(0), tz)
    moment = candidate.time().replace(tzinfo=None)
    if in_quiet_hours(moment, quiet_start, quiet_end):
        end = _local(candidate.date(), quiet_end, tz)
        if end <= candidate:
            end = _local(candidate.date() + timedelta(days=1), quiet_end, tz)
        candidate = end
    return now if candidate == local else candidate.astimezone(UTC)
