"""Matching as a plain domain service and its repository: ranking, fairness, the daily cap,
quiet hours, and who must never be matched."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.domain.matching import Candidate, day_start, fts_query, rank, score, send_after
from bot.domain.membership import Status
from storage.database import Database
from storage.listings import Listing, ListingRepository
from storage.matching import MatchingRepository, next_due_in, send_due_in
from storage.members import MemberRepository

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # a Tuesday; London is on GMT
LONDON = ZoneInfo("Europe/London")
QUIET = (time(21, 0), time(8, 0))
EVERY = frozenset({"gardening", "shopping", "tech"})


def cand(member_id: int, **changes: object) -> Candidate:
    base = Candidate(
        member_id=member_id,
        telegram_id=1000 + member_id,
        language="en",
        category_fit=True,
        text_relevance=0.0,
        area="canton",
        places=frozenset(),
        availability=None,
        last_active_at=NOW - timedelta(days=1),
        sent_today=0,
        sent_week=0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def best(candidates: list[Candidate], place: str = "canton", availability: str | None = None):
    ranked = rank(candidates, place=place, availability=availability, now=NOW, limit=5)
    return [r.candidate.member_id for r in ranked]


# --- ranking -------------------------------------------------------------------------------------


def test_category_and_words_make_a_match_and_nothing_else_does() -> None:
    offers = cand(1)
    words = cand(2, category_fit=False, text_relevance=3.0)
    neither = cand(3, category_fit=False, text_relevance=0.0)
    both = cand(4, text_relevance=3.0)
    assert score(neither, place="canton", availability=None, now=NOW) is None
    assert best([neither, words, offers, both]) == [4, 1, 2]


def test_more_relevant_words_rank_higher() -> None:
    assert best([cand(1, text_relevance=0.5), cand(2, text_relevance=6.0)]) == [2, 1]


def test_the_same_area_or_remote_ranks_higher() -> None:
    near = cand(1, area="canton")
    far = cand(2, area="splott")
    far_but_remote = cand(3, area="splott", places=frozenset({"remote"}))
    assert best([far, near]) == [1, 2]
    assert best([far, far_but_remote]) == [3, 2]
    # A request that can be done by phone: everyone is near enough.
    assert best([far, near], place="remote") == [1, 2]  # a tie, by member id
    scores = rank([far, near], place="remote", availability=None, now=NOW, limit=2)
    assert scores[0].score == scores[1].score


def test_availability_overlap_ranks_higher_than_unknown_and_unknown_than_a_clash() -> None:
    fits = cand(1, availability=frozenset({"weekends"}))
    unknown = cand(2, availability=None)
    clashes = cand(3, availability=frozenset({"weekday_mornings"}))
    assert best([clashes, unknown, fits], availability="weekends") == [1, 2, 3]


def test_recent_activity_ranks_higher() -> None:
    yesterday = cand(1, last_active_at=NOW - timedelta(days=1))
    months_ago = cand(2, last_active_at=NOW - timedelta(days=90))
    never = cand(3, last_active_at=None)
    assert best([never, months_ago, yesterday]) == [1, 2, 3]


def test_fairness_someone_asked_lately_gives_way_to_an_equal_helper() -> None:
    busy = cand(1, sent_week=2)
    rested = cand(2)
    assert best([busy, rested]) == [2, 1]


def test_fairness_spreads_requests_over_equally_good_helpers() -> None:
    counts = {1: 0, 2: 0, 3: 0}
    for _ in range(9):
        pool = [cand(member, sent_week=counts[member]) for member in counts]
        chosen = rank(pool, place="canton", availability=None, now=NOW, limit=1)[0]
        counts[chosen.candidate.member_id] += 1
    assert counts == {1: 3, 2: 3, 3: 3}


def test_a_much_better_fit_still_wins_over_fairness() -> None:
    busy_expert = cand(1, text_relevance=8.0, sent_week=1)
    rested_stranger = cand(2, category_fit=False, text_relevance=0.2, area="splott")
    assert best([rested_stranger, busy_expert]) == [1, 2]


def test_rank_keeps_only_the_best_few() -> None:
    pool = [cand(n, last_active_at=NOW - timedelta(days=n)) for n in range(1, 20)]
    assert best(pool) == [1, 2, 3, 4, 5]


def test_fts_query_quotes_every_word_and_drops_syntax_and_common_words() -> None:
    assert fts_query("Help with my GARDEN", "please, the garden!") == '"garden"'
    query = fts_query('weeds" OR x* NEAR(a b) AND -mowing')
    assert query == '"weeds" OR "near" OR "mowing"'
    assert fts_query("a an of", "!!") is None


# --- when notices may go out --------------------------------------------------------------------


def at(hour: int, minute: int = 0, day: int = 24, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def test_send_now_in_the_day_and_under_the_cap() -> None:
    assert send_after(at(10), LONDON, *QUIET, sent_today=2, cap=3) == at(10)


def test_quiet_hours_wait_for_the_morning() -> None:
    assert send_after(at(22, 30), LONDON, *QUIET, sent_today=0, cap=3) == at(8, day=25)
    assert send_after(at(3), LONDON, *QUIET, sent_today=0, cap=3) == at(8)
    assert send_after(at(21), LONDON, *QUIET, sent_today=0, cap=3) == at(8, day=25)
    assert send_after(at(8), LONDON, *QUIET, sent_today=0, cap=3) == at(8)


def test_quiet_hours_are_in_the_communitys_time_zone() -> None:
    # In July London is an hour ahead of UTC: 06:30 UTC is 07:30 there, still quiet.
    assert send_after(at(6, 30, 1, 7), LONDON, *QUIET, sent_today=0, cap=3) == at(7, 0, 1, 7)
    assert send_after(at(7, 30, 1, 7), LONDON, *QUIET, sent_today=0, cap=3) == at(7, 30, 1, 7)


def test_a_used_up_cap_waits_for_the_next_morning() -> None:
    assert send_after(at(10), LONDON, *QUIET, sent_today=3, cap=3) == at(8, day=25)
    assert send_after(at(23), LONDON, *QUIET, sent_today=5, cap=3) == at(8, day=25)
    # With no quiet hours, the new day starts at midnight.
    assert send_after(at(10), LONDON, time(0), time(0), sent_today=3, cap=3) == at(0, day=25)


def test_quiet_hours_within_a_day() -> None:
    lunch = (time(12, 0), time(14, 0))
    assert send_after(at(13), LONDON, *lunch, sent_today=0, cap=3) == at(14)
    assert send_after(at(15), LONDON, *lunch, sent_today=0, cap=3) == at(15)


def test_the_day_for_the_cap_starts_at_local_midnight() -> None:
    assert day_start(at(10, 0, 1, 7), LONDON) == datetime(2026, 6, 30, 23, 0, tzinfo=UTC)
    assert day_start(at(10), LONDON) == at(0)


# --- the repository: who may be matched ----------------------------------------------------------


@pytest.fixture
async def db(tmp_path: Path):
    database = await Database.open(tmp_path / "matching.db")
    yield database
    await database.close()


class Community:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.members = MemberRepository(db)
        self.listings = ListingRepository(db)
        self.matching = MatchingRepository(db)
        self._next = 1

    async def member(
        self,
        *,
        status: Status = Status.ACTIVE,
        area: str = "canton",
        offers: tuple[str, ...] = (),
        words: str | None = None,
    ) -> int:
        telegram_id = self._next
        self._next += 1
        member = await self.members.join(telegram_id, "en", NOW)
        await self.members.update(member.id, NOW, status=status, area=area, offers_text=words)
        for category in offers:
            await self.members.set_offer_category(member.id, category, True, NOW)
        return member.id

    async def listing(
        self,
        owner: int,
        kind: str = "request",
        category: str = "gardening",
        title: str = "Weeding a small garden",
        details: str = "My back isn't what it was.",
        place: str = "canton",
        availability: str | None = None,
    ) -> Listing:
        return await self.listings.create(
            owner,
            kind,
            category,
            title,
            details,
            place,
            availability,
            now=NOW,
            expires_at=NOW + timedelta(days=30),
        )

    async def candidates(self, listing: Listing) -> dict[int, Candidate]:
        found = await self.matching.candidates(listing, day_start(NOW, LONDON), NOW - timedelta(7))
        return {candidate.member_id: candidate for candidate in found}

    async def block(self, blocker: int, blocked: int) -> None:
        await self.db.write(
            lambda tx: tx.execute(
                "INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES (?, ?, ?)",
                (blocker, blocked, NOW.isoformat()),
            )
        )


async def test_members_offering_the_category_are_candidates_not_the_requester(db) -> None:
    c = Community(db)
    asker = await c.member(offers=("gardening",))
    helper = await c.member(offers=("gardening",))
    other = await c.member(offers=("tech",))
    found = await c.candidates(await c.listing(asker))
    assert set(found) == {helper}
    assert found[helper].category_fit and found[helper].telegram_id == 2
    assert other not in found


async def test_words_find_helpers_through_stemming_in_their_own_words_and_offers(db) -> None:
    c = Community(db)
    asker = await c.member()
    by_words = await c.member(words="I love gardening and growing vegetables")
    by_offer = await c.member()
    await c.listing(by_offer, kind="offer", category="shopping", title="Gardens tidied")
    await c.member(words="I can fix computers")
    request = await c.listing(asker, title="Someone to help in my garden", details="Weeds.")
    found = await c.candidates(request)
    assert set(found) == {by_words, by_offer}
    assert found[by_words].text_relevance > 0 and not found[by_words].category_fit
    assert found[by_offer].places == frozenset({"canton"})


async def test_open_offers_bring_their_place_and_availability(db) -> None:
    c = Community(db)
    asker = await c.member()
    helper = await c.member(area="splott")
    await c.listing(helper, kind="offer", title="Lawn mowing", place="remote")
    await c.listing(helper, kind="offer", title="Hedges", availability="weekends")
    found = await c.candidates(await c.listing(asker))
    assert found[helper].category_fit
    assert found[helper].places == frozenset({"remote", "canton"})
    assert found[helper].availability is None  # one of the offers is any time


async def test_suspended_pending_joining_and_erased_members_are_never_candidates(db) -> None:
    c = Community(db)
    asker = await c.member()
    active = await c.member(offers=("gardening",))
    for status in (Status.PENDING, Status.SUSPENDED, Status.JOINING):
        await c.member(status=status, offers=("gardening",), words="garden")
    erased = await c.member(offers=("gardening",), words="garden")
    await c.listing(erased, kind="offer", title="Garden help")
    await c.members.erase(erased, NOW)
    found = await c.candidates(await c.listing(asker))
    assert set(found) == {active}


async def test_blocks_either_way_keep_members_apart(db) -> None:
    c = Community(db)
    asker = await c.member()
    blocked_by_asker = await c.member(offers=("gardening",))
    blocked_the_asker = await c.member(offers=("gardening",))
    fine = await c.member(offers=("gardening",))
    await c.block(asker, blocked_by_asker)
    await c.block(blocked_the_asker, asker)
    assert set(await c.candidates(await c.listing(asker))) == {fine}


async def test_notices_off_or_limited_to_other_kinds_are_respected(db) -> None:
    c = Community(db)
    asker = await c.member()
    off = await c.member(offers=("gardening",))
    other_kinds = await c.member(offers=("gardening",))
    this_kind = await c.member(offers=("gardening",))
    await c.matching.set_enabled(off, False)
    assert await c.matching.set_category(other_kinds, "gardening", False, EVERY)
    assert await c.matching.set_category(this_kind, "tech", False, EVERY)
    assert set(await c.candidates(await c.listing(asker))) == {this_kind}


async def test_an_offer_finds_members_with_open_matching_requests(db) -> None:
    c = Community(db)
    offerer = await c.member()
    needs_it = await c.member()
    needs_words = await c.member()
    closed = await c.member()
    only_offers = await c.member(offers=("gardening",))
    await c.listing(needs_it, availability="weekends")
    await c.listing(needs_words, category="shopping", title="Moving some garden pots")
    old = await c.listing(closed)
    await c.listings.set_status_if(old.id, ("open",), "closed", NOW)
    offer = await c.listing(offerer, kind="offer", title="Happy to do garden jobs")
    found = await c.candidates(offer)
    assert set(found) == {needs_it, needs_words}
    assert found[needs_it].category_fit and found[needs_it].availability == {"weekends"}
    assert not found[needs_words].category_fit and found[needs_words].text_relevance > 0
    assert only_offers not in found


async def test_raw_search_syntax_in_a_listing_is_harmless(db) -> None:
    c = Community(db)
    asker = await c.member()
    helper = await c.member(words="garden")
    request = await c.listing(asker, title='garden" OR NEAR(', details="* AND ^ -x {title}:")
    assert set(await c.candidates(request)) == {helper}


# --- the repository: the notice queue --------------------------------------------------------


async def test_notices_are_recorded_once_and_members_told_once_are_not_candidates(db) -> None:
    c = Community(db)
    asker = await c.member()
    helper = await c.member(offers=("gardening",))
    request = await c.listing(asker)
    first = await c.matching.record(request.id, [(helper, 4.0, NOW)], NOW)
    again = await c.matching.record(request.id, [(helper, 9.0, NOW + timedelta(days=1))], NOW)
    assert first == again and len(first) == 1 and first[0].score == 4.0
    assert await c.candidates(request) == {}


async def test_sending_what_is_due_checks_the_cap_and_the_listing_again(db) -> None:
    c = Community(db)
    helper = await c.member(offers=("gardening",))
    asker = await c.member()
    requests = [await c.listing(asker, title=f"Job {n}") for n in range(4)]
    for request in requests:
        await c.matching.record(request.id, [(helper, 1.0, NOW)], NOW)
    await c.listings.set_status_if(requests[3].id, ("open",), "closed", NOW)
    since = day_start(NOW, LONDON)
    tomorrow = NOW + timedelta(days=1)

    def when(sent_today: int) -> datetime:
        return NOW if sent_today < 2 else tomorrow

    sent = await db.write(lambda tx: send_due_in(tx, NOW, since, when))
    assert [n.listing_id for n in sent] == [r.id for r in requests[:2]]
    assert await c.matching.sent_since(helper, since) == 2
    statuses = [(await c.matching.for_listing(r.id))[0].status for r in requests]
    assert statuses == ["sent", "sent", "queued", "dropped"]  # the cap; closed meanwhile
    assert await db.write(lambda tx: send_due_in(tx, NOW, since, when)) == []  # nothing twice
    assert await db.write(next_due_in) == tomorrow


async def test_only_the_member_told_can_decline_and_only_once(db) -> None:
    c = Community(db)
    asker = await c.member()
    helper = await c.member(offers=("gardening",))
    other = await c.member()
    request = await c.listing(asker)
    [notice] = await c.matching.record(request.id, [(helper, 1.0, NOW)], NOW)
    assert not await c.matching.decline(notice.id, helper)  # not sent yet
    assert await c.matching.claim(notice, NOW, day_start(NOW, LONDON), cap=3)
    assert not await c.matching.decline(notice.id, other)
    assert await c.matching.decline(notice.id, helper)
    assert not await c.matching.decline(notice.id, helper)
    stored = await c.matching.get(notice.id)
    assert stored is not None and stored.status == "declined"


async def test_a_notice_is_not_deliverable_once_the_listing_closes_or_a_block_appears(db) -> None:
    c = Community(db)
    asker = await c.member()
    helper = await c.member(offers=("gardening",))
    first, second = await c.listing(asker), await c.listing(asker, title="Another")
    [one] = await c.matching.record(first.id, [(helper, 1.0, NOW)], NOW)
    [two] = await c.matching.record(second.id, [(helper, 1.0, NOW)], NOW)
    assert await c.matching.deliverable(one.id) and await c.matching.deliverable(two.id)
    await c.listings.set_status_if(first.id, ("open",), "closed", NOW)
    assert not await c.matching.deliverable(one.id)
    await c.block(helper, asker)
    assert not await c.matching.deliverable(two.id)


async def test_kinds_of_notice_can_be_limited_but_not_all_taken_away(db) -> None:
    c = Community(db)
    member = await c.member()
    prefs = await c.matching.preferences(member)
    assert prefs.enabled and prefs.categories == frozenset()
    assert prefs.wants("tech")
    prefs = await c.matching.set_category(member, "tech", False, EVERY)
    assert prefs is not None and prefs.categories == {"gardening", "shopping"}
    again = await c.matching.set_category(member, "tech", False, EVERY)
    assert again == prefs  # the same tap twice changes nothing
    assert await c.matching.set_category(member, "gardening", False, EVERY)
    assert await c.matching.set_category(member, "shopping", False, EVERY) is None
    prefs = await c.matching.set_category(member, "tech", True, EVERY)
    assert prefs is not None and prefs.categories == {"shopping", "tech"}
    await c.matching.set_category(member, "gardening", True, EVERY)
    assert (await c.matching.preferences(member)).categories == frozenset()  # all of them again
    prefs = await c.matching.set_enabled(member, False)
    assert not prefs.enabled and not prefs.wants("tech")
