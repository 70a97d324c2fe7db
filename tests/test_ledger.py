"""The time-credit ledger: the rules (bot/domain/ledger.py) and the storage (storage/ledger/).

Property-based tests drive random sequences of operations, with double taps, re-delivered
updates and racing answers, and check after each sequence that the ledger adds up.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import sqlite3
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bot.config import Config, ConfigError, load_config, parse_config
from bot.domain.ledger import (
    FloorDecision,
    FollowUp,
    MinutesProblem,
    duration_text,
    floor_decision,
    follow_up_schedule,
    hours_figure,
    minutes_problem,
    quarter_hour_choices,
)
from storage.database import Database
from storage.ledger import (
    AccountKind,
    LedgerRepository,
    Outcome,
    Settlement,
    State,
    Transfer,
    TransferKind,
)
from storage.members import MemberRepository

ROOT = Path(__file__).parent.parent
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)
HOUR = 60
KEYS = itertools.count()


# --- the rules ---------------------------------------------------------------------------------


def test_minutes_are_positive_quarter_hours_up_to_the_maximum() -> None:
    assert minutes_problem(90, max_minutes=12 * HOUR) is None
    assert minutes_problem(12 * HOUR, max_minutes=12 * HOUR) is None
    assert minutes_problem(0, max_minutes=720) is MinutesProblem.NOT_POSITIVE
    assert minutes_problem(-15, max_minutes=720) is MinutesProblem.NOT_POSITIVE
    assert minutes_problem(20, max_minutes=720) is MinutesProblem.NOT_A_STEP
    assert minutes_problem(20, max_minutes=720, step=5) is None
    assert minutes_problem(735, max_minutes=720) is MinutesProblem.TOO_MANY
    assert quarter_hour_choices(60) == [15, 30, 45, 60]


def test_hours_are_written_as_people_write_them() -> None:
    assert [hours_figure(m) for m in (90, 45, 120, 15, 0, -150, 80)] == [
        "1½",
        "¾",
        "2",
        "¼",
        "0",
        "−2½",
        "1 h 20 min",
    ]
    assert [duration_text(m) for m in (90, 45, 120, 0, -75)] == [
        "1 h 30 min",
        "45 min",
        "2 h",
        "0 min",
        "−1 h 15 min",
    ]


def test_the_floor_only_asks_a_coordinator_when_the_payer_would_go_below_it() -> None:
    floor = -10 * HOUR
    assert floor_decision(0, 60, floor) is FloorDecision.ALLOWED
    assert floor_decision(-9 * HOUR, 60, floor) is FloorDecision.ALLOWED  # exactly at the floor
    assert floor_decision(-9 * HOUR, 75, floor) is FloorDecision.NEEDS_APPROVAL
    assert floor_decision(-20 * HOUR, 15, floor) is FloorDecision.NEEDS_APPROVAL


def test_unconfirmed_exchanges_are_followed_up_after_2_5_and_7_days() -> None:
    schedule = follow_up_schedule(NOW)
    assert schedule.first_reminder == NOW + timedelta(days=2)
    assert schedule.second_reminder == NOW + timedelta(days=5)
    assert schedule.hand_over == NOW + timedelta(days=7)
    assert schedule.due(NOW + timedelta(days=1)) is None
    assert schedule.due(NOW + timedelta(days=2)) is FollowUp.FIRST_REMINDER
    assert schedule.due(NOW + timedelta(days=6)) is FollowUp.SECOND_REMINDER
    assert schedule.due(NOW + timedelta(days=30)) is FollowUp.HAND_OVER
    assert schedule.next_after(NOW) == (FollowUp.FIRST_REMINDER, schedule.first_reminder)
    assert schedule.next_after(NOW + timedelta(days=3)) == (
        FollowUp.SECOND_REMINDER,
        schedule.second_reminder,
    )
    assert schedule.next_after(NOW + timedelta(days=7)) is None


def test_ledger_config_defaults_example_and_mistakes() -> None:
    config = Config()
    assert (config.max_exchange_minutes, config.balance_floor_minutes) == (720, -600)
    assert (config.starter_minutes, config.ambassadors_may_grant) == (0, False)
    example = load_config(ROOT / "config.example.toml", environ={})
    assert example.max_exchange_minutes == 720 and example.balance_floor_minutes == -600
    custom = parse_config(
        {
            "ledger": {
                "balance_floor_hours": -7.5,
                "starter_hours": 3,
                "ambassadors_may_grant": True,
            }
        },
        environ={},
    )
    assert (custom.balance_floor_minutes, custom.starter_minutes) == (-450, 180)
    assert custom.ambassadors_may_grant
    for data, message in [
        ({"max_exchange_hours": 0}, "'ledger.max_exchange_hours' must be a number of hours"),
        ({"max_exchange_hours": 1.1}, "in quarter-hours"),
        ({"balance_floor_hours": 5}, "'ledger.balance_floor_hours' must be"),
        ({"starter_hours": "2"}, "'ledger.starter_hours' must be"),
        ({"ambassadors_may_grant": "no"}, "must be true or false"),
    ]:
        with pytest.raises(ConfigError, match=re.escape(message)):
            parse_config({"ledger": data}, environ={})


# --- the repository -----------------------------------------------------------------------------


@dataclass
class Community:
    db: Database
    ledger: LedgerRepository
    members: MemberRepository
    ids: list[int]

    async def exchange(
        self, helped: int, helper: int, minutes: int = 60, *, key: str | None = None, by=None
    ) -> Transfer:
        created = await self.ledger.propose(
            key=key or f"k{next(KEYS)}",
            created_by=helper if by is None else by,
            helped_id=helped,
            helper_id=helper,
            minutes=minutes,
            happened_on=TODAY,
            now=NOW,
            note="weeding the garden",
        )
        return created.transfer

    async def entries(self) -> list[sqlite3.Row]:
        return await self.db.fetch_all("SELECT * FROM entries ORDER BY id")


async def accounts(c: Community) -> list[tuple[str, int | None, int]]:
    """Every account as (kind, member, balance), oldest first."""
    rows = await c.db.fetch_all("SELECT kind, member_id, balance FROM accounts ORDER BY id")
    return [tuple(row) for row in rows]


async def open_community(path: Path, members: int = 5) -> Community:
    db = await Database.open(path)
    repo = MemberRepository(db)
    ids = [(await repo.join(100 + i, "en", NOW)).id for i in range(members)]
    return Community(db, LedgerRepository(db), repo, ids)


@pytest.fixture
async def c(tmp_path: Path) -> AsyncIterator[Community]:
    community = await open_community(tmp_path / "ledger.db")
    yield community
    assert await community.ledger.check_invariants() == []
    await community.db.close()


async def test_the_pot_and_issuance_exist_and_member_accounts_open_on_demand(c: Community) -> None:
    pot = await c.ledger.pot()
    assert (pot.kind, pot.balance) == (AccountKind.POT, 0)
    assert await c.ledger.get_account(pot.id) == pot
    assert await accounts(c) == [("pot", None, 0), ("issuance", None, 0)]
    assert await c.ledger.balance(c.ids[0]) == 0  # no account before a first transfer
    await c.ledger.give_starter_credits(c.ids[0], HOUR, NOW)
    await c.ledger.donate("d:1", c.ids[0], 15, NOW + timedelta(days=1))
    assert (await accounts(c))[2:] == [("member", c.ids[0], 45)]  # opened once, when needed
    assert await c.ledger.balance(c.ids[1]) == 0
    org = await c.ledger.organisation("Canton Library", NOW)
    assert org == await c.ledger.organisation("Canton Library", NOW)


async def test_the_schema_refuses_edits_and_deletes(c: Community) -> None:
    a, b = c.ids[:2]
    transfer = await c.exchange(a, b)
    await c.ledger.confirm(transfer.id, a, NOW)
    for sql in (
        "UPDATE entries SET amount = 1",
        "DELETE FROM entries",
        "DELETE FROM transfers",
        "UPDATE transfers SET amount = 1",
        "UPDATE transfers SET to_account_id = from_account_id",
        "UPDATE transfers SET state = 'pending'",
        "INSERT INTO accounts (kind, name, created_at) VALUES ('pot', 'another', 'x')",
    ):
        with pytest.raises(sqlite3.IntegrityError):
            await c.db.write(lambda tx, sql=sql: tx.execute(sql))


async def test_propose_checks_its_input_and_is_idempotent_by_key(c: Community) -> None:
    a, b, stranger = c.ids[:3]
    common = {"happened_on": TODAY, "now": NOW}
    with pytest.raises(ValueError, match="two different members"):
        await c.ledger.propose(
            key="x", created_by=a, helped_id=a, helper_id=a, minutes=60, **common
        )
    with pytest.raises(ValueError, match="logged by one of its two members"):
        await c.ledger.propose(
            key="x", created_by=stranger, helped_id=a, helper_id=b, minutes=60, **common
        )
    for bad in (0, -15, 1.5):
        with pytest.raises(ValueError, match="positive whole number of minutes"):
            await c.ledger.propose(
                key="x", created_by=a, helped_id=a, helper_id=b, minutes=bad, **common
            )
    first = await c.ledger.propose(
        key="update:77", created_by=a, helped_id=a, helper_id=b, minutes=60, **common
    )
    again = await c.ledger.propose(
        key="update:77", created_by=a, helped_id=a, helper_id=b, minutes=60, **common
    )
    assert first.created and not again.created and first.transfer == again.transfer
    assert first.transfer.state is State.PENDING and first.transfer.awaiting == b
    assert first.transfer.note is None and await c.ledger.get(first.transfer.id) == first.transfer
    raced = await asyncio.gather(
        *(
            c.ledger.propose(
                key="update:78", created_by=a, helped_id=a, helper_id=b, minutes=45, **common
            )
            for _ in range(5)
        )
    )
    assert [r.created for r in raced].count(True) == 1
    assert len({r.transfer.id for r in raced}) == 1
    assert await c.entries() == []


async def test_only_the_other_member_confirms_and_only_once(c: Community) -> None:
    helped, helper, stranger = c.ids[:3]
    transfer = await c.exchange(helped, helper, 90)  # the helper logged it
    assert (await c.ledger.confirm(transfer.id, helper, NOW)).outcome is Outcome.NOT_ALLOWED
    assert (await c.ledger.confirm(transfer.id, stranger, NOW)).outcome is Outcome.NOT_ALLOWED
    assert (await c.ledger.decline(transfer.id, helper, NOW)).outcome is Outcome.NOT_ALLOWED
    assert await c.entries() == []
    result = await c.ledger.confirm(transfer.id, helped, NOW)
    assert result.outcome is Outcome.DONE and result.changed
    assert result.transfer == await c.ledger.get(transfer.id)
    assert result.transfer.state is State.CONFIRMED and result.transfer.confirmed_by == helped
    again = await c.ledger.confirm(transfer.id, helped, NOW)
    assert again.outcome is Outcome.ALREADY and not again.changed
    assert (await c.ledger.decline(transfer.id, helped, NOW)).outcome is Outcome.TOO_LATE
    assert [(e["account_id"], e["amount"]) for e in await c.entries()] == [
        (transfer.from_account_id, -90),
        (transfer.to_account_id, 90),
    ]
    assert (await c.ledger.balance(helped), await c.ledger.balance(helper)) == (-90, 90)
    assert await c.ledger.totals(helper) == (await c.ledger.totals(helper)).__class__(
        balance=90, given=90, received=0, donated=0, granted=0
    )
    assert (await c.ledger.totals(helped)).received == 90
    with pytest.raises(LookupError):
        await c.ledger.confirm(9999, helped, NOW)


async def test_decline_then_nothing_else(c: Community) -> None:
    helped, helper = c.ids[:2]
    transfer = await c.exchange(helped, helper, by=helped)  # the helped member logged it
    assert transfer.awaiting == helper
    declined = await c.ledger.decline(transfer.id, helper, NOW)
    assert declined.outcome is Outcome.DONE and declined.transfer.state is State.DECLINED
    assert (await c.ledger.decline(transfer.id, helper, NOW)).outcome is Outcome.ALREADY
    assert (await c.ledger.confirm(transfer.id, helper, NOW)).outcome is Outcome.TOO_LATE
    assert (await c.ledger.dispute(transfer.id, helper, NOW)).outcome is Outcome.TOO_LATE
    assert (await c.ledger.expire(transfer.id, NOW)).outcome is Outcome.TOO_LATE
    assert await c.entries() == []


async def test_racing_confirm_and_decline_leave_one_outcome(c: Community) -> None:
    helped, helper = c.ids[:2]
    for _ in range(10):
        transfer = await c.exchange(helped, helper)
        confirmed, declined = await asyncio.gather(
            c.ledger.confirm(transfer.id, helped, NOW), c.ledger.decline(transfer.id, helped, NOW)
        )
        outcomes = {confirmed.outcome, declined.outcome}
        assert outcomes == {Outcome.DONE, Outcome.TOO_LATE}
        final = await c.ledger.get(transfer.id)
        assert final is not None
        expected = State.CONFIRMED if confirmed.outcome is Outcome.DONE else State.DECLINED
        assert final.state is expected


async def test_change_the_time_sends_a_counter_proposal_back(c: Community) -> None:
    helped, helper = c.ids[:2]
    original = await c.exchange(helped, helper, 120)
    assert (await c.ledger.counter(original.id, helper, 90, NOW)).outcome is Outcome.NOT_ALLOWED
    with pytest.raises(ValueError, match="changes the time"):
        await c.ledger.counter(original.id, helped, 120, NOW)
    with pytest.raises(ValueError, match="positive"):
        await c.ledger.counter(original.id, helped, 0, NOW)
    first, second = await asyncio.gather(
        c.ledger.counter(original.id, helped, 90, NOW),
        c.ledger.counter(original.id, helped, 90, NOW),
    )
    assert {first.outcome, second.outcome} == {Outcome.DONE, Outcome.ALREADY}
    proposal = first.transfer
    assert second.transfer == proposal
    assert (await c.ledger.get(original.id)).state is State.DECLINED  # type: ignore[union-attr]
    assert (proposal.amount, proposal.created_by, proposal.awaiting) == (90, helped, helper)
    assert (proposal.from_member_id, proposal.to_member_id) == (helped, helper)
    assert proposal.counters_transfer_id == original.id and proposal.note == original.note
    assert (await c.ledger.confirm(proposal.id, helped, NOW)).outcome is Outcome.NOT_ALLOWED
    assert (await c.ledger.confirm(proposal.id, helper, NOW)).outcome is Outcome.DONE
    assert await c.ledger.balance(helper) == 90
    # A counter to a counter-proposal is allowed while it is pending, and ends there.
    other = await c.exchange(helped, helper, 60)
    countered = (await c.ledger.counter(other.id, helped, 30, NOW)).transfer
    back = await c.ledger.counter(countered.id, helper, 45, NOW)
    assert back.outcome is Outcome.DONE and back.transfer.awaiting == helped
    replayed = await c.ledger.counter(other.id, helped, 30, NOW)
    assert replayed.outcome is Outcome.ALREADY and replayed.transfer.id == countered.id
    assert replayed.transfer.state is State.DECLINED


async def test_dispute_goes_to_the_coordinators_who_settle_it(c: Community) -> None:
    helped, helper, coordinator, stranger = c.ids[:4]
    transfer = await c.exchange(helped, helper, 60)
    assert (await c.ledger.dispute(transfer.id, stranger, NOW)).outcome is Outcome.NOT_ALLOWED
    disputed = await c.ledger.dispute(transfer.id, helped, NOW, reason="it was 30 minutes")
    assert disputed.outcome is Outcome.DONE and disputed.transfer.disputed_by == helped
    assert disputed.transfer.reason == "it was 30 minutes"
    assert (await c.ledger.dispute(transfer.id, helper, NOW)).outcome is Outcome.ALREADY
    assert (await c.ledger.confirm(transfer.id, helped, NOW)).outcome is Outcome.TOO_LATE
    assert [t.id for t in await c.ledger.for_coordinators()] == [transfer.id]
    own = await c.ledger.settle(transfer.id, helper, Settlement.CONFIRM, NOW)
    assert own.outcome is Outcome.NOT_ALLOWED  # nobody settles their own exchange
    settled = await c.ledger.settle(transfer.id, coordinator, Settlement.CONFIRM, NOW)
    assert settled.outcome is Outcome.DONE and settled.transfer.state is State.CONFIRMED
    assert settled.transfer.settled_by == coordinator and settled.transfer.confirmed_at
    again = await c.ledger.settle(transfer.id, coordinator, Settlement.CONFIRM, NOW)
    assert again.outcome is Outcome.ALREADY
    other = await c.ledger.settle(transfer.id, stranger, Settlement.DECLINE, NOW)
    assert other.outcome is Outcome.TOO_LATE
    assert await c.ledger.for_coordinators() == []
    assert await c.ledger.balance(helper) == 60
    pending = await c.exchange(helped, helper, 60)
    early = await c.ledger.settle(pending.id, coordinator, Settlement.CONFIRM, NOW)
    assert early.outcome is Outcome.TOO_LATE  # a pending exchange is the members' to answer


async def test_seven_days_unconfirmed_hands_over_and_is_settled(c: Community) -> None:
    helped, helper, coordinator = c.ids[:3]
    old = await c.exchange(helped, helper, 60)
    later = await c.ledger.propose(
        key="later",
        created_by=helper,
        helped_id=helped,
        helper_id=helper,
        minutes=30,
        happened_on=TODAY,
        now=NOW + timedelta(days=3),
    )
    expired = await c.ledger.expire(old.id, NOW + timedelta(days=7))
    assert expired.outcome is Outcome.DONE and expired.transfer.state is State.EXPIRED
    assert (await c.ledger.expire(old.id, NOW)).outcome is Outcome.ALREADY
    still = await c.ledger.get(later.transfer.id)
    assert still is not None and still.state is State.PENDING  # its own seven days run on
    declined = await c.ledger.settle(old.id, coordinator, Settlement.DECLINE, NOW, "never happened")
    assert (
        declined.transfer.state is State.DECLINED and declined.transfer.reason == "never happened"
    )
    assert await c.entries() == []


async def test_receiving_beyond_the_floor_waits_for_a_coordinator(c: Community) -> None:
    helped, helper, coordinator = c.ids[:3]
    floor = -2 * HOUR
    fine = await c.exchange(helped, helper, 120)
    assert (await c.ledger.confirm(fine.id, helped, NOW, floor=floor)).outcome is Outcome.DONE
    beyond = await c.exchange(helped, helper, 15)
    held = await c.ledger.confirm(beyond.id, helped, NOW, floor=floor)
    assert held.outcome is Outcome.NEEDS_APPROVAL and held.changed
    assert held.transfer.state is State.PENDING and held.transfer.needs_approval
    assert held.transfer.awaiting is None and held.transfer.confirmed_by == helped
    assert (await c.ledger.confirm(beyond.id, helped, NOW, floor=floor)).outcome is Outcome.ALREADY
    assert (await c.ledger.decline(beyond.id, helped, NOW)).outcome is Outcome.TOO_LATE
    assert await c.ledger.balance(helped) == -120
    assert [t.id for t in await c.ledger.for_coordinators()] == [beyond.id]
    yes = await c.ledger.settle(beyond.id, coordinator, Settlement.CONFIRM, NOW)
    assert yes.outcome is Outcome.DONE and yes.transfer.settled_by == coordinator
    assert not yes.transfer.needs_approval and await c.ledger.balance(helped) == -135
    # Giving help is never blocked, however low the helper's own balance is.
    back = await c.exchange(helper, helped, 60, by=helped)
    assert (await c.ledger.confirm(back.id, helper, NOW, floor=floor)).outcome is Outcome.DONE
    assert await c.ledger.balance(helped) == -75


async def test_donations_at_once_never_give_more_than_the_balance(c: Community) -> None:
    member = c.ids[0]
    await c.ledger.give_starter_credits(member, HOUR, NOW)
    results = await asyncio.gather(
        *(c.ledger.donate(f"d{i}", member, 45, NOW, balance_floor=0) for i in range(3)),
        return_exceptions=True,
    )
    assert sorted(type(result).__name__ for result in results) == [
        "Created",
        "NotEnough",
        "NotEnough",
    ]
    assert await c.ledger.balance(member) == 15
    # Without a floor (a coordinator's own tools), a member's account may go below zero.
    assert (await c.ledger.donate("d9", member, 30, NOW)).created


async def test_transfers_without_a_second_party(c: Community) -> None:
    member, other, coordinator = c.ids[:3]
    starter = await c.ledger.give_starter_credits(member, 3 * HOUR, NOW)
    assert starter.created and starter.transfer.state is State.CONFIRMED
    assert not (await c.ledger.give_starter_credits(member, 3 * HOUR, NOW)).created
    donated = await c.ledger.donate("donate:1", member, 60, NOW, note="for whoever needs it")
    assert not (await c.ledger.donate("donate:1", member, 60, NOW)).created
    granted = await c.ledger.grant("grant:1", coordinator, other, 45, "housebound", NOW)
    assert granted.transfer.reason == "housebound" and granted.transfer.created_by == coordinator
    recorded = await c.ledger.record_exchange(
        key="paper:1",
        by_coordinator_id=coordinator,
        helped_id=other,
        helper_id=member,
        minutes=30,
        happened_on=TODAY - timedelta(days=2),
        now=NOW,
    )
    assert recorded.transfer.kind is TransferKind.RECORDED
    assert recorded.transfer.confirmed_by == coordinator
    credited = await c.ledger.from_organisation(
        "org:1", coordinator, "Splott Community Garden", member, 120, "volunteering", NOW
    )
    org = await c.ledger.organisation("Splott Community Garden", NOW)
    assert credited.created and donated.created
    assert await c.ledger.totals(member) == type(await c.ledger.totals(member))(
        balance=180 - 60 + 30 + 120, given=150, received=0, donated=60, granted=180
    )
    assert (await c.ledger.pot()).balance == 60 - 45
    assert [balance for kind, _, balance in await accounts(c) if kind == "issuance"] == [-180]
    assert (await c.ledger.get_account(org.id)).balance == -120  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="two different members"):
        await c.ledger.record_exchange(
            key="bad",
            by_coordinator_id=coordinator,
            helped_id=member,
            helper_id=member,
            minutes=15,
            happened_on=TODAY,
            now=NOW,
        )


async def test_a_confirmed_transfer_is_reversed_once_and_never_edited(c: Community) -> None:
    helped, helper, coordinator = c.ids[:3]
    transfer = await c.exchange(helped, helper, 90)
    assert (await c.ledger.reverse(transfer.id, coordinator, "oops", NOW)).outcome is (
        Outcome.TOO_LATE
    )
    await c.ledger.confirm(transfer.id, helped, NOW)
    with pytest.raises(ValueError, match="needs a reason"):
        await c.ledger.reverse(transfer.id, coordinator, " ", NOW)
    results = await asyncio.gather(
        *(c.ledger.reverse(transfer.id, coordinator, "logged twice", NOW) for _ in range(3))
    )
    assert sorted(r.outcome for r in results) == sorted(
        [Outcome.DONE, Outcome.ALREADY, Outcome.ALREADY]
    )
    reversal = results[0].transfer
    assert all(r.transfer == reversal for r in results)
    assert (reversal.kind, reversal.reason, reversal.reverses_transfer_id) == (
        TransferKind.REVERSAL,
        "logged twice",
        transfer.id,
    )
    assert (reversal.from_account_id, reversal.to_account_id) == (
        transfer.to_account_id,
        transfer.from_account_id,
    )
    original = await c.ledger.get(transfer.id)
    assert original is not None and original.state is State.REVERSED
    assert (original.amount, original.confirmed_by) == (90, helped)
    assert (await c.ledger.reverse(reversal.id, coordinator, "undo", NOW)).outcome is (
        Outcome.NOT_ALLOWED
    )
    assert (await c.ledger.balance(helped), await c.ledger.balance(helper)) == (0, 0)
    assert len(await c.entries()) == 4  # the original's two stay; two more undo them
    totals = await c.ledger.totals(helper)
    assert (totals.given, totals.received) == (0, 0)


async def test_history_pages_with_the_other_side_and_dates(c: Community) -> None:
    me, friend = c.ids[:2]
    await c.members.update(friend, NOW, display_name="Bethan")
    for day in range(23):
        transfer = await c.ledger.propose(
            key=f"h{day}",
            created_by=me,
            helped_id=friend if day % 2 else me,
            helper_id=me if day % 2 else friend,
            minutes=15 * (day + 1),
            happened_on=TODAY - timedelta(days=day),
            now=NOW,
        )
        await c.ledger.confirm(transfer.transfer.id, friend, NOW)
    await c.ledger.donate("d", me, 15, NOW)
    await c.exchange(friend, me, 60)  # pending: not in history by default
    pages = []
    offset = 0
    while True:
        page = await c.ledger.history(me, offset, 10)
        pages.append(page)
        offset += len(page.items)
        if not page.has_more:
            break
    assert [len(p.items) for p in pages] == [10, 10, 4]
    assert [p.has_more for p in pages] == [True, True, False]
    items = [item for page in pages for item in page.items]
    days = [item.transfer.happened_on for item in items]
    assert days == sorted(days, reverse=True) and days[0] == TODAY
    assert items[0].other_account_kind is AccountKind.POT and items[0].minutes == -15
    exchange = next(item for item in items if item.transfer.happened_on == TODAY - timedelta(1))
    assert (exchange.other_member_id, exchange.other_name, exchange.minutes) == (
        friend,
        "Bethan",
        30,
    )
    with_pending = await c.ledger.history(me, 0, 50, states=(State.PENDING,))
    assert len(with_pending.items) == 1 and not with_pending.has_more
    assert (await c.ledger.history(c.ids[4], 0, 10)).items == []


async def test_pending_for_lists_both_directions(c: Community) -> None:
    a, b, d = c.ids[:3]
    mine = await c.exchange(b, a)  # a logged it, b answers
    theirs = await c.exchange(a, d)  # d logged it, a answers
    await c.exchange(b, d)  # not a's
    pending = await c.ledger.pending_for(a)
    assert [t.id for t in pending] == [mine.id, theirs.id]
    assert [t.awaiting for t in pending] == [b, a]


async def test_erasure_keeps_amounts_and_dates_but_not_the_words(c: Community) -> None:
    gone, stays, coordinator = c.ids[:3]
    await c.members.update(gone, NOW, display_name="Dai")

    def introduced(tx: sqlite3.Connection) -> None:  # an exchange that settles an introduction
        tx.execute(
            "INSERT INTO listings (id, member_id, kind, category, title, details, place, status,"
            " created_at, updated_at, expires_at) VALUES (50, ?, 'request', 'gardening', 't',"
            " 'd', 'canton', 'open', 'x', 'x', 'x')",
            (gone,),
        )
        tx.execute(
            "INSERT INTO introductions (id, listing_id, owner_id, responder_id, status,"
            " created_at, updated_at) VALUES (60, 50, ?, ?, 'accepted', 'x', 'x')",
            (gone, stays),
        )

    await c.db.write(introduced)
    linked = await c.ledger.propose(
        key="intro",
        created_by=stays,
        helped_id=gone,
        helper_id=stays,
        minutes=90,
        happened_on=TODAY,
        now=NOW,
        note="Dai's hedge at 4 Elm Road",
        listing_id=50,
        introduction_id=60,
    )
    await c.ledger.confirm(linked.transfer.id, gone, NOW)
    granted = await c.ledger.grant("g", coordinator, gone, 30, "Dai is housebound", NOW)
    unrelated = await c.exchange(stays, coordinator, 15)
    before = await c.entries()
    assert await c.members.erase(gone, NOW)
    after = await c.ledger.get(linked.transfer.id)
    assert after is not None
    assert (after.note, after.listing_id, after.introduction_id) == (None, None, None)
    assert (after.amount, after.happened_on, after.state) == (90, TODAY, State.CONFIRMED)
    grant = await c.ledger.get(granted.transfer.id)
    assert grant is not None and grant.reason is None and grant.amount == 30
    assert (await c.ledger.get(unrelated.id)).note == "weeding the garden"  # type: ignore[union-attr]
    assert await c.entries() == before
    assert await c.ledger.balance(gone) == -60 and await c.ledger.balance(stays) == 90
    [item] = (await c.ledger.history(stays, 0, 10)).items
    assert item.other_erased and item.other_name is None and item.other_member_id == gone
    assert item.transfer.note is None


async def test_check_invariants_notices_a_wrong_ledger(c: Community) -> None:
    a, b = c.ids[:2]
    transfer = await c.exchange(a, b, 60)
    await c.ledger.confirm(transfer.id, a, NOW)
    assert await c.ledger.check_invariants() == []
    await c.db.write(
        lambda tx: tx.execute(
            "UPDATE accounts SET balance = balance + 15 WHERE member_id = ?", (a,)
        )
    )
    problems = await c.ledger.check_invariants()
    assert len(problems) == 1 and "cached balance" in problems[0]
    await c.db.write(  # put it right for the fixture's final check
        lambda tx: tx.execute(
            "UPDATE accounts SET balance = balance - 15 WHERE member_id = ?", (a,)
        )
    )


async def test_twenty_concurrent_confirmers_never_see_a_locked_database(tmp_path: Path) -> None:
    community = await open_community(tmp_path / "busy.db", members=21)
    # A second Database on the same file (as the CLI would be) competes for the write lock.
    other_db = await Database.open(tmp_path / "busy.db")
    other = LedgerRepository(other_db)
    try:
        helper, helped = community.ids[0], community.ids[1:]
        transfers = [await community.exchange(member, helper, 60) for member in helped]
        calls = [
            (community.ledger if i % 2 else other).confirm(t.id, t.from_member_id or 0, NOW)
            for i, t in enumerate(transfers)
        ]
        calls += [community.ledger.confirm(t.id, t.from_member_id or 0, NOW) for t in transfers[:5]]
        results = await asyncio.gather(*calls, return_exceptions=True)
        failures = [r for r in results if isinstance(r, BaseException)]
        assert failures == []
        outcomes = [r.outcome for r in results if not isinstance(r, BaseException)]
        assert outcomes.count(Outcome.DONE) == 20 and outcomes.count(Outcome.ALREADY) == 5
        assert await community.ledger.balance(helper) == 20 * 60
        assert len(await community.entries()) == 40
        assert await community.ledger.check_invariants() == []
    finally:
        await other_db.close()
        await community.db.close()


# --- properties -------------------------------------------------------------------------------

MEMBERS = 4  # members 0-3 exchange; member 4 is the coordinator
COORDINATOR = 4
FLOOR = -HOUR

member_index = st.integers(0, MEMBERS - 1)
pick = st.integers(0, 50)  # which known transfer (modulo how many there are)
quarters = st.integers(1, 12).map(lambda q: q * 15)

proposals = st.tuples(
    st.just("propose"), member_index, st.integers(1, MEMBERS - 1), quarters, st.integers(0, 9)
)
operations = st.one_of(
    proposals,
    st.tuples(st.just("confirm"), pick, st.integers(1, 3), st.booleans()),
    st.tuples(st.just("decline"), pick, st.integers(1, 2)),
    st.tuples(st.just("race"), pick, st.booleans()),
    st.tuples(st.just("dispute"), pick, st.booleans()),
    st.tuples(st.just("expire"), pick),
    st.tuples(st.just("counter"), pick, quarters, st.integers(1, 2)),
    st.tuples(st.just("settle"), pick, st.sampled_from(Settlement), st.integers(1, 2)),
    st.tuples(st.just("reverse"), pick, st.integers(1, 3)),
    st.tuples(st.just("wrong_member"), pick, member_index),
    st.tuples(st.just("donate"), member_index, quarters, st.integers(0, 3)),
    st.tuples(st.just("grant"), member_index, quarters, st.integers(0, 3)),
    st.tuples(st.just("starter"), member_index),
)
# A few exchanges first, so that the rest of the sequence has something to act on.
sequences = st.builds(
    lambda first, rest: first + rest,
    st.lists(proposals, min_size=1, max_size=6),
    st.lists(operations, min_size=1, max_size=30),
)


async def run_sequence(ops: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        community = await open_community(Path(directory) / "p.db", members=MEMBERS + 1)
        try:
            await check_sequence(community, ops)
        finally:
            await community.db.close()


async def check_sequence(c: Community, ops: list[tuple]) -> None:
    ledger, ids = c.ledger, c.ids
    known: list[int] = []

    async def chosen(index: int) -> Transfer | None:
        if not known:
            return None
        return await ledger.get(known[index % len(known)])

    def remember(transfer: Transfer) -> None:
        if transfer.id not in known:
            known.append(transfer.id)

    for op in ops:
        name = op[0]
        if name == "propose":
            _, helped, offset, minutes, key = op
            helper = (helped + offset) % MEMBERS
            created = await asyncio.gather(
                *(
                    ledger.propose(
                        key=f"p{key}",
                        created_by=ids[helper],
                        helped_id=ids[helped],
                        helper_id=ids[helper],
                        minutes=minutes,
                        happened_on=TODAY,
                        now=NOW,
                    )
                    for _ in range(2)  # the update delivered twice
                )
            )
            assert created[0].transfer == created[1].transfer
            assert [x.created for x in created].count(True) <= 1
            remember(created[0].transfer)
            continue
        if name in ("donate", "grant", "starter"):
            member = ids[op[1]]
            if name == "donate":
                results = [await ledger.donate(f"d{op[3]}", member, op[2], NOW) for _ in range(2)]
            elif name == "grant":
                results = [
                    await ledger.grant(f"g{op[3]}", ids[COORDINATOR], member, op[2], "r", NOW)
                    for _ in range(2)
                ]
            else:
                results = [await ledger.give_starter_credits(member, 60, NOW) for _ in range(2)]
            assert not results[1].created and results[0].transfer == results[1].transfer
            remember(results[0].transfer)
            continue
        transfer = await chosen(op[1])
        if transfer is None:
            continue
        before = await c.entries()
        confirmer = transfer.awaiting
        if name == "confirm":
            _, _, taps, with_floor = op
            if confirmer is None:
                continue
            floor = FLOOR if with_floor else None
            results = await asyncio.gather(
                *(ledger.confirm(transfer.id, confirmer, NOW, floor=floor) for _ in range(taps))
            )
            changes = [r for r in results if r.changed]
            assert len(changes) <= 1
            event(f"confirm x{taps}: {sorted(r.outcome for r in results)}")
            after = await ledger.get(transfer.id)
            assert after is not None
            if after.state is State.CONFIRMED:
                assert len(await c.entries()) == len(before) + 2
        elif name == "decline":
            if confirmer is None:
                continue
            results = await asyncio.gather(
                *(ledger.decline(transfer.id, confirmer, NOW) for _ in range(op[2]))
            )
            assert [r.outcome for r in results].count(Outcome.DONE) <= 1
            assert await c.entries() == before
        elif name == "race":
            if confirmer is None:
                continue
            confirm = ledger.confirm(transfer.id, confirmer, NOW)
            decline = ledger.decline(transfer.id, confirmer, NOW)
            if op[2]:  # either may reach the database first
                confirmed, declined = await asyncio.gather(confirm, decline)
            else:
                declined, confirmed = await asyncio.gather(decline, confirm)
            assert [confirmed.outcome, declined.outcome].count(Outcome.DONE) == 1
            event(f"race won by {'confirm' if confirmed.outcome is Outcome.DONE else 'decline'}")
            after = await ledger.get(transfer.id)
            assert after is not None
            winner = State.CONFIRMED if confirmed.outcome is Outcome.DONE else State.DECLINED
            assert after.state is winner
        elif name == "dispute":
            member = transfer.from_member_id if op[2] else transfer.to_member_id
            if member is None:
                continue
            await ledger.dispute(transfer.id, member, NOW)
            assert await c.entries() == before
        elif name == "expire":
            await asyncio.gather(ledger.expire(transfer.id, NOW), ledger.expire(transfer.id, NOW))
            assert await c.entries() == before
        elif name == "counter":
            _, _, minutes, taps = op
            if confirmer is None or minutes == transfer.amount:
                continue
            results = await asyncio.gather(
                *(ledger.counter(transfer.id, confirmer, minutes, NOW) for _ in range(taps))
            )
            assert [r.outcome for r in results].count(Outcome.DONE) <= 1
            assert len({r.transfer.id for r in results}) == 1
            event(f"counter: {results[0].outcome}")
            remember(results[0].transfer)
            assert await c.entries() == before
        elif name == "settle":
            _, _, outcome, taps = op
            results = await asyncio.gather(
                *(ledger.settle(transfer.id, ids[COORDINATOR], outcome, NOW) for _ in range(taps))
            )
            assert [r.outcome for r in results].count(Outcome.DONE) <= 1
        elif name == "reverse":
            results = await asyncio.gather(
                *(ledger.reverse(transfer.id, ids[COORDINATOR], "r", NOW) for _ in range(op[2]))
            )
            assert [r.outcome for r in results].count(Outcome.DONE) <= 1
            event(f"reverse x{op[2]}: {sorted(r.outcome for r in results)}")
            for result in results:
                if result.transfer.kind is TransferKind.REVERSAL:
                    remember(result.transfer)
        elif name == "wrong_member":
            member = ids[op[2]]
            if member == confirmer:
                continue
            results = [
                await ledger.confirm(transfer.id, member, NOW),
                await ledger.decline(transfer.id, member, NOW),
                await ledger.counter(transfer.id, member, 15 if transfer.amount != 15 else 30, NOW),
            ]
            assert all(r.outcome is not Outcome.DONE for r in results)
            assert await ledger.get(transfer.id) == transfer  # a forged button changes nothing
            assert await c.entries() == before
        assert await ledger.check_invariants() == []
    await assert_ledger_adds_up(c)


async def assert_ledger_adds_up(c: Community) -> None:
    """The invariants, checked independently of check_invariants()."""
    assert await c.ledger.check_invariants() == []
    total = await c.db.fetch_one("SELECT coalesce(sum(amount), 0) FROM entries")
    assert total is not None and total[0] == 0
    accounts = await c.db.fetch_all("SELECT id, balance FROM accounts")
    for account in accounts:
        summed = await c.db.fetch_one(
            "SELECT coalesce(sum(amount), 0) FROM entries WHERE account_id = ?", (account["id"],)
        )
        assert summed is not None and summed[0] == account["balance"]
    posted = await c.db.fetch_all(
        "SELECT t.id, t.state, count(e.id) AS n FROM transfers t"
        " LEFT JOIN entries e ON e.transfer_id = t.id GROUP BY t.id"
    )
    for row in posted:
        assert row["n"] == (2 if row["state"] in ("confirmed", "reversed") else 0), dict(row)
    # Balances from the transfers alone (not the entries) agree too.
    for account in accounts:
        moved = await c.db.fetch_one(
            "SELECT coalesce(sum(CASE WHEN to_account_id = ? THEN amount ELSE -amount END), 0)"
            " FROM transfers WHERE state IN ('confirmed', 'reversed')"
            " AND ? IN (from_account_id, to_account_id)",
            (account["id"], account["id"]),
        )
        assert moved is not None and moved[0] == account["balance"]


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(sequences)
def test_any_sequence_of_operations_keeps_the_ledger_exact(ops: list[tuple]) -> None:
    asyncio.run(run_sequence(ops))
