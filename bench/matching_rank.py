"""How long ranking the helpers for a new request takes, with 100,000 open listings and 50,000
members, against a naive scan of every member in Python, measured in the same run.

Timed per request: the candidate query (SQLite, FTS5, through the same aiosqlite reader the bot
uses) plus ranking in Python. Prints one JSON line.
    python bench/matching_rank.py [--members 50000] [--listings 100000] [--requests 200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import statistics
import tempfile
import time
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import DEFAULT_AREAS, DEFAULT_CATEGORIES
from bot.domain.listings import AVAILABILITY
from bot.domain.matching import Candidate, day_start, rank
from storage.database import Database, prepare
from storage.listings import ListingRepository
from storage.matching import MatchingRepository
from storage.timestamps import to_db

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
TZ = ZoneInfo("Europe/London")
LIMIT = 5

WORDS = {
    "company": "chat tea visit lonely walk cards games stories radio friendly listen talk",
    "shopping": "shopping groceries pharmacy prescription supermarket errands bags market post",
    "gardening": "garden gardening weeding lawn mowing hedge pruning vegetables planting pots",
    "diy": "shelf shelves curtain rail flatpack furniture tap leak paint painting drill fix",
    "tech": "phone smartphone laptop computer email tablet printer wifi internet video calls",
    "transport": "lift car hospital appointment drive driving station bus wheelchair airport",
    "cooking": "cooking baking bread cake soup meals recipe kitchen batch freezer dinner",
    "language": "welsh english conversation practice learner grammar reading speaking lessons",
}
_GENERAL_TEXT = (
    "weekly sometimes morning afternoon evening small large quick friendly patient neighbour "
    "local nearby elderly mother father grandson daughter flat house street park library "
    "church school community centre happy retired student nurse teacher keen careful old new "
    "spare sunday monday saturday winter spring summer autumn october regular occasional"
)
GENERAL = _GENERAL_TEXT.split()


def sentence(rng: random.Random, category: str, count: int) -> str:
    own = WORDS[category].split()
    other = WORDS[rng.choice(list(WORDS))].split()
    pool = own * 3 + other + GENERAL * 1
    return " ".join(rng.choice(pool) for _ in range(count)).capitalize()


def build(path: Path, members: int, listings: int, seed: int = 7) -> float:
    """The synthetic community, written with executemany in one transaction; returns seconds."""
    started = time.perf_counter()
    prepare(path)
    rng = random.Random(seed)
    categories = [c.key for c in DEFAULT_CATEGORIES]
    areas = [a.key for a in DEFAULT_AREAS] + ["elsewhere"]
    times = [*AVAILABILITY, None, None]
    stamp = to_db(NOW - timedelta(days=200))
    member_rows, offer_rows, notice_pref_rows = [], [], []
    for member_id in range(1, members + 1):
        status = rng.choices(["active", "pending", "suspended", "joining"], [92, 3, 1, 4])[0]
        offered = rng.sample(categories, rng.choice([1, 1, 2, 2, 3]))
        text = sentence(rng, offered[0], rng.randint(3, 10)) if rng.random() < 0.6 else None
        active = NOW - timedelta(days=rng.expovariate(1 / 20))
        member_rows.append(
            (
                member_id,
                10_000 + member_id,
                rng.choice(["en", "en", "cy"]),
                status,
                f"Member {member_id}",
                rng.choice(areas),
                text,
                stamp,
                stamp,
                stamp,
                to_db(active),
                0 if rng.random() < 0.05 else 1,
            )
        )
        offer_rows += [(member_id, category) for category in offered]
        if rng.random() < 0.05:
            notice_pref_rows += [(member_id, c) for c in rng.sample(categories, 3)]
    listing_rows = []
    for listing_id in range(1, listings + 1):
        category = rng.choice(categories)
        created = NOW - timedelta(days=rng.uniform(0, 30))
        listing_rows.append(
            (
                listing_id,
                rng.randint(1, members),
                rng.choice(["offer", "request"]),
                category,
                sentence(rng, category, rng.randint(3, 7)),
                sentence(rng, category, rng.randint(10, 40)),
                rng.choice([*areas, "remote"]),
                rng.choice(times),
                to_db(created),
                to_db(created),
                to_db(created + timedelta(days=30)),
            )
        )
    notice_rows = []
    for listing_id in rng.sample(range(1, listings + 1), min(listings, 20_000)):
        sent = NOW - timedelta(days=rng.uniform(0, 10))
        for member_id in rng.sample(range(1, members + 1), 5):
            notice_rows.append((listing_id, member_id, 1.0, to_db(sent), to_db(sent), to_db(sent)))
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("BEGIN IMMEDIATE")
        db.executemany(
            "INSERT INTO members (id, telegram_id, language, status, display_name, area,"
            " offers_text, consent_at, created_at, updated_at, last_active_at, notices_enabled)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            member_rows,
        )
        db.executemany("INSERT INTO member_offer_categories VALUES (?, ?)", offer_rows)
        db.executemany("INSERT INTO notice_categories VALUES (?, ?)", notice_pref_rows)
        db.executemany(
            "INSERT INTO listings (id, member_id, kind, category, title, details, place,"
            " availability, status, created_at, updated_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)",
            listing_rows,
        )
        db.executemany(
            "INSERT OR IGNORE INTO match_notices (listing_id, member_id, score, status,"
            " created_at, send_after, sent_at) VALUES (?, ?, ?, 'sent', ?, ?, ?)",
            notice_rows,
        )
        db.executemany(
            "INSERT OR IGNORE INTO blocks VALUES (?, ?, ?)",
            [(rng.randint(1, members), rng.randint(1, members), stamp) for _ in range(2000)],
        )
        db.execute("COMMIT")
        db.execute("ANALYZE")
    return time.perf_counter() - started


async def naive(db: Database, request: object) -> list[int]:
    """The baseline: read every active member and score them all in Python (plain word overlap,
    no index, no stemming)."""
    rows = await db.fetch_all(
        "SELECT m.id, m.telegram_id, m.language, m.area, m.last_active_at, m.offers_text,"
        " group_concat(c.category) AS offered FROM members AS m"
        " LEFT JOIN member_offer_categories AS c ON c.member_id = m.id"
        " WHERE m.status = 'active' AND m.notices_enabled = 1 GROUP BY m.id"
    )
    wanted = set(f"{request.title} {request.details}".lower().split())  # type: ignore[attr-defined]
    candidates = []
    for row in rows:
        if row["id"] == request.member_id:  # type: ignore[attr-defined]
            continue
        overlap = len(wanted & set((row["offers_text"] or "").lower().split()))
        candidates.append(
            Candidate(
                member_id=row["id"],
                telegram_id=row["telegram_id"],
                language=row["language"],
                category_fit=request.category in (row["offered"] or "").split(","),  # type: ignore[attr-defined]
                text_relevance=float(overlap),
                area=row["area"],
                places=frozenset(),
                availability=None,
                last_active_at=datetime.fromisoformat(row["last_active_at"]),
                sent_today=0,
                sent_week=0,
            )
        )
    ranked = rank(candidates, place=request.place, availability=None, now=NOW, limit=LIMIT)  # type: ignore[attr-defined]
    return [r.candidate.member_id for r in ranked]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def measure(path: Path, members: int, requests: int, baseline_runs: int) -> dict:
    db = await Database.open(path)
    try:
        listings = ListingRepository(db)
        matching = MatchingRepository(db)
        rng = random.Random(11)
        new = []
        for _ in range(requests):
            category = rng.choice(list(WORDS))
            new.append(
                await listings.create(
                    rng.randint(1, members),
                    "request",
                    category,
                    sentence(rng, category, rng.randint(3, 7)),
                    sentence(rng, category, rng.randint(10, 40)),
                    rng.choice([*[a.key for a in DEFAULT_AREAS], "remote"]),
                    rng.choice([*AVAILABILITY, None]),
                    now=NOW,
                    expires_at=NOW + timedelta(days=30),
                )
            )
        since_day, since_week = day_start(NOW, TZ), NOW - timedelta(days=7)
        for request in new[:5]:  # warm the page cache
            await matching.candidates(request, since_day, since_week)
        ours, sizes = [], []
        for request in new:
            started = time.perf_counter()
            candidates = await matching.candidates(request, since_day, since_week)
            best = rank(
                candidates,
                place=request.place,
                availability=request.availability,
                now=NOW,
                limit=LIMIT,
            )
            ours.append((time.perf_counter() - started) * 1000)
            sizes.append(len(candidates))
            assert len(best) == LIMIT
        theirs = []
        for request in new[:baseline_runs]:
            started = time.perf_counter()
            await naive(db, request)
            theirs.append((time.perf_counter() - started) * 1000)
    finally:
        await db.close()
    ours_p50, ours_p99 = statistics.median(ours), percentile(ours, 0.99)
    base_p50, base_p99 = statistics.median(theirs), percentile(theirs, 0.99)
    return {
        "requests": requests,
        "candidates_per_request_p50": statistics.median(sizes),
        "amser_p50_ms": round(ours_p50, 2),
        "amser_p99_ms": round(ours_p99, 2),
        "amser_max_ms": round(max(ours), 2),
        "baseline": "naive scan of all members in Python",
        "baseline_runs": baseline_runs,
        "baseline_p50_ms": round(base_p50, 1),
        "baseline_p99_ms": round(base_p99, 1),
        "speedup_p50": round(base_p50 / ours_p50, 1),
        "speedup_p99": round(base_p99 / ours_p99, 1),
        "target_p99_ms": 20,
        "meets_target": ours_p99 <= 20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--baseline-runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "bench.db"
        build_seconds = build(path, args.members, args.listings)
        result = asyncio.run(measure(path, args.members, args.requests, args.baseline_runs))
    print(
        json.dumps(
            {
                "members": args.members,
                "open_listings": args.listings,
                "build_seconds": round(build_seconds, 1),
                **result,
            }
        )
    )


if __name__ == "__main__":
    main()
