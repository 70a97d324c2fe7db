"""Housekeeping as standing due work: old match notices go once matching no longer needs them,
and the full-text indexes are tidied, each rescheduling itself."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.config import Config
from bot.emulator import BotApiEmulator
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from bot.runtime.harness import running_bot
from handlers import housekeeping
from storage.listings import Listing
from storage.timestamps import to_db
from tests.helpers import joined, member_of


async def standing(app: AmserApplication) -> dict[str, tuple[str, object]]:
    rows = await app.services.db.fetch_all(
        "SELECT key, kind, due_at FROM due_work WHERE kind IN (?, ?)", housekeeping.KINDS
    )
    return {row["key"]: (row["kind"], row["due_at"]) for row in rows}


async def notices(app: AmserApplication) -> set[tuple[int, int]]:
    rows = await app.services.db.fetch_all("SELECT listing_id, member_id FROM match_notices")
    return {(row["listing_id"], row["member_id"]) for row in rows}


async def fts_segments(app: AmserApplication) -> int:
    row = await app.services.db.fetch_one("SELECT count(*) FROM listings_fts_data")
    return int(row[0]) if row else 0


async def test_standing_work_is_scheduled_once_at_start_up(
    config: Config, clock: FakeClock
) -> None:
    async with BotApiEmulator() as emulator:
        async with running_bot(config, emulator, clock) as app:
            first = await standing(app)
        assert set(first) == {housekeeping.PRUNE_KEY, housekeeping.OPTIMISE_KEY}
        clock.advance(timedelta(hours=1))
        async with running_bot(config, emulator, clock) as app:
            assert await standing(app) == first  # a restart neither adds nor moves it


async def test_old_notices_go_unless_matching_still_needs_them(
    bot: AmserApplication, emulator, clock: FakeClock
) -> None:
    services = bot.services
    people = [await joined(emulator, 501 + n, name) for n, name in enumerate(("Ann", "Bet", "Cai"))]
    ann, bet, cai = [(await member_of(bot, person)).id for person in people]

    async def listing(title: str) -> Listing:
        now = clock.now()
        return await services.listings.create(
            ann, "request", "gardening", title, "d", "canton", None, now, now + timedelta(days=30)
        )

    async def told(listing: Listing, member: int, *, sent: bool = True) -> None:
        now = clock.now()
        [notice] = [
            n
            for n in await services.matching.record(listing.id, [(member, 1.0, now)], now)
            if n.member_id == member
        ]
        if sent:
            assert await services.matching.claim(notice, now, now - timedelta(days=1), 99)

    closed, still_open = await listing("Hedge"), await listing("Lawn")
    await told(closed, bet)  # old, sent, its listing closed: goes
    await told(closed, cai, sent=False)  # still queued: stays
    await told(still_open, bet)  # its listing is open, so "already told" still counts: stays
    await services.listings.set_status_if(closed.id, ("open",), "closed", clock.now())
    clock.advance(timedelta(days=85))
    recent = await listing("Shed")
    await told(recent, cai)  # closed, but only six days old when the work runs: stays
    await services.listings.set_status_if(recent.id, ("open",), "closed", clock.now())
    clock.advance(timedelta(days=6))

    await bot.run_due_work()

    assert await notices(bot) == {(closed.id, cai), (still_open.id, bet), (recent.id, cai)}
    kind, due_at = (await standing(bot))[housekeeping.PRUNE_KEY]
    assert kind == housekeeping.PRUNE_KIND
    assert due_at == to_db(clock.now() + housekeeping.PRUNE_EVERY)


async def test_notices_are_kept_as_long_as_configured(
    config: Config, clock: FakeClock, emulator
) -> None:
    longer = replace(config, match_notice_days=200)
    async with running_bot(longer, emulator, clock) as app:
        person = await joined(emulator, 511, "Dai")
        other = await joined(emulator, 512, "Eli")
        owner = (await member_of(app, person)).id
        now = clock.now()
        listing = await app.services.listings.create(
            owner, "offer", "tech", "Phones", "d", "canton", None, now, now + timedelta(days=30)
        )
        await app.services.matching.record(
            listing.id, [((await member_of(app, other)).id, 1.0, now)], now
        )
        await app.services.matching.drop(
            (await app.services.matching.for_listing(listing.id))[0].id
        )
        await app.services.listings.set_status_if(listing.id, ("open",), "closed", now)
        clock.advance(timedelta(days=150))
        await app.run_due_work()
        assert len(await notices(app)) == 1
        clock.advance(timedelta(days=51))
        await app.run_due_work()
        assert await notices(app) == set()


async def test_the_search_indexes_are_optimised_and_it_comes_round_again(
    bot: AmserApplication, emulator, clock: FakeClock
) -> None:
    owner = (await member_of(bot, await joined(emulator, 521, "Fflur"))).id
    now = clock.now()
    for n in range(30):  # each write adds a segment to the index until it is merged
        listing = await bot.services.listings.create(
            owner, "offer", "tech", f"Laptops {n}", "d", "canton", None, now, now + timedelta(1)
        )
        await bot.services.listings.update(listing.id, now, title=f"Phones {n}")
    before = await fts_segments(bot)
    clock.advance(timedelta(hours=bot.services.config.fts_optimise_hours))
    await bot.run_due_work()
    assert await fts_segments(bot) < before
    found = await bot.services.db.fetch_all(
        "SELECT rowid FROM listings_fts WHERE listings_fts MATCH 'phone'"
    )
    assert len(found) == 30  # the index still finds what it should
    kind, due_at = (await standing(bot))[housekeeping.OPTIMISE_KEY]
    assert kind == housekeeping.OPTIMISE_KIND
    hours = timedelta(hours=bot.services.config.fts_optimise_hours)
    assert due_at == to_db(clock.now() + hours)
