"""Listings and their notices through the outbox: posting is one transaction (the listing, its
search words, its due work and its match notices, or none of them), a notice that meets a bad
gateway arrives once when tried again, and a member who blocked the bot is skipped without
stopping the others; joining's and approvals' notices go the same way."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.config import Config
from bot.emulator import BotApiEmulator, SimulatedMember
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from bot.runtime.harness import running_bot
from handlers import matches
from handlers.listings.post import posting_in
from storage.listings import Listing
from tests.conftest import ADMIN_ID
from tests.helpers import agree_in, due_work_done, join, member_of

TITLE = "Pruning an apple tree"


async def start_posting(owner: SimulatedMember, title: str = TITLE) -> str:
    """Fill in /request up to its preview; the Post button's data, to press when wanted."""
    await owner.send("/request")
    await owner.press("Gardening")
    await owner.send(title)
    await owner.send("It has got very tall.")
    await owner.press("Canton")
    await owner.press("Weekends")
    await owner.press("30 days")
    return owner.last.button("Post it").callback_data or ""


def told(member: SimulatedMember, title: str = TITLE) -> int:
    return sum(title in message.text for message in member.messages)


async def counts(bot: AmserApplication) -> dict[str, int]:
    """How many rows posting writes to, table by table (of due work, the listings' own)."""
    queries = {
        table: f"SELECT count(*) FROM {table}"
        for table in ("listings", "listings_fts", "match_notices", "outbox")
    }
    queries["due_work"] = "SELECT count(*) FROM due_work WHERE key LIKE 'listing-%'"
    found = {}
    for table, sql in queries.items():
        row = await bot.services.db.fetch_one(sql)
        found[table] = int(row[0]) if row else 0
    return found


async def test_posting_writes_the_listing_its_due_work_and_notices_together_or_not_at_all(
    bot: AmserApplication, emulator: BotApiEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = emulator.member(701, "Dilys")
    ann = emulator.member(702, "Ann")
    await join(owner)
    await join(ann, categories=("Gardening",))
    services = bot.services
    owner_id = (await member_of(bot, owner)).id
    now = services.clock.now()
    expires_at = now + timedelta(days=30)
    fields = {
        "category": "gardening",
        "title": TITLE,
        "details": "It has got very tall.",
        "place": "canton",
        "availability": None,
    }
    draft = Listing(0, owner_id, "request", status="open", created_at=now, updated_at=now,
                    expires_at=expires_at, **fields)  # fmt: skip
    planned = await matches.plan(services, draft)
    assert len(planned) == 1
    before = await counts(bot)

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the process died here")

    async def posting() -> Listing:
        """What Post writes (see handlers.listings.post), as one transaction."""
        return await services.listings.create(
            owner_id, "request", now=now, expires_at=expires_at,
            along=posting_in(services.config, planned, now), **fields,
        )  # fmt: skip

    # The last step of posting fails: nothing of it may be left behind.
    with monkeypatch.context() as patch:
        patch.setattr(matches, "apply_in", crash)
        with pytest.raises(RuntimeError):
            await posting()
    assert await counts(bot) == before

    listing = await posting()
    after = await counts(bot)
    assert after["listings"] == before["listings"] + 1
    assert after["listings_fts"] == before["listings_fts"] + 1
    assert after["due_work"] == before["due_work"] + 3  # warning, expiry, unanswered flag
    assert after["match_notices"] == before["match_notices"] + 1
    assert after["outbox"] == before["outbox"] + 1
    [notice] = await services.matching.for_listing(listing.id)
    assert notice.status == "sent"
    await bot.settle()
    assert told(ann) == 1


async def test_post_pressed_twice_tells_each_member_once(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    owner = emulator.member(703, "Dilys")
    ann = emulator.member(704, "Ann")
    await join(owner)
    await join(ann, categories=("Gardening",))
    post = await start_posting(owner)
    await owner.press_data(post)
    await owner.press_data(post)  # a double tap
    assert "That's done already" in owner.last.text
    assert len(await bot.services.listings.by_member((await member_of(bot, owner)).id)) == 1
    assert told(ann) == 1


async def test_a_match_notice_that_meets_a_bad_gateway_arrives_once_when_tried_again(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    owner = emulator.member(711, "Dilys")
    ann = emulator.member(712, "Ann")
    await join(owner)
    await join(ann, categories=("Gardening",))
    post = await start_posting(owner)
    emulator.fail("sendMessage", kind="502", chat_id=ann.user_id)
    await owner.press_data(post)
    assert "Posted!" in owner.messages[-2].text
    assert told(ann) == 0
    clock.advance(timedelta(seconds=5))
    await bot.settle()
    assert told(ann) == 1
    clock.advance(timedelta(minutes=5))
    await bot.settle()
    assert await due_work_done(bot) == 0
    assert told(ann) == 1  # once, not again


async def test_a_member_who_blocked_the_bot_is_skipped_and_the_others_are_told(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    owner = emulator.member(721, "Dilys")
    ann = emulator.member(722, "Ann")
    bryn = emulator.member(723, "Bryn")
    await join(owner)
    await join(ann, categories=("Gardening",))
    await join(bryn, categories=("Gardening",))
    ann_id = (await member_of(bot, ann)).id
    emulator.fail("sendMessage", kind="403", chat_id=ann.user_id)  # blocked, not yet heard of
    await owner.press_data(await start_posting(owner))
    assert told(bryn) == 1 and told(ann) == 0
    assert (await bot.services.outbox.counts())["unreachable"] == 1
    # The next listing is not planned for her at all.
    await owner.press_data(await start_posting(owner, "Mending a fence"))
    assert told(bryn, "Mending a fence") == 1
    listing = (await bot.services.listings.by_member((await member_of(bot, owner)).id))[0]
    assert ann_id not in {n.member_id for n in await bot.services.matching.for_listing(listing.id)}


async def test_the_reminder_to_finish_joining_is_not_sent_once_they_have_joined(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    jac = emulator.member(731, "Jac")
    await agree_in(jac, "en")
    await jac.send("Jac")
    emulator.fail("sendMessage", kind="502", chat_id=jac.user_id)
    clock.advance(timedelta(days=2))
    await bot.run_due_work()
    assert not any("part-way through joining" in m.text for m in jac.messages)
    clock.advance(timedelta(seconds=5))
    await bot.settle()
    assert sum("part-way through joining" in m.text for m in jac.messages) == 1


async def test_an_applicant_declined_is_told_once_in_their_own_language_after_a_retry(
    config: Config, clock: FakeClock, emulator: BotApiEmulator
) -> None:
    async with running_bot(replace(config, require_approval=True), emulator, clock) as app:
        coordinator = emulator.member(ADMIN_ID, "Siân")
        await join(coordinator)
        bryn = emulator.member(741, "Bryn")
        await join(bryn, language="cy")
        emulator.fail("sendMessage", kind="502", chat_id=bryn.user_id)
        await coordinator.press("Decline")
        assert await app.services.members.by_telegram_id(bryn.user_id) is None  # erased
        assert "Diolch am fod eisiau ymuno" not in bryn.last.text
        clock.advance(timedelta(seconds=5))
        await app.settle()
        assert sum("Diolch am fod eisiau ymuno" in m.text for m in bryn.messages) == 1
        assert not app.services.errors
